package dev.shelf.agent.classfile;

import java.nio.charset.StandardCharsets;

/**
 * Names of the members the agent adds to classes for the generated code's own use, the annotation it looks for, and
 * the name rules every stage shares: which classes Shelf never touches, and whether a class file mentions
 * {@code @Pooled} at all. What the generated code calls in the pool runtime, and what the runtime calls back, is the
 * emit stage's {@code RuntimeAbi}.
 */
public final class ShelfNames {

    /** Descriptor of {@code dev.shelf.Pooled}, compared by name: the agent and the application may see different copies. */
    public static final String POOLED_DESC = "Ldev/shelf/Pooled;";
    /**
     * Strict mode only: instance field with the stack of the last release (read by the generated getter,
     * {@code RuntimeAbi.RELEASED_AT}, which has the same name).
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
     * ({@code SitePatcher}): its number is pushed where {@code NEW}/{@code DUP} were, before the arguments.
     */
    public static final String FACTORY = "$shelf$new";
    /** The instance method that re-runs a constructor's body on an existing object: same parameters, void. */
    public static final String REINIT = "$shelf$reinit";
    /** Prefix of every member Shelf adds; a class that already has one was transformed before. */
    public static final String PREFIX = "$shelf$";

    private static final byte[] POOLED_MARKER = POOLED_DESC.getBytes(StandardCharsets.UTF_8);

    private ShelfNames() {
    }

    /**
     * Whether Shelf must leave a class alone whatever the configuration says: the JDK's, and Shelf's own.
     *
     * @param internalName a class name with slashes
     * @return {@code true} for platform and Shelf classes
     */
    public static boolean isPlatformOrShelf(String internalName) {
        return internalName.startsWith("java/") || internalName.startsWith("javax/")
                || internalName.startsWith("jdk/") || internalName.startsWith("sun/")
                || internalName.startsWith("com/sun/") || internalName.startsWith("[")
                || internalName.startsWith("dev/shelf/internal/") || internalName.startsWith("dev/shelf/agent/")
                || (internalName.startsWith("dev/shelf/") && internalName.indexOf('/', "dev/shelf/".length()) < 0);
    }

    /**
     * Whether a class file mentions {@code dev.shelf.Pooled} at all (as an annotation on itself or on a {@code new}).
     *
     * @param bytes a class file
     * @return {@code false} means: certainly neither annotated nor with a {@code new @Pooled} site
     */
    public static boolean mentionsPooled(byte[] bytes) {
        return contains(bytes, POOLED_MARKER);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
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
