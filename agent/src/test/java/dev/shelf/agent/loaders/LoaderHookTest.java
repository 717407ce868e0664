package dev.shelf.agent.loaders;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the class-loader hook changes, in a JVM without the agent (so no runtime is on the bootstrap path: every name
 * must fall through to the loader's own way). The positive case — the agent's runtime answered from the bootstrap
 * path — is run through the real agent jar by {@code DeploymentIT}.
 */
class LoaderHookTest {

    /** A loader that overrides loadClass, and marks the names it answers itself. */
    public static class OwnLoader extends ClassLoader {
        public OwnLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("dev.shelf.")) {
                throw new ClassNotFoundException("own way taken for " + name);
            }
            return super.loadClass(name, resolve);
        }
    }

    /** Not a loader, although it has a method of that name and shape: must stay as it is. */
    public static class NotALoader {
        public Class<?> loadClass(String name, boolean resolve) {
            return String.class;
        }
    }

    @Test
    void onlyClassLoadersAreHooked() throws IOException {
        assertThat(LoaderHook.hook(bytes(NotALoader.class), getClass().getClassLoader())).isNull();
        assertThat(LoaderHook.hook(bytes(LoaderHookTest.class), getClass().getClassLoader())).isNull();
        byte[] hooked = LoaderHook.hook(bytes(OwnLoader.class), getClass().getClassLoader());
        assertThat(hooked).isNotNull();
        assertThat(methods(hooked)).contains("loadClass(Ljava/lang/String;Z)Ljava/lang/Class;",
                LoaderHook.METHOD + "(Ljava/lang/String;)Ljava/lang/Class;");
    }

    @Test
    void aHookedLoaderVerifiesAndNamesTheAgentsRuntimeDoesNotHaveTakeTheLoadersOwnWay() throws Exception {
        byte[] hooked = LoaderHook.hook(bytes(OwnLoader.class), getClass().getClassLoader());
        ClassLoader definer = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(OwnLoader.class.getName())) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : defineClass(name, hooked, 0, hooked.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        Class<?> type = definer.loadClass(OwnLoader.class.getName());
        assertThat(type.getClassLoader()).isSameAs(definer);
        ClassLoader own = (ClassLoader) type.getConstructor(ClassLoader.class).newInstance(getClass().getClassLoader());

        assertThat(own.loadClass("java.util.ArrayList")).isSameAs(ArrayList.class);
        assertThat(own.loadClass("org.objectweb.asm.ClassReader")).isSameAs(ClassReader.class);
        // No runtime on the bootstrap path in this JVM: runtime names, agent names and an application's own
        // dev.shelf.* package all reach the loader's own code.
        for (String name : List.of("dev.shelf.Shelf", "dev.shelf.internal.ShelfRegistry", "dev.shelf.agent.ShelfAgent",
                "dev.shelf.myapp.Thing")) {
            assertThatThrownBy(() -> own.loadClass(name)).isInstanceOf(ClassNotFoundException.class)
                    .hasMessage("own way taken for " + name);
        }
    }

    @Test
    void theTemplateAnswersOnlyTheRuntimesTwoPackages() {
        // Only java.lang is visible to a copy inside an application loader; the rules are the template's own.
        assertThat(LoaderHookTemplate.runtimeClass(null)).isNull();
        assertThat(LoaderHookTemplate.runtimeClass("java.lang.String")).isNull();
        assertThat(LoaderHookTemplate.runtimeClass("dev.shelf.agent.ShelfAgent")).isNull();
        assertThat(LoaderHookTemplate.runtimeClass("dev.shelf.myapp.Thing")).isNull();
        assertThat(LoaderHookTemplate.runtimeClass("dev.shelf.NotInTheRuntime")).isNull();
        assertThat(LoaderHookTemplate.runtimeClass("dev.shelf.internal.pool.NotInTheRuntime")).isNull();
    }

    private static byte[] bytes(Class<?> c) throws IOException {
        String file = c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = c.getResourceAsStream(file)) {
            return in.readAllBytes();
        }
    }

    private static List<String> methods(byte[] bytes) {
        List<String> out = new ArrayList<>();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                out.add(name + descriptor);
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return out;
    }
}
