package dev.shelf.agent.rewrite;

/**
 * Names that the generated code and the pool runtime agree on. Written out here rather than taken from the runtime
 * classes so that the agent never loads {@code dev.shelf.*} while transforming.
 */
public final class ShelfNames {

    /** Descriptor of {@code dev.shelf.Pooled}, compared by name: the agent and the application may see different copies. */
    public static final String POOLED_DESC = "Ldev/shelf/Pooled;";
    /** {@code dev.shelf.internal.ShelfRegistry}. */
    public static final String REGISTRY = "dev/shelf/internal/ShelfRegistry";
    /** {@code dev.shelf.internal.ClassShelf}. */
    public static final String CLASS_SHELF = "dev/shelf/internal/ClassShelf";
    /** {@code dev.shelf.internal.Reuse}. */
    public static final String REUSE = "dev/shelf/internal/Reuse";
    /** {@code dev.shelf.internal.Release}. */
    public static final String RELEASE = "dev/shelf/internal/Release";
    /** {@code dev.shelf.internal.Strict}. */
    public static final String STRICT = "dev/shelf/internal/Strict";
    /** Strict mode only: instance field with the stack of the last release. */
    public static final String RELEASED_AT = "$shelf$releasedAt";
    /** {@code dev.shelf.internal.Recyclable}. */
    public static final String RECYCLABLE = "dev/shelf/internal/Recyclable";
    /** Instance method emptying what an object references when it is released. */
    public static final String SCRUB = "$shelf$scrub";
    /** {@link #RECYCLABLE}'s method: flips the released flag, then scrubs. */
    public static final String RECYCLE = "$shelf$recycle";
    /** Instance field: 0 while in use (as in a fresh object), 1 while released. */
    public static final String STATE_FIELD = "$shelf$state";
    /** Static {@code VarHandle} on {@link #STATE_FIELD}. */
    public static final String STATE_HANDLE = "$shelf$STATE";
    /** The static field holding a pooled class's {@code ClassShelf}. */
    public static final String POOL_FIELD = "$shelf$pool";
    /** The static factory that replaces {@code new T(args)}: same parameters, returns {@code T}. */
    public static final String FACTORY = "$shelf$new";
    /** The instance method that re-runs a constructor's body on an existing object: same parameters, void. */
    public static final String REINIT = "$shelf$reinit";
    /** Prefix of every member Shelf adds; a class that already has one was transformed before. */
    public static final String PREFIX = "$shelf$";

    private ShelfNames() {
    }

    /**
     * The factory's descriptor for a constructor.
     *
     * @param owner    internal name of the pooled class
     * @param ctorDesc the constructor's descriptor, e.g. {@code (IJ)V}
     * @return e.g. {@code (IJ)Lcom/acme/Order;}
     */
    public static String factoryDesc(String owner, String ctorDesc) {
        return ctorDesc.substring(0, ctorDesc.lastIndexOf(')') + 1) + "L" + owner + ";";
    }
}
