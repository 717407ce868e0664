package dev.shelf.internal.observe;

import dev.shelf.Shelf;
import dev.shelf.internal.ArrayShelf;
import dev.shelf.internal.ClassShelf;
import dev.shelf.internal.Sites;
import dev.shelf.internal.ShelfRegistry;
import dev.shelf.internal.pool.DoubleRelease;
import dev.shelf.internal.pool.OneClassLoader;
import dev.shelf.internal.pool.RegisteredPool;
import dev.shelf.internal.pool.SizeEstimate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import static org.assertj.core.api.Assertions.assertThat;

/** A pool's MXBean, read back through the platform MBean server as a JMX client would. */
class PoolJmxTest {

    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final String TWIN = "dev.shelf.internal.observe.Twin";

    static final class Watched {
    }

    static final class Crowded {
    }

    /** A stand-in for a bean someone else registered under the name a pool would take. */
    public interface SquatterMXBean {
        int getNothing();
    }

    static final class Squatter implements SquatterMXBean {
        @Override
        public int getNothing() {
            return 0;
        }
    }

    @BeforeAll
    static void jmxOn() {
        ShelfRegistry.activate(8, 16, false);
        Observability.configure(true, false, null);
    }

    @AfterAll
    static void jmxOff() {
        Observability.configure(false, false, null);
    }

    @Test
    void aRegisteredPoolIsAnMXBeanWithItsCounters() throws Exception {
        ClassShelf shelf = ShelfRegistry.register(Watched.class, 0);
        Watched w = new Watched();
        for (int i = 0; i < 10; i++) {
            ShelfRegistry.release(w);
            assertThat(shelf.acquire()).isSameAs(w);
        }
        assertThat(shelf.acquire()).as("nothing idle: a miss").isNull();
        ShelfRegistry.release(w);
        DoubleRelease.report(w); // as Shelf.release does for a second release of w

        assertThat(PoolJmx.awaitRegistered(30_000)).isTrue();
        ObjectName name = new ObjectName("dev.shelf:type=Pool,name=" + Watched.class.getName());
        assertThat(SERVER.isRegistered(name)).isTrue();
        assertThat(SERVER.getAttribute(name, "ClassName")).isEqualTo(Watched.class.getName());
        assertThat((String) SERVER.getAttribute(name, "ClassLoader")).startsWith("app@");
        assertThat(SERVER.getAttribute(name, "Capacity")).isEqualTo(8);
        assertThat(SERVER.getAttribute(name, "SharedCapacity")).isEqualTo(shelf.sharedCapacity());
        assertThat(SERVER.getAttribute(name, "Acquired")).isEqualTo(11L);
        assertThat(SERVER.getAttribute(name, "Reused")).isEqualTo(10L);
        assertThat(SERVER.getAttribute(name, "Allocated")).isEqualTo(1L);
        assertThat(SERVER.getAttribute(name, "Released")).isEqualTo(11L);
        assertThat(SERVER.getAttribute(name, "Dropped")).isEqualTo(0L);
        assertThat(SERVER.getAttribute(name, "Idle")).isEqualTo(1L);
        assertThat(SERVER.getAttribute(name, "Evicted")).isEqualTo(0L);
        assertThat(SERVER.getAttribute(name, "DoubleReleases")).isEqualTo(1L);
        assertThat((double) SERVER.getAttribute(name, "HitRatio")).isEqualTo(10.0 / 11);
        assertThat((long) SERVER.getAttribute(name, "EstimatedBytesPerObject"))
                .isEqualTo(SizeEstimate.align(SizeEstimate.HEADER));

        // Live values, not a copy taken at registration.
        ShelfRegistry.release(new Watched());
        assertThat(SERVER.getAttribute(name, "Released")).isEqualTo(12L);
    }

