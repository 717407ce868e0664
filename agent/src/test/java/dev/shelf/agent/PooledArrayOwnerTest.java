package dev.shelf.agent;

import dev.shelf.Shelf;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pooled class whose constructor says {@code new @Pooled byte[n]}: the class is written in full, its constructor
 * and the re-initialiser copied from it both take the buffer from the array site, and a reused object is as fresh
 * as a new one.
 */
class PooledArrayOwnerTest {

    private static final String FRAMED = "dev.shelf.arrays.Framed";

    @Test
    void theConstructorAndItsReinitialiserCallArrayShelfAndTheClassVerifies() throws Exception {
        ShelfTestLoader loader = new ShelfTestLoader("dev.shelf.arrays");
        Object a = loader.call(FRAMED, "make", 8);
        byte[] bytes = loader.transformed().get(FRAMED);
        StringWriter out = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), loader, false, new PrintWriter(out));
        assertThat(out.toString()).isEmpty();
        ClassNode cls = new ClassNode(Opcodes.ASM9);
        new ClassReader(bytes).accept(cls, 0);
        int withArraySite = 0;
        for (MethodNode m : cls.methods) {
            for (AbstractInsnNode i : m.instructions) {
                if (i instanceof MethodInsnNode c && c.owner.equals("dev/shelf/internal/ArrayShelf")) {
                    withArraySite++;
                    assertThat(c.name + c.desc).as(m.name).isEqualTo("bytes(II)[B");
                }
            }
        }
        assertThat(withArraySite).as("the constructor and the re-initialiser").isEqualTo(2);

        a.getClass().getMethod("write", byte.class).invoke(a, (byte) 5);
        Shelf.release(a);
        Object b = loader.call(FRAMED, "make", 8);
        assertThat(b).as("the pooled object came back").isSameAs(a);
        assertThat((byte[]) b.getClass().getMethod("buf").invoke(b)).hasSize(8).containsOnly((byte) 0);
        assertThat(b.getClass().getMethod("used").invoke(b)).isEqualTo(0);
        Object c = loader.call(FRAMED, "make", 3);
        assertThat((byte[]) c.getClass().getMethod("buf").invoke(c)).hasSize(3).containsOnly((byte) 0);
    }
}
