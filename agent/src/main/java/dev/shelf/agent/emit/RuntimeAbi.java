package dev.shelf.agent.emit;

import dev.shelf.agent.classfile.ShelfNames;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.Map;

/**
 * The runtime ABI: every name in the pool runtime ({@code pool-runtime}, packages {@code dev.shelf} and
 * {@code dev.shelf.internal}) that the code the agent generates refers to, and every member the generated code
 * implements for the runtime to call back. Generated code is linked by these strings alone, in whatever class loader
 * the application uses, so a mismatch is a {@code NoSuchMethodError} or {@code AbstractMethodError} in a user's
 * application; {@code RuntimeContractTest} resolves every entry here against the runtime's classes, and fails if a
 * rewritten class calls into the runtime by anything that is not an entry here.
 *
 * <p>Written out rather than taken from the runtime classes so that the agent never loads {@code dev.shelf.*} while
 * transforming. The names of the members the agent adds for its own use ({@code $shelf$new}, {@code $shelf$reinit},
 * {@code $shelf$scrub}, the state and pool fields) are in {@link ShelfNames}: only generated code uses those.
 *
 * <p>The generated code reads and writes no field of the runtime.
 */
public final class RuntimeAbi {

    private RuntimeAbi() {
    }

    /**
     * A type of the runtime that generated code names.
     *
     * @param internalName e.g. {@code dev/shelf/internal/ClassShelf}
     * @param isInterface  whether it is an interface
     */
    public record RuntimeType(String internalName, boolean isInterface) {

        /** Returns the type's descriptor, e.g. {@code Ldev/shelf/internal/ClassShelf;}. */
        public String descriptor() {
            return "L" + internalName + ";";
        }
    }

    /**
     * A method of the runtime that generated code calls.
     *
     * @param opcode     {@link Opcodes#INVOKESTATIC}, {@link Opcodes#INVOKEVIRTUAL} or {@link Opcodes#INVOKEINTERFACE}
     * @param owner      internal name of the declaring class
     * @param name       method name
     * @param descriptor method descriptor
     */
    public record Call(int opcode, String owner, String name, String descriptor) {

        /** Returns whether the call is {@code INVOKESTATIC}. */
        public boolean isStatic() {
            return opcode == Opcodes.INVOKESTATIC;
        }

        /** Returns a new instruction making this call, to add to generated code. */
        public MethodInsnNode insn() {
            return new MethodInsnNode(opcode, owner, name, descriptor, opcode == Opcodes.INVOKEINTERFACE);
        }
    }

    /**
     * An instance method of {@link #RECYCLABLE} that the agent generates on a pooled class and the runtime calls.
     *
     * @param name       method name
     * @param descriptor method descriptor
     */
    public record Callback(String name, String descriptor) {

        /**
         * Returns an empty {@code public synthetic} method with this name and descriptor, for the generator to fill.
         */
        public MethodNode newMethod() {
            return new MethodNode(Opcodes.ASM9, Opcodes.ACC_PUBLIC | Opcodes.ACC_SYNTHETIC, name, descriptor, null,
                    null);
        }
    }

    // --- Types -------------------------------------------------------------------------------------------------------

    /** Implemented by every instantiable pooled class; the runtime releases and checks objects through it. */
    public static final RuntimeType RECYCLABLE = new RuntimeType("dev/shelf/internal/Recyclable", true);
    /** Type of the generated static field {@code $shelf$pool} that holds a pooled class's pool. */
    public static final RuntimeType CLASS_SHELF = new RuntimeType("dev/shelf/internal/ClassShelf", false);

    private static final String REGISTRY = "dev/shelf/internal/ShelfRegistry";
    private static final String REUSE = "dev/shelf/internal/Reuse";
    private static final String RELEASE = "dev/shelf/internal/Release";
    private static final String STRICT = "dev/shelf/internal/Strict";

    // --- Registration, in a pooled class's static initialiser -------------------------------------------------------

