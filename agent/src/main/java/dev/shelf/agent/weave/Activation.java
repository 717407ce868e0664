package dev.shelf.agent.weave;

import dev.shelf.agent.config.ShelfConfig;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a woven application turns pooling on without {@code premain}.
 *
 * <p>The agent activates the runtime before any class is rewritten ({@code RuntimeBridge.activate}): pool sizes,
 * eviction on collections, byte bounds, strict mode, JMX and the exit report. A woven application has no
 * {@code premain}, so the weaver writes one class per woven directory, {@code $ShelfWoven} in the package of the first
 * pooled class, whose {@code activate()} does the same with the configuration <em>recorded at build time</em>, and
 * makes every woven pooled class call it first thing in its static initialiser — before the {@code register} call
 * the generator put there. No pooled object can be acquired before its class is initialised, so the runtime is active
 * before the first acquire. {@code activate()} does nothing to the runtime when it is already active (the agent is
 * present too, or another woven directory was first), and registers the site names the weaver numbered
 * ({@link BuildSiteNumbers}) once.
 *
 * <p>Every name this class emits is public API of {@code dev.shelf.internal} that the agent itself calls
 * ({@code ShelfRegistry.isActive/activate}, {@code Strict.enable}, {@code Observability.configure},
 * {@code Sites.register}); {@code WeaverTest} runs woven code against the runtime to hold them to it.
 */
final class Activation {

    /** Simple name of the activation class. */
    static final String SIMPLE_NAME = "$ShelfWoven";

    private static final String REGISTRY = "dev/shelf/internal/ShelfRegistry";
    private static final String ARRAY_SHELF = "dev/shelf/internal/ArrayShelf";

    private Activation() {
    }

    /**
     * The activation class.
     *
     * @param internalName its name
     * @param config       the configuration recorded into it
     * @param sites        site names per pooled class, in number order
     * @param marker       what the woven marker says
     * @return its class file
     */
    static byte[] generate(String internalName, ShelfConfig config, Map<String, List<String>> sites, String marker) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object"; // only Object-typed values meet in this class's one branch
            }
        };
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, internalName, null,
                "java/lang/Object", null);
        cw.visitAttribute(new WovenMarker(marker));
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, "done", "Z", null, null).visitEnd();
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNCHRONIZED,
                "activate", "()V", null, null);
        mv.visitCode();
        Label go = new Label();
        mv.visitFieldInsn(Opcodes.GETSTATIC, internalName, "done", "Z");
        mv.visitJumpInsn(Opcodes.IFEQ, go);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitLabel(go);
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitFieldInsn(Opcodes.PUTSTATIC, internalName, "done", "Z");
        Label registerSites = new Label();
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, REGISTRY, "isActive", "()Z", false);
        mv.visitJumpInsn(Opcodes.IFNE, registerSites);
        mv.visitLdcInsn(config.maxPerThread());
        mv.visitLdcInsn(config.maxShared());
        mv.visitInsn(config.eviction() == ShelfConfig.Eviction.GC ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
        mv.visitLdcInsn(config.maxRetainedBytes());
        mv.visitLdcInsn(config.maxIdleBytes());
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, REGISTRY, "activate", "(IIZJJ)V", false);
        mv.visitInsn(config.strict() ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/shelf/internal/Strict", "enable", "(Z)V", false);
        mv.visitInsn(config.jmx() ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
        mv.visitInsn(config.report() == ShelfConfig.Report.EXIT ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
        if (config.reportFile() == null) {
            mv.visitInsn(Opcodes.ACONST_NULL);
        } else {
            mv.visitLdcInsn(config.reportFile().toString());
        }
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/shelf/internal/observe/Observability", "configure",
                "(ZZLjava/lang/String;)V", false);
        mv.visitLabel(registerSites);
        for (Map.Entry<String, List<String>> e : sites.entrySet()) {
            for (String site : e.getValue()) {
                mv.visitLdcInsn(e.getKey());
                mv.visitLdcInsn(site);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/shelf/internal/Sites", "register",
                        "(Ljava/lang/String;Ljava/lang/String;)I", false);
                mv.visitInsn(Opcodes.POP);
            }
        }
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * Tells whether a rewritten class is a pooled one: its static initialiser registers its pool.
     *
     * @param classFile a rewritten class file
     * @return whether it calls {@code ShelfRegistry.register} in {@code <clinit>}
     */
    static boolean registersPool(byte[] classFile) {
        boolean[] found = {false};
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public @Nullable MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                       String[] exceptions) {
                if (!name.equals("<clinit>")) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        found[0] |= owner.equals(REGISTRY) && method.equals("register");
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return found[0];
    }

    /**
     * Whether a rewritten class has pooled array sites ({@code new @Pooled byte[n]}): it must activate the runtime
     * too, since its sites may run before any pooled class is initialised (or in an application without one), and an
     * inactive runtime allocates like {@code new}.
     *
     * @param classFile a rewritten class file
     * @return whether some method calls {@code ArrayShelf}
     */
    static boolean hasArraySites(byte[] classFile) {
        boolean[] found = {false};
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public @Nullable MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                       String[] exceptions) {
                return found[0] ? null : new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        found[0] |= owner.equals(ARRAY_SHELF);
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return found[0];
    }

    /**
     * Marks a rewritten class as woven and, when {@code activation} is not {@code null}, makes its static initialiser
     * call {@code activation.activate()} first (adding a static initialiser that does only that to a class without
     * one). The call takes and leaves an empty stack, so the frames the rewrite computed still hold; only the maximum
     * stack is recomputed.
     *
     * @param classFile  a rewritten class file
     * @param activation internal name of the activation class, or {@code null} to add only the marker
     * @param marker     what the woven marker says
     * @return the class file to write
     */
    static byte[] finish(byte[] classFile, @Nullable String activation, String marker) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, activation == null ? 0 : ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private boolean hasClinit;

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (activation == null || !name.equals("<clinit>")) {
                    return mv;
                }
                hasClinit = true;
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, activation, "activate", "()V", false);
                    }
                };
            }

            @Override
            public void visitEnd() {
                if (activation != null && !hasClinit) {
                    MethodVisitor mv = super.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
                    mv.visitCode();
                    mv.visitMethodInsn(Opcodes.INVOKESTATIC, activation, "activate", "()V", false);
                    mv.visitInsn(Opcodes.RETURN);
                    mv.visitMaxs(0, 0);
                    mv.visitEnd();
                }
                super.visitAttribute(new WovenMarker(marker));
                super.visitEnd();
            }
        }, 0);
        return writer.toByteArray();
    }
}
