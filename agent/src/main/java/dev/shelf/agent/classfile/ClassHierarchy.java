package dev.shelf.agent.classfile;

import net.bytebuddy.dynamic.ClassFileLocator;
import org.jspecify.annotations.Nullable;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The superclass chains of the classes one loader sees, read from the headers of their class files — for frame
 * computation, which asks for the common superclass of two types ({@link HierarchyClassWriter}).
 *
 * <p>Only a class file's access flags and superclass name are read ({@link ClassReader} parses nothing else until
 * asked), and each is cached. Why not Byte Buddy's {@code TypePool}, which answered this before: its first use
 * builds full type descriptions and the reflective proxies of its {@code JavaDispatcher} — ~220 classes and their
 * own copy of ASM, ~50 ms in the interpreter on the first class whose frames need an application type. The
 * benchmark application never needed one; the sample HTTP service does on its first rewrite
 * ({@code docs/startup.md}). Byte Buddy still locates the class files ({@link ClassFileLocator}).
 */
public final class ClassHierarchy {

    private static final String OBJECT = "java/lang/Object";

    /** A class file's header: its superclass ({@code null} for {@code Object}) and whether it is an interface. */
    private record Header(@Nullable String superName, boolean isInterface) {
    }

    private static final Header OBJECT_HEADER = new Header(null, false);

    private final ClassFileLocator locator;
    private final Map<String, Header> headers = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();

    /**
     * @param locator where the class files come from (the loader whose classes are rewritten)
     */
    public ClassHierarchy(ClassFileLocator locator) {
        this.locator = locator;
    }

    /**
     * @param type1 internal name of a class or interface
     * @param type2 internal name of another
     * @return the nearest class both extend; {@code java/lang/Object} when either is an interface
     * @throws TypeNotPresentException when a class file in either chain cannot be found
     */
    String commonSuperClass(String type1, String type2) {
        return commonSuperClass(type1, type2, null);
    }

    /**
     * {@link #commonSuperClass(String, String)} for a writer, which learns whether an application type was looked up.
     *
     * @param asking told when an application type's class file is read, or {@code null}
     */
    String commonSuperClass(String type1, String type2, @Nullable HierarchyClassWriter asking) {
        if (type1.equals(type2)) {
            return type1;
        }
        if (header(type1, asking).isInterface() || header(type2, asking).isInterface()) {
            return OBJECT;
        }
        Set<String> chainOfA = new HashSet<>();
        for (String t = type1; t != null; t = header(t, asking).superName()) {
            chainOfA.add(t);
        }
        for (String t = type2; t != null; t = header(t, asking).superName()) {
            if (chainOfA.contains(t)) {
                return t;
            }
        }
        return OBJECT;
    }

    /**
     * Counts the application types looked up so far.
     *
     * @return how many application types (not JDK or Shelf ones) were looked up so far, by every writer; each
     *         writer also says whether it read any itself ({@link HierarchyClassWriter#readApplicationType}), which
     *         is what the cache keeps rewrites by (the JDK's types are fixed by the JDK's version, part of the
     *         cache's fingerprint)
     */
    public int lookups() {
        return lookups.get();
    }

    private Header header(String internalName, @Nullable HierarchyClassWriter asking) {
        if (internalName.equals(OBJECT)) {
            return OBJECT_HEADER;
        }
        if (!ShelfNames.isPlatformOrShelf(internalName)) {
            lookups.incrementAndGet(); // counted even when cached: the rewrite depends on that class either way
            if (asking != null) {
                asking.readApplicationType = true;
            }
        }
        Header known = headers.get(internalName);
        if (known != null) {
            return known;
        }
        Header read = read(internalName);
        Header raced = headers.putIfAbsent(internalName, read);
        return raced != null ? raced : read;
    }

    private Header read(String internalName) {
        String name = internalName.replace('/', '.');
        byte[] bytes;
        try {
            ClassFileLocator.Resolution r = locator.locate(name);
            bytes = r.isResolved() ? r.resolve() : null;
        } catch (IOException e) {
            bytes = null;
        }
        if (bytes == null) {
            throw new TypeNotPresentException(name, null);
        }
        ClassReader reader = new ClassReader(bytes);
        return new Header(reader.getSuperName(), (reader.getAccess() & Opcodes.ACC_INTERFACE) != 0);
    }
}
