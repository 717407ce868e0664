package dev.shelf.agent.rewrite;

import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * A loader's Byte Buddy {@link TypePool}, created when frame computation first asks for a type.
 *
 * <p>Why: creating the pool brings in Byte Buddy's type descriptions, whose set-up builds reflective proxies
 * (~300 classes, ~70 ms in the interpreter on the application's first rewritten class). Frame computation asks for
 * a type only where two different reference types meet at a jump target ({@link TypePoolClassWriter}); the methods
 * that typically allocate a pooled class never do, so most applications never need the pool at all.
 */
final class LazyTypePool implements TypePool {

    private final ClassFileLocator locator;
    private final java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
    private volatile TypePool pool;

    LazyTypePool(ClassFileLocator locator) {
        this.locator = locator;
    }

    private TypePool pool() {
        TypePool p = pool;
        if (p == null) {
            synchronized (this) {
                p = pool;
                if (p == null) {
                    p = TypePool.Default.of(locator);
                    pool = p;
                }
            }
        }
        return p;
    }

    /**
     * @return how many application types (not JDK or Shelf ones) were looked up so far: a rewrite during which this
     *         did not change depended on no application class's bytes but its own ({@link RewriteCache} keeps only
     *         such rewrites; the JDK's types are fixed by the JDK's version, part of the cache's fingerprint)
     */
    int lookups() {
        return lookups.get();
    }

    @Override
    public Resolution describe(String name) {
        if (!PoolCatalog.isPlatformOrShelf(name.replace('.', '/'))) {
            lookups.incrementAndGet();
        }
        return pool().describe(name);
    }

    @Override
    public void clear() {
        TypePool p = pool;
        if (p != null) {
            p.clear();
        }
    }
}
