package dev.shelf.internal;

import dev.shelf.internal.pool.ClassPool;

/**
 * The pool of one {@code @Pooled} class, by the name generated code links against: a pooled class keeps its pool in a
 * generated static field of this type, its factory calls {@link #acquire(int)} and its generated release method
 * {@link #release(Object, int)} or {@link #refuse(Object, int)}. Called by generated code: names and descriptors are
 * a contract listed in the agent's {@code RuntimeAbi}.
 *
 * <p>The pool itself — hot paths, slow paths, trimming — is {@link ClassPool}; this class only gives it its stable
 * name, so that the implementation lives with its machinery in {@code dev.shelf.internal.pool} while no generated
 * owner string changes. Final, and the inherited methods are final: a call through this type binds directly to
 * {@code ClassPool}'s code, without any indirection.
 */
public final class ClassShelf extends ClassPool {

    /**
     * @param type      the pooled class; only its name is kept
     * @param capacity  idle objects one thread may keep, at least 1
     * @param maxShared idle objects the shared depot may keep, 0 for none
     * @param fields    what the agent found the constructors allocate into fields
     *                  ({@link ShelfRegistry#register(Class, int, int, String)})
     */
    ClassShelf(Class<?> type, int capacity, int maxShared, String fields) {
        super(type, capacity, maxShared, fields);
    }
}
