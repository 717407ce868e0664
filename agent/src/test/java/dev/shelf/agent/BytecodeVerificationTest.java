package dev.shelf.agent;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every class the transformer changed passes ASM's {@link CheckClassAdapter} with data-flow verification, which
 * checks types on every path the way the JVM's verifier does — so a broken rewrite fails here with a readable
 * listing instead of as a {@code VerifyError} in a user's application.
 */
class BytecodeVerificationTest {

    @Test
    void everyTransformedClassVerifies() throws Exception {
        ShelfTestLoader loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
        Class<?> sites = loader.loadClass(ReinitCorpusTest.CORPUS + ".Sites");
        for (Method m : sites.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                // Loading every class a site allocates makes the transformer see all of them.
                loader.loadClass(ReinitCorpusTest.CORPUS + ".Outer$Inner");
            }
        }
        for (String name : new String[]{"Primitives", "References", "InitBlocks", "WithArguments", "Delegating",
            "PooledBase", "PooledChild", "Outer$Inner", "Generic", "ControlFlow", "Counting", "Throwing", "Holder",
            "ChildOfPlain", "PooledRecord"}) {
            loader.loadClass(ReinitCorpusTest.CORPUS + "." + name);
        }
        Map<String, byte[]> transformed = loader.transformed();
        assertThat(transformed.keySet()).as("classes the agent rewrote").contains(
                ReinitCorpusTest.CORPUS + ".Sites", ReinitCorpusTest.CORPUS + ".Primitives",
                ReinitCorpusTest.CORPUS + ".PooledBase", ReinitCorpusTest.CORPUS + ".PooledChild",
                ReinitCorpusTest.CORPUS + ".Outer$Inner", ReinitCorpusTest.CORPUS + ".Delegating");
        assertThat(transformed).doesNotContainKeys(ReinitCorpusTest.CORPUS + ".ChildOfPlain",
                ReinitCorpusTest.CORPUS + ".PooledRecord", ReinitCorpusTest.CORPUS + ".Holder");

        for (Map.Entry<String, byte[]> e : transformed.entrySet()) {
            StringWriter out = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(e.getValue()), loader, false, new PrintWriter(out));
            assertThat(out.toString()).as("CheckClassAdapter on " + e.getKey()).isEmpty();
        }
    }
}
