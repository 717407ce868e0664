package dev.shelf.it;

import com.sun.tools.attach.VirtualMachine;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Shelf's pool MXBeans ({@code dev.shelf:type=Pool,name=<class>}) of another, running JVM, read over JMX the way an
 * operator's console reads them.
 *
 * <p>Connects through the Attach API: {@code VirtualMachine.attach(pid)} and {@code startLocalManagementAgent()}
 * start the target's local JMX connector (loopback only, no port or password to configure, nothing to add to the
 * app's command line) and return its address. Attributes are read by name, not through Shelf's interface, so the
 * test sees exactly what any JMX client sees.
 */
final class PoolBeans implements AutoCloseable {

    /** The attributes {@code PoolMXBean} documents. */
    static final String[] ATTRIBUTES = {"ClassName", "ClassLoader", "Capacity", "SharedCapacity", "Acquired",
        "Reused", "Allocated", "Released", "Dropped", "Idle", "Evicted", "DoubleReleases", "HitRatio",
        "EstimatedBytesPerObject"};

    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private PoolBeans(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    /**
     * Attaches to a JVM and connects to its platform MBean server.
     *
     * @param pid the JVM's process id
     * @return the connection; close it when done
     * @throws IOException if the JVM cannot be attached to or connected
     */
    static PoolBeans attach(long pid) throws IOException {
        String address;
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (com.sun.tools.attach.AttachNotSupportedException e) {
            throw new IOException("cannot attach to process " + pid + ": " + e.getMessage(), e);
        }
        return new PoolBeans(JMXConnectorFactory.connect(new JMXServiceURL(address)));
    }

    /**
     * The classes that have a pool bean now.
     *
     * @return their {@code name} keys, sorted
     * @throws IOException if the query fails
     */
    Set<String> pooledClasses() throws IOException {
        Set<String> names = new TreeSet<>();
        try {
            for (ObjectName n : server.queryNames(new ObjectName("dev.shelf:type=Pool,*"), null)) {
                names.add(n.getKeyProperty("name"));
            }
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    /**
     * Reads one pool bean.
     *
     * @param className the pooled class's binary name
     * @return its attributes, or empty if there is no such bean (yet)
     * @throws IOException if the read fails
     */
    Optional<Pool> pool(String className) throws IOException {
        try {
            ObjectName name = new ObjectName("dev.shelf:type=Pool,name=" + className);
            if (!server.isRegistered(name)) {
                return Optional.empty();
            }
            AttributeList list = server.getAttributes(name, ATTRIBUTES);
            Map<String, Object> values = new HashMap<>();
            for (Attribute a : list.asList()) {
                values.put(a.getName(), a.getValue());
            }
            return Optional.of(new Pool(values));
        } catch (javax.management.JMException e) {
            throw new IOException("reading " + className + "'s pool bean: " + e, e);
        }
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }

    /**
     * One bean's attributes at one moment.
     *
     * @param values attribute name → value, as JMX returned them
     */
    record Pool(Map<String, Object> values) {

        long get(String attribute) {
            Object v = values.get(attribute);
            if (!(v instanceof Number n)) {
                throw new AssertionError("attribute " + attribute + " is " + v + ", expected a number; all: " + values);
            }
            return n.longValue();
        }

        double hitRatio() {
            return ((Number) values.get("HitRatio")).doubleValue();
        }

        String className() {
            return (String) values.get("ClassName");
        }

        @Override
        public String toString() {
            return new java.util.TreeMap<>(values).toString();
        }
    }
}
