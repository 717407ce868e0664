package dev.shelf.agent.classfile;

import org.jspecify.annotations.Nullable;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;

/**
 * A {@link ClassWriter} that answers "what is the common superclass of A and B" (needed to compute stack map
 * frames) by reading class files ({@link ClassHierarchy}), never by loading classes.
 *
 * <p>ASM's default implementation calls {@code Class.forName}, which inside a class file transformer loads (and can
 * initialise) application classes in the middle of another class's definition — deadlocks and class circularity
 * errors.
 */
public final class HierarchyClassWriter extends ClassWriter {

    private final ClassHierarchy hierarchy;
    /** Set when frame computation looked up an application type (not a JDK or Shelf one), on the writer's thread. */
    boolean readApplicationType;

    /**
     * @param original  the class being rewritten, whose constant pool and unchanged methods are copied as they are,
     *                  or {@code null} to write every method afresh
     * @param flags     {@link ClassWriter} flags
     * @param hierarchy resolves the superclasses of frame computation
     */
    public HierarchyClassWriter(@Nullable ClassReader original, int flags, ClassHierarchy hierarchy) {
        super(original, flags);
        this.hierarchy = hierarchy;
    }

    @Override
    protected String getCommonSuperClass(String type1, String type2) {
        return hierarchy.commonSuperClass(type1, type2, this);
    }

    /**
     * Tells whether this writer read an application type's class file.
     *
     * @return whether frame computation looked up an application type: then the class written depends on that
     *         type's class file as well as its own (the JDK's types are fixed by the JDK's version)
     */
    public boolean readApplicationType() {
        return readApplicationType;
    }
}
