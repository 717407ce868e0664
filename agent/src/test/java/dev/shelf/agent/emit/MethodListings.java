package dev.shelf.agent.emit;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.TreeMap;

/** {@code javap}-like text of each method of a class file, stack map frames included: what tests compare. */
public final class MethodListings {

    private MethodListings() {
    }

    /**
     * @param bytes a class file
     * @return each method's listing, by name and descriptor
     */
    public static Map<String, String> of(byte[] bytes) {
        ClassNode cls = new ClassNode();
        new ClassReader(bytes).accept(cls, 0);
        Map<String, String> out = new TreeMap<>();
        for (MethodNode m : cls.methods) {
            Textifier text = new Textifier();
            m.accept(new TraceMethodVisitor(text));
            StringWriter w = new StringWriter();
            text.print(new PrintWriter(w));
            out.put(m.name + m.desc, w.toString());
        }
        return out;
    }
}
