package dev.shelf.agent.weave;

import org.objectweb.asm.Attribute;
import org.objectweb.asm.ByteVector;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;

import java.nio.charset.StandardCharsets;

/**
 * The class-file attribute {@code dev.shelf.Woven} that the build-time weaver puts on every class it rewrote.
 *
 * <p>An attribute the JVM does not know is ignored when the class loads, survives jar tools and shading that copy
 * class files, and puts its name into the constant pool, where the agent's one pass over the pool
 * ({@code ClassFileScan.woven}) sees it at no extra cost: a class that carries it is left as it is, never rewritten
 * twice. Its content is a short text for people reading the class file ({@code javap -v}): who wrote it.
 */
public final class WovenMarker extends Attribute {

    /** The attribute's name, as the constant pool holds it. */
    public static final String NAME = "dev.shelf.Woven";

    private final String text;

    /**
     * @param text what the attribute says (the weaver's description)
     */
    public WovenMarker(String text) {
        super(NAME);
        this.text = text;
    }

    /** Returns what the attribute says. */
    public String text() {
        return text;
    }

    @Override
    protected Attribute read(ClassReader reader, int offset, int length, char[] charBuffer, int codeAttributeOffset,
                             Label[] labels) {
        byte[] content = new byte[length];
        for (int i = 0; i < length; i++) {
            content[i] = (byte) reader.readByte(offset + i);
        }
        return new WovenMarker(new String(content, StandardCharsets.UTF_8));
    }

    @Override
    protected ByteVector write(ClassWriter writer, byte[] code, int codeLength, int maxStack, int maxLocals) {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        return new ByteVector(content.length).putByteArray(content, 0, content.length);
    }

    /**
     * Tells whether a class file carries the marker, by reading its attributes (not only its constant pool).
     *
     * @param classFile a class file
     * @return whether it was woven
     */
    public static boolean isWoven(byte[] classFile) {
        boolean[] found = {false};
        new ClassReader(classFile).accept(new org.objectweb.asm.ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
            @Override
            public void visitAttribute(Attribute attribute) {
                found[0] |= attribute instanceof WovenMarker;
            }
        }, new Attribute[]{new WovenMarker("")}, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG
                | ClassReader.SKIP_FRAMES);
        return found[0];
    }
}