    @Test
    void aPoolOfArraysIsAnMXBeanNamedByTypeAndLength() throws Exception {
        int site = Sites.register(ArrayShelf.sitesKey("byte"), "PoolJmxTest.buffer:1");
        byte[] b = ArrayShelf.bytes(65536, site);
        for (int i = 0; i < 5; i++) {
            Shelf.release(b);
            assertThat(ArrayShelf.bytes(65536, site)).isSameAs(b);
        }
        Shelf.release(b);
        Shelf.release(b); // refused

        assertThat(PoolJmx.awaitRegistered(30_000)).isTrue();
        ObjectName name = new ObjectName("dev.shelf:type=Pool,name=byte[65536]");
        assertThat(name.getKeyProperty("name")).isEqualTo("byte[65536]");
        assertThat(SERVER.isRegistered(name)).isTrue();
        assertThat(SERVER.getAttribute(name, "ClassName")).isEqualTo("byte[65536]");
        assertThat(SERVER.getAttribute(name, "ClassLoader")).isEqualTo("bootstrap");
        assertThat(SERVER.getAttribute(name, "Acquired")).isEqualTo(6L);
        assertThat(SERVER.getAttribute(name, "Reused")).isEqualTo(5L);
        assertThat(SERVER.getAttribute(name, "Released")).isEqualTo(6L);
        assertThat(SERVER.getAttribute(name, "Idle")).isEqualTo(1L);
        assertThat(SERVER.getAttribute(name, "DoubleReleases")).isEqualTo(1L);
        assertThat((long) SERVER.getAttribute(name, "EstimatedBytesPerObject")).isEqualTo(16L + 65536);

        Object[] names = ArrayShelf.objects(16, String.class, site);
        Shelf.release(names);
        assertThat(PoolJmx.awaitRegistered(30_000)).isTrue();
        assertThat(SERVER.isRegistered(new ObjectName("dev.shelf:type=Pool,name=java.lang.String[16]"))).isTrue();

        dev.shelf.ShelfStats.PoolStats p = Shelf.stats().pool("byte[65536]").orElseThrow();
        assertThat(p.sites()).singleElement().satisfies(s -> {
            assertThat(s.site()).isEqualTo("PoolJmxTest.buffer:1");
            assertThat(s.acquired()).isEqualTo(6);
            assertThat(s.reused()).isEqualTo(5);
            assertThat(s.doubleReleases()).isEqualTo(1);
        });

        ExitReport report = Observability.report();
        ExitReport.Row row = report.rows().stream().filter(r -> r.className().equals("byte[65536]"))
                .findFirst().orElseThrow();
        assertThat(row.array()).isTrue();
        assertThat(row.bytesSaved()).isEqualTo(5 * (16L + 65536));
        assertThat(report.text()).contains("byte[65536]", "at PoolJmxTest.buffer:1");
        assertThat(report.json()).contains("\"class\": \"byte[65536]\"", "\"kind\": \"array\"");
    }

    @Test
    void aTakenNameGetsTheLoaderAddedInsteadOfFailing() throws Exception {
        ObjectName plain = new ObjectName("dev.shelf:type=Pool,name=" + Crowded.class.getName());
        SERVER.registerMBean(new Squatter(), plain);
        try {
            ShelfRegistry.register(Crowded.class, 0);
            assertThat(PoolJmx.awaitRegistered(30_000)).isTrue();
            ObjectName withLoader = new ObjectName("dev.shelf:type=Pool,name=" + Crowded.class.getName()
                    + ",loader=" + RegisteredPool.describe(Crowded.class.getClassLoader()));
            assertThat(SERVER.isRegistered(withLoader)).isTrue();
            assertThat(SERVER.getAttribute(withLoader, "ClassName")).isEqualTo(Crowded.class.getName());
        } finally {
            SERVER.unregisterMBean(plain);
        }
    }

    @Test
    void sameClassNameInTwoLoadersGetsTwoBeansAndAnUnloadedOneIsUnregistered() throws Exception {
        Class<?> first = new OneClassLoader("first", TWIN, PoolJmxTest.class).loadClass(TWIN);
        ShelfRegistry.register(first, 0);
        WeakReference<ClassLoader> second = registerTwinInThrowawayLoader();
        assertThat(PoolJmx.awaitRegistered(30_000)).isTrue();

        Set<ObjectName> twins = SERVER.queryNames(new ObjectName("dev.shelf:type=Pool,name=" + TWIN + ",*"), null);
        assertThat(twins).hasSize(2);
        List<String> loaders = new ArrayList<>();
        for (ObjectName n : twins) {
            loaders.add((String) SERVER.getAttribute(n, "ClassLoader"));
        }
        assertThat(loaders).anySatisfy(l -> assertThat(l).startsWith("first@"))
                .anySatisfy(l -> assertThat(l).startsWith("second@"));
        ObjectName secondName = twins.stream().filter(n -> n.getKeyProperty("loader") != null).findFirst()
                .orElseThrow();
        assertThat(secondName.getKeyProperty("loader")).startsWith("second@");

        // Undeploy the second loader: once collected, its bean goes at the next registration.
        for (int attempt = 0; attempt < 100 && second.get() != null; attempt++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(second.get()).as("the MXBean does not keep the pooled class's loader alive").isNull();
        ShelfRegistry.register(new OneClassLoader("third", TWIN, PoolJmxTest.class).loadClass(TWIN), 0);
        assertThat(PoolJmx.awaitRegistered(30_000)).isTrue();
        assertThat(SERVER.isRegistered(secondName)).as("the unloaded pool's bean is gone").isFalse();
        assertThat(SERVER.queryNames(new ObjectName("dev.shelf:type=Pool,name=" + TWIN + ",*"), null)).hasSize(2);
        assertThat(first).isNotNull(); // keeps the first loader alive until here
    }

    private static WeakReference<ClassLoader> registerTwinInThrowawayLoader() throws Exception {
        ClassLoader loader = new OneClassLoader("second", TWIN, PoolJmxTest.class);
        ClassShelf shelf = ShelfRegistry.register(loader.loadClass(TWIN), 0);
        assertThat(shelf.className()).isEqualTo(TWIN);
        return new WeakReference<>(loader);
    }
}
