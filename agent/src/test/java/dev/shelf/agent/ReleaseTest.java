package dev.shelf.agent;

import dev.shelf.Shelf;
import dev.shelf.internal.pool.DoubleRelease;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What release does to an object: it refuses a second release, it lets go of everything the object does not own,
 * and it keeps what the object owns for the next life — emptied.
 */
class ReleaseTest {

    static final String SITES = ReinitCorpusTest.CORPUS + ".Sites";
    static ShelfTestLoader loader;

    @BeforeAll
    static void load() {
        loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
    }

    private static Object call(Object target, String method) throws Exception {
        var m = target.getClass().getMethod(method);
        return m.invoke(target);
    }

    @Test
    void doubleReleaseNeverPoolsAnObjectTwice() throws Exception {
        String type = ReinitCorpusTest.CORPUS + ".InitBlocks";
        Object a = loader.call(SITES, "initBlocks");
        long before = DoubleRelease.count(type);
        String printed = StdErr.capture(() -> {
            Shelf.release(a);
            Shelf.release(a);
            Shelf.release(a);
        });
        Object first = loader.call(SITES, "initBlocks");
        Object second = loader.call(SITES, "initBlocks");

        assertThat(first).isSameAs(a);
        assertThat(second).as("the object was pooled once, so only one new gets it").isNotSameAs(a);
        assertThat(DoubleRelease.count(type) - before).isEqualTo(2);
        assertThat(printed.lines().filter(l -> l.contains(type)).count())
                .as("warned once per class").isLessThanOrEqualTo(1);
    }

    @Test
    void anIdlePooledObjectPinsNothingItWasGiven() throws Exception {
        Object owner = new Object();
        WeakReference<Object> ref = new WeakReference<>(owner);
        Object w = loader.call(SITES, "withArguments", 1L, 1.0, 1, owner);
        Object buffers = loader.call(SITES, "ownedBuffers");
        Object element = new Object();
        WeakReference<Object> elementRef = new WeakReference<>(element);
        buffers.getClass().getMethod("fill", Object.class, int.class).invoke(buffers, element, 3);
        Shelf.release(w);
        Shelf.release(buffers);
        owner = null;
        element = null;

        for (int i = 0; i < 20 && (ref.get() != null || elementRef.get() != null); i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(ref.get()).as("constructor argument held by an idle pooled object").isNull();
        assertThat(elementRef.get()).as("object referenced by an idle pooled object's field").isNull();
        assertThat(w).isNotNull();
        assertThat(buffers).isNotNull();
    }

    @Test
    void ownedContainersAndBuffersAreEmptiedAndKept() throws Exception {
        Object a = loader.call(SITES, "ownedBuffers");
        a.getClass().getMethod("fill", Object.class, int.class).invoke(a, "caller", 100);
        byte[] buffer = (byte[]) call(a, "buffer");
        Object tokens = call(a, "tokens");
        Object counts = call(a, "counts");
        Object child = call(a, "child");
        Shelf.release(a);

        Object b = loader.call(SITES, "ownedBuffers");

        assertThat(b).isSameAs(a);
        assertThat(call(b, "buffer")).as("16 KiB buffer kept").isSameAs(buffer);
        assertThat(buffer).containsOnly(0);
        assertThat(call(b, "tokens")).as("list kept").isSameAs(tokens).asList().isEmpty();
        assertThat(call(b, "counts")).as("private, constructor-only map kept").isSameAs(counts);
        assertThat(call(b, "child")).as("owned pooled child went back to its pool and came out again")
                .isSameAs(child);
        assertThat(call(b, "caller")).isNull();
        Object fresh = loader.call(SITES, "ownedBuffers"); // the pool is empty: a fresh object from the same site
        assertThat(fresh).isNotSameAs(b);
        assertThat(FreshState.differences(b, fresh, ReinitCorpusTest.CORPUS)).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void fieldsThatCouldBeSharedAreNeverEmptied() throws Exception {
        Object n = loader.call(SITES, "notOwned");
        List<String> callers = new ArrayList<>(List.of("keep", "me"));
        n.getClass().getMethod("use", List.class).invoke(n, callers);
        Shelf.release(n);
        Object again = loader.call(SITES, "notOwned");

        assertThat(again).isSameAs(n);
        assertThat(callers).as("the caller's list survives the release and reuse of an object that held it")
                .containsExactly("keep", "me");
        Object fresh = loader.call(SITES, "notOwned"); // the pool is empty: a fresh object from the same site
        assertThat(fresh).isNotSameAs(again);
        assertThat(FreshState.differences(again, fresh, ReinitCorpusTest.CORPUS)).isEmpty();
    }

    /**
     * The allocation claim behind pooling, measured with the JVM's own per-thread allocation counter: re-initialising
     * an object with a 16 KiB buffer and a 32-slot list (plus a map, a builder and a pooled child) allocates nothing.
     * Plain construction of the same object allocates over 16 KiB, so the bound below is four orders of magnitude
     * under what a broken reuse would show.
     */
    @Test
    void reinitialisingAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        loader.call(SITES, "churn", 20_000); // warm up: fill the pool, link call sites
        int n = 200_000;
        long before = threads.getThreadAllocatedBytes(self);
        loader.call(SITES, "churn", n);
        long after = threads.getThreadAllocatedBytes(self);
        double perOp = (after - before) / (double) n;
        // The same loop in the same classes loaded without Shelf (the test's own class loader): plain allocation.
        dev.shelf.corpus.Sites.churn(20_000);
        long plainBefore = threads.getThreadAllocatedBytes(self);
        dev.shelf.corpus.Sites.churn(n);
        double plainPerOp = (threads.getThreadAllocatedBytes(self) - plainBefore) / (double) n;
        System.out.printf("[alloc] churn of OwnedBuffers (16 KiB buffer, 32-slot list, map, builder, child): "
                + "pooled %.3f bytes/op, plain new %.0f bytes/op, over %d ops%n", perOp, plainPerOp, n);
        assertThat(perOp).isLessThan(1.0);
        assertThat(plainPerOp).as("the baseline really allocates the buffer").isGreaterThan(16 * 1024);
    }
}