    /** Static initialiser of a pooled class: creates its pool, with {@code @Pooled(maxPerThread, maxShared)}. */
    public static final Call REGISTER = new Call(Opcodes.INVOKESTATIC, REGISTRY, "register",
            "(Ljava/lang/Class;II)" + CLASS_SHELF.descriptor());
    /** {@link #REGISTER} with what the constructors allocate into fields: kept arrays (size), remade ones (report). */
    public static final Call REGISTER_FIELDS = new Call(Opcodes.INVOKESTATIC, REGISTRY, "register",
            "(Ljava/lang/Class;IILjava/lang/String;)" + CLASS_SHELF.descriptor());

    // --- The pool, from a pooled class's generated members -----------------------------------------------------------

    /** Factory {@code $shelf$new}: an idle object for the calling site, or {@code null} to allocate. */
    public static final Call ACQUIRE = new Call(Opcodes.INVOKEVIRTUAL, CLASS_SHELF.internalName(), "acquire",
            "(I)Ljava/lang/Object;");
    /** {@code $shelf$release()}: hands the scrubbed object to its pool, with the site that acquired it. */
    public static final Call POOL_RELEASE = new Call(Opcodes.INVOKEVIRTUAL, CLASS_SHELF.internalName(), "release",
            "(Ljava/lang/Object;I)V");
    /** {@code $shelf$release()}: reports a release of an object already released (counted; thrown in strict mode). */
    public static final Call POOL_REFUSE = new Call(Opcodes.INVOKEVIRTUAL, CLASS_SHELF.internalName(), "refuse",
            "(Ljava/lang/Object;I)V");

    // --- Release of pooled objects the generated code holds ---------------------------------------------------------

    /** Scrub of an owned pooled child, and a {@code scope = METHOD} object at method exit: releases it if not null. */
    public static final Call RELEASE_IF_PRESENT = new Call(Opcodes.INVOKESTATIC, RELEASE, "ifPresent",
            "(Ljava/lang/Object;)V");

    // --- Strict mode only --------------------------------------------------------------------------------------------

    /** Before each use of a pooled object (method entry, field access): throws if the object is released. */
    public static final Call STRICT_CHECK = new Call(Opcodes.INVOKESTATIC, STRICT, "check", "(Ljava/lang/Object;)V");
    /** {@code $shelf$release()}: the stack of this release, kept in the object for later misuse reports. */
    public static final Call STRICT_RELEASED_HERE = new Call(Opcodes.INVOKESTATIC, STRICT, "releasedHere",
            "()Ljava/lang/Throwable;");

    // --- Reuse of owned containers and arrays: scrub, re-initialiser, owned bytes ------------------------------------

    /** Scrub: empties an owned container for reuse; {@code false} when it grew too big to keep. */
    public static final Call REUSE_EMPTIED = new Call(Opcodes.INVOKESTATIC, REUSE, "emptied", "(Ljava/lang/Object;)Z");
    /** {@code $shelf$ownedBytes()}: estimated bytes of one owned array or container. */
    public static final Call REUSE_BYTES_OF = new Call(Opcodes.INVOKESTATIC, REUSE, "bytesOf", "(Ljava/lang/Object;)J");
    /** Re-initialiser: the kept container if of exactly the class the constructor makes, else {@code null}. */
    public static final Call REUSE_CLEARED = new Call(Opcodes.INVOKESTATIC, REUSE, "cleared",
            "(Ljava/lang/Object;Ljava/lang/Class;)Ljava/lang/Object;");
    /** Re-initialiser: {@link #REUSE_CLEARED} for a container made with a computed capacity. */
    public static final Call REUSE_CLEARED_CAPACITY = new Call(Opcodes.INVOKESTATIC, REUSE, "cleared",
            "(Ljava/lang/Object;Ljava/lang/Class;I)Ljava/lang/Object;");

