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
 * {@code new @Pooled T()}.
 */
public final class SitesToRewrite {

    private SitesToRewrite() {
    }

    /**
     * Whether any site of the class may need rewriting: it constructs a pooled class (read from the constant pool,
     * see {@link ClassFileScan}), or it may say {@code new @Pooled T()} (the class file mentions {@code Pooled}),
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
        return scan.mentionsPooled && scan.hasTypeAnnotations && PooledNewFinder.hasPooledNew(new ClassReader(bytes));
    }

    /**
     * The rare slow path: parse the code for a {@code new @Pooled T()} type annotation. A class of its own so that
     * ASM's visitor classes are loaded (and verified) when a class first needs it, not with the transformer in
     * {@code premain}.
     */
    private static final class PooledNewFinder {

        private PooledNewFinder() {
        }

        static boolean hasPooledNew(ClassReader reader) {
            boolean[] found = {false};
            reader.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public @Nullable MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    return found[0] ? null : new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public @Nullable AnnotationVisitor visitInsnAnnotation(int typeRef, TypePath typePath,
                                                                     String descriptor, boolean visible) {
                            if (descriptor.equals(ShelfNames.POOLED_DESC)
                                    && new TypeReference(typeRef).getSort() == TypeReference.NEW) {
                                found[0] = true;
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
