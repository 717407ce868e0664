package dev.shelf.agent.loaders;

import org.jspecify.annotations.Nullable;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * Makes a class loader that overrides {@code loadClass} — a web application's child-first loader, say — answer names
 * of the pool runtime with the agent's own copy on the bootstrap class path, before its own lookup runs.
 *
 * <p>Rewritten classes call {@code dev.shelf.internal.*}, and application code calls {@code dev.shelf.Shelf}; both
 * names resolve through the class's own loader. A parent-first loader finds the agent's copy by delegation, but a
 * child-first loader that bundles {@code pool-runtime} (any version) would find its own copy: a registry the agent
 * never activated, so nothing would be pooled and {@code Shelf.release} would do nothing. The OpenTelemetry agent
 * solves the same problem for its bootstrap classes the same way.
 *
 * <p>What is added to such a class: a private static method, copied from {@link LoaderHookTemplate} (only
 * {@code java.lang} names, so that it resolves the same in every loader), and at the start of each declared
 * {@code loadClass(String)} and {@code loadClass(String, boolean)}:
 * <pre>{@code Class<?> c = $shelf$runtimeClass(name); if (c != null) return c;}</pre>
 * Only the runtime's packages, {@code dev.shelf} and {@code dev.shelf.internal} with its sub-packages, are answered,
 * and only with classes the agent's runtime has; every other name — the agent's own {@code dev.shelf.agent.*}, an
 * application's {@code dev.shelf.myapp.*} — takes the loader's own path unchanged.
 */
public final class LoaderHook {

    static final String METHOD = "$shelf$runtimeClass";
    private static final String METHOD_DESC = "(Ljava/lang/String;)Ljava/lang/Class;";
    private static final String LOAD_CLASS_1 = "(Ljava/lang/String;)Ljava/lang/Class;";
    private static final String LOAD_CLASS_2 = "(Ljava/lang/String;Z)Ljava/lang/Class;";
    private static final Set<String> LOADERS = Set.of("java/lang/ClassLoader", "java/security/SecureClassLoader",
            "java/net/URLClassLoader");
    private static final int MAX_DEPTH = 32;

    private static byte @Nullable [] template;

    private LoaderHook() {
    }

    /**
     * Hooks a class if it is a class loader that declares {@code loadClass}.
     *
     * @param bytes  the class file
     * @param loader the class's defining loader, through which its superclasses are looked up
     * @return the hooked class file, or {@code null} when the class is not such a loader
     * @throws IOException when the template cannot be read from the agent jar
     */
    public static byte @Nullable [] hook(byte[] bytes, ClassLoader loader) throws IOException {
        ClassReader reader = new ClassReader(bytes);
        if ((reader.getAccess() & Opcodes.ACC_INTERFACE) != 0 || !isClassLoader(reader.getSuperName(), loader)) {
            return null;
        }
        int major = reader.readUnsignedShort(6);
        ClassWriter writer = new ClassWriter(reader, 0);
        Hooker hooker = new Hooker(writer, major >= Opcodes.V1_6);
        reader.accept(hooker, 0);
        if (!hooker.hooked) {
            return null;
        }
        if (!hooker.hasMethod) {
            copyTemplate(writer, major >= Opcodes.V1_6);
        }
        return writer.toByteArray();
    }

    /** Whether {@code internalName} is {@code ClassLoader} or a subclass, read from class files, loading nothing. */
    private static boolean isClassLoader(String internalName, ClassLoader loader) {
        String name = internalName;
        for (int depth = 0; name != null && depth < MAX_DEPTH; depth++) {
            if (LOADERS.contains(name)) {
                return true;
            }
            if (name.equals("java/lang/Object")) {
                return false;
            }
            try (InputStream in = loader.getResourceAsStream(name + ".class")) {
                if (in == null) {
                    return false;
                }
                name = new ClassReader(in).getSuperName();
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
        return false;
    }

    private static void copyTemplate(ClassWriter writer, boolean frames) throws IOException {
        new ClassReader(template()).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public @Nullable MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                       String[] exceptions) {
                if (!name.equals("runtimeClass")) {
                    return null;
                }
                return writer.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, METHOD,
                        METHOD_DESC, null, exceptions);
            }
        }, frames ? ClassReader.SKIP_DEBUG : ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }

    private static synchronized byte[] template() throws IOException {
        if (template == null) {
            try (InputStream in = LoaderHook.class.getResourceAsStream("LoaderHookTemplate.class")) {
                if (in == null) {
                    throw new IOException("LoaderHookTemplate.class is missing from the agent jar");
                }
                template = in.readAllBytes();
            }
        }
        return template;
    }

    /** Puts the check at the start of each declared {@code loadClass}. */
    private static final class Hooker extends ClassVisitor {

        private final boolean frames;
        private @Nullable String owner;
        boolean hooked;
        boolean hasMethod;

        Hooker(ClassVisitor next, boolean frames) {
            super(Opcodes.ASM9, next);
            this.frames = frames;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            owner = name;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            hasMethod |= name.equals(METHOD);
            boolean concrete = (access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
            if (!concrete || !name.equals("loadClass")
                    || !(descriptor.equals(LOAD_CLASS_1) || descriptor.equals(LOAD_CLASS_2))) {
                return mv;
            }
            hooked = true;
            return new MethodVisitor(Opcodes.ASM9, mv) {
                @Override
                public void visitCode() {
                    super.visitCode();
                    Label own = new Label();
                    super.visitVarInsn(Opcodes.ALOAD, 1);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, owner, METHOD, METHOD_DESC, false);
                    super.visitInsn(Opcodes.DUP);
                    super.visitJumpInsn(Opcodes.IFNULL, own);
                    super.visitInsn(Opcodes.ARETURN);
                    super.visitLabel(own);
                    if (frames) {
                        super.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {"java/lang/Class"});
                    }
                    super.visitInsn(Opcodes.POP);
                }

                @Override
                public void visitMaxs(int maxStack, int maxLocals) {
                    super.visitMaxs(Math.max(maxStack, 2), maxLocals);
                }
            };
        }
    }
}
