package dev.shelf.agent.decide;

import dev.shelf.agent.classfile.ShelfNames;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rules about a class's shape and its {@code @Pooled} annotation that deciding applies to a class file read
 * without code: which kinds of class can never be pooled, and what the annotation's elements say.
 */
final class ShapeRules {

    private ShapeRules() {
    }

    /** Why a class of this shape can never be pooled, or {@code null}. */
    static @Nullable String shapeProblem(ClassNode cls) {
        if ((cls.access & Opcodes.ACC_ANNOTATION) != 0 || (cls.access & Opcodes.ACC_INTERFACE) != 0) {
            return "it is an interface; only classes can be pooled";
        }
        if ((cls.access & Opcodes.ACC_ENUM) != 0) {
            return "it is an enum; enum constants are never allocated with new";
        }
        if ("java/lang/Record".equals(cls.superName)) {
            return "it is a record; records are immutable values and cannot be re-initialised";
        }
        if ((cls.version & 0xFFFF) < Opcodes.V1_5) {
            return "its class file is older than Java 5";
        }
        for (FieldNode f : cls.fields) {
            if (f.name.startsWith(ShelfNames.PREFIX)) {
                return "it was already transformed by Shelf";
            }
        }
        for (MethodNode m : cls.methods) {
            if (m.name.startsWith(ShelfNames.PREFIX)) {
                return "it was already transformed by Shelf";
            }
        }
        return null;
    }

    static @Nullable AnnotationNode pooledAnnotation(ClassNode cls) {
        for (List<AnnotationNode> list : java.util.Arrays.asList(cls.visibleAnnotations, cls.invisibleAnnotations)) {
            if (list != null) {
                for (AnnotationNode a : list) {
                    if (a.desc.equals(ShelfNames.POOLED_DESC)) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    /** An {@code int} element of {@code @Pooled}, or {@code absent} when the annotation leaves it at its default. */
    static int annotatedInt(AnnotationNode pooled, String element, int absent) {
        if (pooled.values != null) {
            for (int i = 0; i + 1 < pooled.values.size(); i += 2) {
                if (element.equals(pooled.values.get(i)) && pooled.values.get(i + 1) instanceof Integer n) {
                    return n;
                }
            }
        }
        return absent;
    }

    static boolean methodScoped(AnnotationNode pooled) {
        if (pooled.values != null) {
            for (int i = 0; i + 1 < pooled.values.size(); i += 2) {
                if ("scope".equals(pooled.values.get(i)) && pooled.values.get(i + 1) instanceof String[] e) {
                    return e.length == 2 && "METHOD".equals(e[1]);
                }
            }
        }
        return false;
    }
}