    /** Re-initialiser: the kept {@code boolean[]} zeroed if it has the length, else a new one. */
    public static final Call REUSE_BOOLEANS = arrayCall("booleans", "Z");
    /** Re-initialiser: the kept {@code byte[]} zeroed if it has the length, else a new one. */
    public static final Call REUSE_BYTES = arrayCall("bytes", "B");
    /** Re-initialiser: the kept {@code char[]} zeroed if it has the length, else a new one. */
    public static final Call REUSE_CHARS = arrayCall("chars", "C");
    /** Re-initialiser: the kept {@code short[]} zeroed if it has the length, else a new one. */
    public static final Call REUSE_SHORTS = arrayCall("shorts", "S");
    /** Re-initialiser: the kept {@code int[]} zeroed if it has the length, else a new one. */
    public static final Call REUSE_INTS = arrayCall("ints", "I");
    /** Re-initialiser: the kept {@code long[]} zeroed if it has the length, else a new one. */
    public static final Call REUSE_LONGS = arrayCall("longs", "J");
    /** Re-initialiser: the kept {@code float[]} zeroed if it has the length, else a new one. */
    public static final Call REUSE_FLOATS = arrayCall("floats", "F");
    /** Re-initialiser: the kept {@code double[]} zeroed if it has the length, else a new one. */
    public static final Call REUSE_DOUBLES = arrayCall("doubles", "D");

    /** Re-initialiser, {@code @Scratch boolean[]}: the kept array as it is if it has the length, else a new one. */
    public static final Call SCRATCH_BOOLEANS = arrayCall("scratchBooleans", "Z");
    /** Re-initialiser, {@code @Scratch byte[]}: the kept array as it is if it has the length, else a new one. */
    public static final Call SCRATCH_BYTES = arrayCall("scratchBytes", "B");
    /** Re-initialiser, {@code @Scratch char[]}: the kept array as it is if it has the length, else a new one. */
    public static final Call SCRATCH_CHARS = arrayCall("scratchChars", "C");
    /** Re-initialiser, {@code @Scratch short[]}: the kept array as it is if it has the length, else a new one. */
    public static final Call SCRATCH_SHORTS = arrayCall("scratchShorts", "S");
    /** Re-initialiser, {@code @Scratch int[]}: the kept array as it is if it has the length, else a new one. */
    public static final Call SCRATCH_INTS = arrayCall("scratchInts", "I");
    /** Re-initialiser, {@code @Scratch long[]}: the kept array as it is if it has the length, else a new one. */
    public static final Call SCRATCH_LONGS = arrayCall("scratchLongs", "J");
    /** Re-initialiser, {@code @Scratch float[]}: the kept array as it is if it has the length, else a new one. */
    public static final Call SCRATCH_FLOATS = arrayCall("scratchFloats", "F");
    /** Re-initialiser, {@code @Scratch double[]}: the kept array as it is if it has the length, else a new one. */
    public static final Call SCRATCH_DOUBLES = arrayCall("scratchDoubles", "D");

    // --- Pooled arrays: new @Pooled byte[n] and the other element types, one dimension ----------------------------

    private static final String ARRAY_SHELF = "dev/shelf/internal/ArrayShelf";

    /** {@code new @Pooled boolean[n]}: {@code (int length, int site) -> boolean[]}, zeroed. */
    public static final Call ARRAY_BOOLEANS = pooledArray("booleans", "Z");
    /** {@code new @Pooled byte[n]}: {@code (int length, int site) -> byte[]}, zeroed. */
    public static final Call ARRAY_BYTES = pooledArray("bytes", "B");
    /** {@code new @Pooled char[n]}: {@code (int length, int site) -> char[]}, zeroed. */
    public static final Call ARRAY_CHARS = pooledArray("chars", "C");
    /** {@code new @Pooled short[n]}: {@code (int length, int site) -> short[]}, zeroed. */
    public static final Call ARRAY_SHORTS = pooledArray("shorts", "S");
    /** {@code new @Pooled int[n]}: {@code (int length, int site) -> int[]}, zeroed. */
    public static final Call ARRAY_INTS = pooledArray("ints", "I");
    /** {@code new @Pooled float[n]}: {@code (int length, int site) -> float[]}, zeroed. */
    public static final Call ARRAY_FLOATS = pooledArray("floats", "F");
    /** {@code new @Pooled long[n]}: {@code (int length, int site) -> long[]}, zeroed. */
    public static final Call ARRAY_LONGS = pooledArray("longs", "J");
    /** {@code new @Pooled double[n]}: {@code (int length, int site) -> double[]}, zeroed. */
    public static final Call ARRAY_DOUBLES = pooledArray("doubles", "D");
    /**
     * {@code new @Pooled C[n]}: {@code (int length, Class<?> component, int site) -> Object[]} of nulls whose runtime
     * class is {@code C[]}; the caller casts it back to {@code C[]}.
     */
    public static final Call ARRAY_OBJECTS = new Call(Opcodes.INVOKESTATIC, ARRAY_SHELF, "objects",
            "(ILjava/lang/Class;I)[Ljava/lang/Object;");

