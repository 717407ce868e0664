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
    /** {@link #RECYCLABLE}'s method: estimated bytes of the owned arrays and containers an idle object keeps. */
    public static final String OWNED_BYTES = "$shelf$ownedBytes";
    /** {@link #RECYCLABLE}'s method: flips the released flag, scrubs, and hands the object to its pool. */
    public static final String RELEASE_METHOD = "$shelf$release";
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

    /** {@code dev.shelf.internal.Sites}, where the agent numbers allocation sites. */
    public static final String SITES = "dev/shelf/internal/Sites";

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
