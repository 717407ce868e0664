package dev.shelf.agent.classfile;

import org.objectweb.asm.ClassReader;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The cheap first look at every class the JVM loads: which classes does its constant pool say it constructs?
 *
 * <p>A {@code new T(...)} compiles to a {@code Methodref} to {@code T.<init>} in the constant pool, so a class whose
 * pool names no constructor of a pooled class has no site to rewrite — and that is almost every class. Reading the
 * constant pool is one tight loop over the bytes; parsing every method's code with a visitor, as the full rewrite
 * does, costs far more, and at start-up that code still runs in the interpreter. This is what keeps the agent's
 * start-up cost small for applications that load thousands of classes.
 */
public final class ConstantPoolScan {

    private static final int METHODREF = 10;
    private static final int FIELDREF = 9;

    private ConstantPoolScan() {
    }

    /**
     * Classes named as the owner of a constructor reference ({@code <init>}), and — when asked — of a field
     * reference.
     *
     * @param reader       a reader over the class file (its constructor has already indexed the constant pool)
     * @param fieldOwners  whether owners of field references count too (strict mode guards field accesses)
     * @return internal names, in constant-pool order
     */
    public static Set<String> referencedOwners(ClassReader reader, boolean fieldOwners) {
        Set<String> out = new LinkedHashSet<>();
        char[] buf = new char[reader.getMaxStringLength()];
        byte[] b = reader.b;
        for (int i = 1; i < reader.getItemCount(); i++) {
            int at = reader.getItem(i);
            if (at == 0) {
                continue; // the second slot of a long or double
            }
            int tag = b[at - 1];
            if (tag == METHODREF) {
                int nameAndType = reader.getItem(reader.readUnsignedShort(at + 2));
                if ("<init>".equals(reader.readUTF8(nameAndType, buf))) {
                    out.add(reader.readClass(at, buf));
                }
            } else if (tag == FIELDREF && fieldOwners) {
                out.add(reader.readClass(at, buf));
            }
        }
        return out;
    }
}
