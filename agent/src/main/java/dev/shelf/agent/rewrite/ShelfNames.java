package dev.shelf.agent.rewrite;

/**
 * Names of the members the agent adds to classes for the generated code's own use, and the annotation it looks for.
 * What the generated code calls in the pool runtime, and what the runtime calls back, is {@link RuntimeAbi}.
 */
public final class ShelfNames {

    /** Descriptor of {@code dev.shelf.Pooled}, compared by name: the agent and the application may see different copies. */
    public static final String POOLED_DESC = "Ldev/shelf/Pooled;";
    /**
     * Strict mode only: instance field with the stack of the last release (read by the generated getter,
     * {@link RuntimeAbi#RELEASED_AT}, which has the same name).
     */
    public static final String RELEASED_AT = "$shelf$releasedAt";
    /** Instance method emptying what an object references when it is released. */
    public static final String SCRUB = "$shelf$scrub";
    /**
     * Instance field: {@code site << 1 | released}: the number of the allocation site that acquired the object
     * (0 for an object made elsewhere, as by reflection) and whether it is released.
     */
    public static final String STATE_FIELD = "$shelf$state";
    /** Static {@code VarHandle} on {@link #STATE_FIELD}. */
    public static final String STATE_HANDLE = "$shelf$STATE";
    /** The static field holding a pooled class's {@code ClassShelf}. */
    public static final String POOL_FIELD = "$shelf$pool";
    /**
     * The static factory that replaces {@code new T(args)}: the site number, then the constructor's parameters;
     * returns {@code T}. The site comes first so that a straight-line site can be rewritten in place
     * ({@link SitePatcher}): its number is pushed where {@code NEW}/{@code DUP} were, before the arguments.
     */
    public static final String FACTORY = "$shelf$new";
    /** The instance method that re-runs a constructor's body on an existing object: same parameters, void. */
    public static final String REINIT = "$shelf$reinit";
    /** Prefix of every member Shelf adds; a class that already has one was transformed before. */
    public static final String PREFIX = "$shelf$";

    private ShelfNames() {
    }

    /**
     * The factory's descriptor for a constructor: the {@code int} number of the calling site, then the
     * constructor's parameters.
     *
     * @param owner    internal name of the pooled class
     * @param ctorDesc the constructor's descriptor, e.g. {@code (JZ)V}
     * @return e.g. {@code (IJZ)Lcom/acme/Order;}
     */
    public static String factoryDesc(String owner, String ctorDesc) {
        return "(I" + ctorDesc.substring(1, ctorDesc.lastIndexOf(')')) + ")L" + owner + ";";
    }
}