    /**
     * The call that replaces {@code NEWARRAY} of one primitive element type.
     *
     * @param operand the {@code NEWARRAY} operand, {@link Opcodes#T_BOOLEAN} to {@link Opcodes#T_LONG}
     * @return e.g. {@link #ARRAY_BYTES} for {@link Opcodes#T_BYTE}
     */
    public static Call pooledArray(int operand) {
        return switch (operand) {
            case Opcodes.T_BOOLEAN -> ARRAY_BOOLEANS;
            case Opcodes.T_BYTE -> ARRAY_BYTES;
            case Opcodes.T_CHAR -> ARRAY_CHARS;
            case Opcodes.T_SHORT -> ARRAY_SHORTS;
            case Opcodes.T_INT -> ARRAY_INTS;
            case Opcodes.T_FLOAT -> ARRAY_FLOATS;
            case Opcodes.T_LONG -> ARRAY_LONGS;
            case Opcodes.T_DOUBLE -> ARRAY_DOUBLES;
            default -> throw new IllegalArgumentException("not a NEWARRAY operand: " + operand);
        };
    }

    private static Call pooledArray(String method, String element) {
        return new Call(Opcodes.INVOKESTATIC, ARRAY_SHELF, method, "(II)[" + element);
    }

    // --- Callbacks: generated on a pooled class, called by the runtime through RECYCLABLE ----------------------------

    /** Marks the object released, scrubs it and hands it to its pool; {@code Shelf.release} calls it. */
    public static final Callback RELEASE_CALLBACK = new Callback("$shelf$release", "()Z");
    /** Bytes of the owned arrays and containers an idle object keeps; the pool's idle-bytes budget calls it. */
    public static final Callback OWNED_BYTES = new Callback("$shelf$ownedBytes", "()J");
    /** Whether the object is released; strict mode's check calls it. */
    public static final Callback IS_RELEASED = new Callback("$shelf$isReleased", "()Z");
    /** Strict mode: where the object was released; misuse reports call it. */
    public static final Callback RELEASED_AT = new Callback("$shelf$releasedAt", "()Ljava/lang/Throwable;");
    /** Strict mode: records where the object was released (the generated release writes the field directly). */
    public static final Callback SET_RELEASED_AT = new Callback("$shelf$releasedAt", "(Ljava/lang/Throwable;)V");

    private static final Map<String, Call> REUSE_ARRAYS = Map.of("Z", REUSE_BOOLEANS, "B", REUSE_BYTES,
            "C", REUSE_CHARS, "S", REUSE_SHORTS, "I", REUSE_INTS, "J", REUSE_LONGS, "F", REUSE_FLOATS,
            "D", REUSE_DOUBLES);
    private static final Map<String, Call> SCRATCH_ARRAYS = Map.of("Z", SCRATCH_BOOLEANS, "B", SCRATCH_BYTES,
            "C", SCRATCH_CHARS, "S", SCRATCH_SHORTS, "I", SCRATCH_INTS, "J", SCRATCH_LONGS, "F", SCRATCH_FLOATS,
            "D", SCRATCH_DOUBLES);

    /**
     * The re-initialiser's call for an owned primitive array: {@code (int length, T[] kept) -> T[]}.
     *
     * @param element the element descriptor, e.g. {@code B}
     * @param scratch whether the field is {@code @Scratch} (kept without zeroing)
     * @return e.g. {@link #REUSE_BYTES}
     */
    public static Call reuseArray(String element, boolean scratch) {
        Call call = (scratch ? SCRATCH_ARRAYS : REUSE_ARRAYS).get(element);
        if (call == null) {
            throw new IllegalArgumentException("not a primitive element descriptor: " + element);
        }
        return call;
    }

    private static Call arrayCall(String method, String element) {
        return new Call(Opcodes.INVOKESTATIC, REUSE, method, "(I[" + element + ")[" + element);
    }
}
