package dev.shelf.agent.plan;

import dev.shelf.agent.classfile.ClassFileScan;
import dev.shelf.agent.classfile.ShelfNames;
import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.PoolDecision;

import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.TypePath;
import org.objectweb.asm.TypeReference;
import org.jspecify.annotations.Nullable;

/**
 * Whether a class has anything for the rewrite to do at its allocation sites, asked of every class the scan did not
 * rule out: from its constant pool and the decisions about the classes it constructs, parsing code only for the rare
 * {@code new @Pooled T()} and {@code new @Pooled byte[n]}.
 */
public final class SitesToRewrite {

    private SitesToRewrite() {
    }

    /**
     * Whether any site of the class may need rewriting: it constructs a pooled class (read from the constant pool,
     * see {@link ClassFileScan}), or it says {@code new @Pooled T()} or {@code new @Pooled byte[n]} (a type
     * annotation of sort {@code NEW} on an instruction),
     * or — in strict mode — it touches a field of a pooled class.
     *
     * @param view   decisions about the classes the class refers to
     * @param bytes  its class file
     * @param scan   its constant pool as scanned, or {@code null} to scan it now
     * @param strict strict mode
     * @return whether the class has allocation sites (or, in strict mode, field accesses) to rewrite
     * @throws IllegalArgumentException when the constant pool does not parse
     */
    public static boolean anyIn(Decisions view, byte[] bytes, @Nullable ClassFileScan scan, boolean strict) {
        if (scan == null) {
            scan = ClassFileScan.of(bytes);
            if (scan == null) {
                throw new IllegalArgumentException("malformed class file: its constant pool does not parse");
            }
        }
        for (String owner : scan.referencedOwners(strict)) {
            if (ShelfNames.isPlatformOrShelf(owner)) {
                continue;
            }
            PoolDecision d = view.decide(owner);
            if (d.poolsAllocations() || (strict && d instanceof PoolDecision.Accepted)) {
                return true;
            }
        }
        return scan.mentionsPooled && scan.hasTypeAnnotations
                && PooledNewFinder.find(new ClassReader(bytes)) != PooledNewFinder.NONE;
    }

    /**
     * Whether the class may say {@code new @Pooled T()} for an object, whose rewrite depends on {@code T}'s decision
     * for that site: not so for a class whose only {@code @Pooled} sites make arrays ({@code new @Pooled byte[n]}),
     * which depend on nothing but the class itself.
     *
     * @param bytes the class file
     * @param scan  its constant pool as scanned, or {@code null} when it did not parse
     * @return whether some {@code new @Pooled} site may allocate an object
     */
    public static boolean mayPoolObjectSites(byte[] bytes, @Nullable ClassFileScan scan) {
        if (scan == null) {
            return true;
        }
        return scan.mentionsPooled && scan.hasTypeAnnotations
                && PooledNewFinder.find(new ClassReader(bytes)) == PooledNewFinder.OBJECTS;
    }

    /** Whether a type annotation's path steps into an array's elements ({@code new @Pooled byte[n]}). */
    static boolean stepsIntoArray(@Nullable TypePath path) {
        if (path != null) {
            for (int i = 0; i < path.getLength(); i++) {
                if (path.getStep(i) == TypePath.ARRAY_ELEMENT) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The rare slow path: parse the code for a {@code new @Pooled T()} type annotation. A class of its own so that
     * ASM's visitor classes are loaded (and verified) when a class first needs it, not with the transformer in
     * {@code premain}.
     */
    private static final class PooledNewFinder {

        private PooledNewFinder() {
        }

        /** No {@code new @Pooled} site. */
        static final int NONE = 0;
        /** {@code new @Pooled} sites, all of arrays. */
        static final int ARRAYS = 1;
        /** Some {@code new @Pooled} site allocates an object (or sits on an instruction not recognised as an array). */
        static final int OBJECTS = 2;

        /** Returns {@link #NONE}, {@link #ARRAYS} or {@link #OBJECTS}. */
        static int find(ClassReader reader) {
            int[] found = {NONE};
            reader.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public @Nullable MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    return found[0] == OBJECTS ? null : new MethodVisitor(Opcodes.ASM9) {
                        /** The last type instruction visited, or -1 after any other: annotations follow it. */
                        private int lastOpcode = -1;

                        @Override
                        public void visitInsn(int opcode) {
                            lastOpcode = -1;
                        }

                        @Override
                        public void visitIntInsn(int opcode, int operand) {
                            lastOpcode = -1;
                        }

                        @Override
                        public void visitVarInsn(int opcode, int varIndex) {
                            lastOpcode = -1;
                        }

                        @Override
                        public void visitTypeInsn(int opcode, String type) {
                            lastOpcode = opcode;
                        }

                        @Override
                        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
                            lastOpcode = -1;
                        }

                        @Override
                        public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
                                                    boolean isInterface) {
                            lastOpcode = -1;
                        }

                        @Override
                        public void visitLdcInsn(Object value) {
                            lastOpcode = -1;
                        }

                        @Override
                        public @Nullable AnnotationVisitor visitInsnAnnotation(int typeRef, TypePath typePath,
                                                                     String descriptor, boolean visible) {
                            if (descriptor.equals(ShelfNames.POOLED_DESC)
                                    && new TypeReference(typeRef).getSort() == TypeReference.NEW) {
                                // javac records an array's annotation where its length's code starts, so only
                                // a NEW annotated without an array step is (or may be) an object's site.
                                boolean object = lastOpcode == Opcodes.NEW && !stepsIntoArray(typePath);
                                found[0] = Math.max(found[0], object ? OBJECTS : ARRAYS);
                            }
                            return null;
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return found[0];
        }
    }
}
