package dev.shelf.internal.observe;

import dev.shelf.ShelfStats;
import dev.shelf.internal.pool.RegisteredPool;
import dev.shelf.internal.pool.SizeEstimate;

import java.lang.management.ManagementFactory;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;

/**
 * A pool's {@link PoolMXBean}, and the registration of those beans with the platform MBean server.
 *
 * <p><b>Joined, never created.</b> Shelf does not create the platform MBean server: creating it sets up every
 * platform bean of the JDK (the better part of a second of CPU on a 2-core machine, and a few hundred classes), which
 * an application that nobody watches through JMX would pay at every start for nothing. Instead Shelf's beans join
 * the server as soon as something else creates it — a JMX agent started with {@code -Dcom.sun.management.jmxremote}
 * or {@code jcmd <pid> ManagementAgent.start}, a tool that attaches (JConsole, VisualVM, the Attach API's
 * {@code startLocalManagementAgent}), or the application's own {@code ManagementFactory.getPlatformMBeanServer()}.
 * Until then a daemon thread, {@code shelf-jmx}, looks every {@value #POLL_MILLIS} ms whether the server exists
 * ({@code MBeanServerFactory.findMBeanServer}, a copy of a short list); so a bean appears at most that long after
 * the server does. Polling rather than hooking the server's creation (the {@code javax.management.builder.initial}
 * property) because a hook is a class every context class loader would have to find: one that cannot would make
 * the application's own JMX fail.
 *
 * <p><b>Registered off the application's path.</b> A pool is created in its class's static initialiser, in the
 * middle of the application's start-up, inside a class initialisation lock; so pools are only queued there, and the
 * same {@code shelf-jmx} thread registers them and exits when the queue is empty (it is started again by the next
 * pool). A failure there cannot reach the application. The thread is created with no context class loader, without
 * inheritable thread locals and in a privileged block, so that it captures nothing (no protection domain, no loader)
 * from the application code that happened to be on the stack.
 *
 * <p><b>No leaks.</b> A bean holds its pool only through {@link RegisteredPool}'s weak references, so the MBean server
 * (a GC root for the life of the JVM) never keeps an undeployed application's classes alive; beans of unloaded pools
 * are unregistered the next time the worker runs.
 */
final class PoolJmx implements PoolMXBean {

    /** The JMX domain of Shelf's beans. */
    static final String DOMAIN = "dev.shelf";

    private static final ArrayDeque<RegisteredPool> QUEUE = new ArrayDeque<>();
    /** Registered beans by pool. Guarded by the class. */
    private static final IdentityHashMap<RegisteredPool, ObjectName> NAMES = new IdentityHashMap<>();
    private static @Nullable Thread worker;

    /** How long the worker waits between two looks for the platform MBean server while nobody has created it. */
    static final long POLL_MILLIS = 500;

    /** The platform MBean server once someone has created it; {@code null} before. */
    private static volatile @Nullable MBeanServer platform;

    private final RegisteredPool pool;

    private PoolJmx(RegisteredPool pool) {
        this.pool = pool;
    }

    /**
     * Queues {@code pool} for registration and makes sure the worker runs. Never blocks on JMX.
     *
     * @param pool a newly registered pool
     */
    static synchronized void register(RegisteredPool pool) {
        QUEUE.add(pool);
        if (worker == null) {
            worker = newWorker();
            worker.start();
        }
    }

    /*
     * Anonymous classes rather than lambdas: this runs when the first pool is created, on the application's thread
     * at start-up, where linking each lambda would generate a class first.
     */
    @SuppressWarnings("removal") // AccessController: so that the new thread inherits no application protection domain
    private static Thread newWorker() {
        return AccessController.doPrivileged(new PrivilegedAction<Thread>() {
            @Override
            public Thread run() {
                Thread t = new Thread(null, new Runnable() {
                    @Override
                    public void run() {
                        drain();
                    }
                }, "shelf-jmx", 0, false);
                t.setDaemon(true);
                t.setContextClassLoader(null);
                return t;
            }
        });
    }

    private static void drain() {
        MBeanServer server;
        try {
            server = awaitPlatformServer();
        } catch (InterruptedException e) {
            stopWorker(); // the JVM is going down or someone interrupted a daemon thread: try again on the next pool
            return;
        } catch (Exception | LinkageError e) {
            // Exception, not JMException: without java.management in the runtime, naming a JMX class in a
            // catch clause would itself fail with NoClassDefFoundError on this thread.
            stopWorker();
            warnFailed("the pools", e);
            return;
        }
        while (true) {
            RegisteredPool next;
            synchronized (PoolJmx.class) {
                next = QUEUE.poll();
                if (next == null) {
                    stopWorker();
                    return;
                }
            }
            try {
                if (next.isLive()) {
                    registerNow(server, next);
                }
            } catch (Exception | LinkageError e) {
                warnFailed("the pool of " + next.className(), e);
            }
        }
    }

    private static synchronized void stopWorker() {
        worker = null;
        PoolJmx.class.notifyAll();
    }

    private static void warnFailed(String what, Throwable e) {
        RuntimeLog.warnOnce("jmx", "cannot register the MXBean of " + what + " (" + e + "); pools stay "
                + "unobservable through JMX, pooling is unaffected (further JMX failures are not reported; "
                + "shelf.jmx=false turns JMX off)");
    }

    /** Waits until someone has created the platform MBean server (see the class comment), then returns it. */
    private static MBeanServer awaitPlatformServer() throws InterruptedException {
        MBeanServer server;
        while ((server = platformServer()) == null) {
            Thread.sleep(POLL_MILLIS);
        }
        return server;
    }

