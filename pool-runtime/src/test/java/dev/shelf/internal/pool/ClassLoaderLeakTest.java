package dev.shelf.internal.pool;

import dev.shelf.internal.ShelfRegistry;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4's leak requirement: pools keyed by class must not keep an undeployed application's classes alive. The
 * application class lives in its own loader; the threads that used its pool, and the registry, outlive it.
 */
class ClassLoaderLeakTest {

    private static final String APP_CLASS = "dev.shelf.internal.leak.Undeployed";

    @Test
    void aDiscardedApplicationClassLoaderIsCollectedWhileItsThreadsLiveOn() throws Exception {
        ShelfRegistry.activate(8, 64, false); // no eviction: leak-freedom must not depend on it
        ExecutorService longLived = Executors.newSingleThreadExecutor();
        // Start its thread now, as a container does, not lazily from inside the application: a thread created while
        // application code is on the stack captures that code's protection domain (and so its class loader) in its
        // inherited access-control context, a JDK leak unrelated to pooling.
        longLived.submit(() -> { }).get();
        try {
            WeakReference<ClassLoader> loader = deployUseAndUndeploy(longLived);
            boolean collected = false;
            for (int attempt = 0; attempt < 40 && !collected; attempt++) {
                System.gc();
                collected = loader.get() == null;
                if (!collected) {
                    Thread.sleep(50);
                }
            }
            assertThat(collected).as("the application's class loader was collected").isTrue();
            // The registry forgets the pool of the unloaded class, and the pools of arrays of it.
            assertThat(ShelfRegistry.snapshot().pool(APP_CLASS)).isEmpty();
            assertThat(ShelfRegistry.snapshot().pool(APP_CLASS + "[16]")).isEmpty();
        } finally {
            longLived.shutdownNow();
        }
    }

    /** Everything strong about the application stays in this frame, which is gone when it returns. */
    private static WeakReference<ClassLoader> deployUseAndUndeploy(ExecutorService longLived) throws Exception {
        ClassLoader loader = new OneClassLoader(null, APP_CLASS, ClassLoaderLeakTest.class);
        Class<?> app = loader.loadClass(APP_CLASS);
        assertThat(app.getClassLoader()).isSameAs(loader);
        app.getMethod("exercise", ExecutorService.class).invoke(null, longLived);
        assertThat(ShelfRegistry.snapshot().pool(APP_CLASS)).hasValueSatisfying(p -> {
            assertThat(p.idle()).as("objects are idle in several places").isGreaterThan(8);
            assertThat(p.reused()).isPositive();
        });
        assertThat(ShelfRegistry.snapshot().pool(APP_CLASS + "[16]")).hasValueSatisfying(p -> {
            assertThat(p.idle()).as("arrays are idle too").isEqualTo(2);
            assertThat(p.reused()).isPositive();
        });
        assertThat(ShelfRegistry.snapshot().pool(APP_CLASS + "[32]")).isPresent();
        return new WeakReference<>(loader);
    }
}
