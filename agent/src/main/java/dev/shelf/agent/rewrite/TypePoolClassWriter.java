package dev.shelf.agent.rewrite;

import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;

import java.util.HashSet;
import java.util.Set;

/**
 * A {@link ClassWriter} that answers "what is the common superclass of A and B" (needed to compute stack map
 * frames) by reading class files through a Byte Buddy {@link TypePool}, never by loading classes.
 *
 * <p>ASM's default implementation calls {@code Class.forName}, which inside a class file transformer loads (and can
 * initialise) application classes in the middle of another class's definition — deadlocks and class circularity
 * errors. A type pool parses the class files instead and caches what it parsed.
 */
final class TypePoolClassWriter extends ClassWriter {

    private final TypePool types;

    /**
     * @param original the class being rewritten, whose constant pool and unchanged methods are copied as they are,
     *                 or {@code null} to write every method afresh
     * @param flags    {@link ClassWriter} flags
     * @param types    resolves the types of frame computation
     */
    TypePoolClassWriter(ClassReader original, int flags, TypePool types) {
        super(original, flags);
        this.types = types;
    }

    @Override
    protected String getCommonSuperClass(String type1, String type2) {
        if (type1.equals(type2)) {
            return type1;
        }
        TypeDescription a = describe(type1);
        TypeDescription b = describe(type2);
        if (a.isInterface() || b.isInterface()) {
            return "java/lang/Object";
        }
        Set<String> chainOfA = new HashSet<>();
        for (TypeDefinition t = a; t != null; t = t.getSuperClass()) {
            chainOfA.add(t.asErasure().getInternalName());
        }
        for (TypeDefinition t = b; t != null; t = t.getSuperClass()) {
            String name = t.asErasure().getInternalName();
            if (chainOfA.contains(name)) {
                return name;
            }
        }
        return "java/lang/Object";
    }

    private TypeDescription describe(String internalName) {
        TypePool.Resolution r = types.describe(internalName.replace('/', '.'));
        if (!r.isResolved()) {
            throw new TypeNotPresentException(internalName.replace('/', '.'), null);
        }
        return r.resolve();
    }
}