    /**
     * The platform MBean server if it exists, without creating it.
     *
     * @return the server, or {@code null} while nobody has asked for it
     */
    static @Nullable MBeanServer platformServer() {
        MBeanServer server = platform;
        if (server == null && !MBeanServerFactory.findMBeanServer(null).isEmpty()) {
            // Some server exists: most likely the platform's (it is made by MBeanServerFactory too). If it is
            // one the application made for itself, the application uses JMX, and asking for the platform's
            // server creating it is what the JMX agent would do anyway. The call waits for a creation in
            // progress on another thread to finish (it holds the same lock).
            server = ManagementFactory.getPlatformMBeanServer();
            platform = server;
        }
        return server;
    }

    /**
     * Registers one pool's bean under its class name, or its class name and loader when that name is taken by a
     * live pool of another loader.
     */
    private static void registerNow(MBeanServer server, RegisteredPool pool) throws JMException {
        unregisterUnloaded(server);
        synchronized (PoolJmx.class) {
            if (NAMES.containsKey(pool)) {
                return; // queued twice (configure() raced a registration): one bean per pool
            }
        }
        ObjectName plain = name(pool, false);
        ObjectName chosen = plain;
        if (server.isRegistered(plain)) {
            chosen = name(pool, true);
        }
        try {
            server.registerMBean(new PoolJmx(pool), chosen);
        } catch (InstanceAlreadyExistsException e) {
            if (chosen.equals(plain)) {
                chosen = name(pool, true);
                server.registerMBean(new PoolJmx(pool), chosen);
            } else {
                throw e;
            }
        }
        synchronized (PoolJmx.class) {
            NAMES.put(pool, chosen);
        }
    }

    private static void unregisterUnloaded(MBeanServer server) {
        List<ObjectName> gone = new ArrayList<>();
        synchronized (PoolJmx.class) {
            for (Iterator<Map.Entry<RegisteredPool, ObjectName>> it = NAMES.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<RegisteredPool, ObjectName> e = it.next();
                if (!e.getKey().isLive()) {
                    gone.add(e.getValue()); // before remove(): an IdentityHashMap entry dies with its mapping
                    it.remove();
                }
            }
        }
        for (ObjectName name : gone) { // outside the lock: register() must never wait for JMX
            try {
                server.unregisterMBean(name);
            } catch (Exception ignored) {
                // already gone (someone else unregistered it): nothing to do
            }
        }
    }

    /**
     * The bean name of a pool.
     *
     * @param pool       the pool
     * @param withLoader whether to add the {@code loader} key that tells same-named classes apart
     * @return {@code dev.shelf:type=Pool,name=<class>[,loader=<loader>]}, values quoted where JMX requires it
     * @throws JMException never for names the JVM accepts; declared by {@link ObjectName}
     */
    static ObjectName name(RegisteredPool pool, boolean withLoader) throws JMException {
        return name(pool.className(), withLoader ? pool.loader() : null);
    }

    static ObjectName name(String className, @Nullable String loader) throws JMException {
        return new ObjectName(DOMAIN + ":type=Pool,name=" + value(className)
                + (loader == null ? "" : ",loader=" + value(loader)));
    }

    /** Quotes a key value only when it holds a character an unquoted value may not contain. */
    private static String value(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (",=:\"*?\n".indexOf(s.charAt(i)) >= 0) {
                return ObjectName.quote(s);
            }
        }
        return s;
    }

    /**
     * Returns a pool's bean name.
     *
     * @param pool a pool
     * @return its bean's name, or {@code null} while it is not (yet) registered
     */
    static synchronized @Nullable ObjectName registeredName(RegisteredPool pool) {
        return NAMES.get(pool);
    }

    /**
     * Waits until every queued pool has been registered; for tests. Never returns {@code true} while nobody has
     * created the platform MBean server.
     *
     * @param timeoutMillis at most this long
     * @return whether the queue is drained
     * @throws InterruptedException if interrupted while waiting
     */
    static synchronized boolean awaitRegistered(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (worker != null) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            PoolJmx.class.wait(left);
        }
        return true;
    }

    // ---- the bean ------------------------------------------------------------------------------------------------

    private static final ShelfStats.PoolStats GONE = new ShelfStats.PoolStats("", 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private ShelfStats.PoolStats stats() {
        ShelfStats.PoolStats s = pool.stats();
        return s == null ? GONE : s;
    }

    @Override
    public String getClassName() {
        return pool.className();
    }

    @Override
    public String getClassLoader() {
        return pool.loader();
    }

    @Override
    public int getCapacity() {
        return stats().capacity();
    }

    @Override
    public int getSharedCapacity() {
        return stats().sharedCapacity();
    }

    @Override
    public long getAcquired() {
        return stats().acquired();
    }

    @Override
    public long getReused() {
        return stats().reused();
    }

    @Override
    public long getAllocated() {
        return stats().allocated();
    }

    @Override
    public long getReleased() {
        return stats().released();
    }

    @Override
    public long getDropped() {
        return stats().dropped();
    }

    @Override
    public long getIdle() {
        return stats().idle();
    }

    @Override
    public long getEvicted() {
        return stats().evicted();
    }

    @Override
    public long getDoubleReleases() {
        return pool.doubleReleases();
    }

    @Override
    public double getHitRatio() {
        return stats().hitRatio();
    }

    @Override
    public long getEstimatedBytesPerObject() {
        SizeEstimate s = pool.size();
        return s == null ? -1 : s.perObject();
    }
}
