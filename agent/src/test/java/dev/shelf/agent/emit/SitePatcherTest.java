package dev.shelf.agent.emit;

import dev.shelf.agent.classfile.ClassHierarchy;
import dev.shelf.agent.classfile.ConstantPoolAppender;
import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.decide.PoolingDecisions;
import dev.shelf.agent.plan.MethodsWithSites;
import dev.shelf.agent.plan.SiteNumbers;

import net.bytebuddy.dynamic.ClassFileLocator;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sites patched in place ({@link SitePatcher}) are the sites the ASM writer would have written — same sites, same
 * numbers, same code but for a {@code NOP} each — the class file changes only in those bytes and in the appended
 * constant-pool entries, the result verifies and runs, and every case the patcher does not take goes through the
 * writer exactly as before.
 */
public class SitePatcherTest {

    private static final String SHAPES = "dev/shelf/agent/emit/PatchShapes";
    private static final String TARGET = SHAPES + "$Target";

    private static final ClassHierarchy TYPES = new ClassHierarchy(
            ClassFileLocator.ForClassLoader.of(SitePatcherTest.class.getClassLoader()));

    private static byte[] bytesOf(String internalName) throws Exception {
        try (InputStream in = SitePatcherTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }

    private static Decisions targetPooled() {
        return new PoolingDecisions(TARGET::equals, "()V");
    }

    /** Numbers sites 1, 2, ... in the order they are asked for, as the runtime does per pooled class. */
    private static SiteNumbers counting() {
        Map<String, Integer> numbers = new HashMap<>();
        return (pooled, site) -> numbers.computeIfAbsent(pooled + " " + site, k -> numbers.size() + 1);
    }

    private static ClassRewriter.Result rewrite(byte[] bytes, Decisions decisions, SiteNumbers numbers,
                                                boolean strict, boolean inPlace) throws Exception {
        return ClassRewriter.rewrite(bytes, PoolDecision.NOT_POOLED, decisions, TYPES, true, strict, numbers,
                inPlace ? EmitStrategies.ALL : List.of(EmitStrategies.REPLACE_CHANGED_METHODS, EmitStrategies.WRITE_IN_FULL));
    }

    private static int siteCount(ClassRewriter.Result result) {
        return result.sites().stream().mapToInt(m -> m.sites().size()).sum();
    }

    /**
     * Whether {@code out} is {@code original} with constant-pool entries appended and at most 7 bytes changed per
     * site (4 at the {@code NEW}/{@code DUP}, 3 at the constructor call): every other byte in place.
     */
    public static boolean patchedInPlace(byte[] original, byte[] out, int sites) {
        int header = new ClassReader(original).header;
        int grown = out.length - original.length;
        if (grown <= 0 || !Arrays.equals(original, 0, 8, out, 0, 8)
                || !Arrays.equals(original, 10, header, out, 10, header)) {
            return false;
        }
        int differing = 0;
        for (int i = header; i < original.length; i++) {
            if (original[i] != out[i + grown]) {
                differing++;
            }
        }
        return differing > 0 && differing <= 7 * sites;
    }

    /** Each method's listing, stack map frames included, without {@code NOP}s. */
    private static Map<String, String> listings(byte[] bytes) {
        Map<String, String> out = new TreeMap<>();
        MethodListings.of(bytes).forEach((method, text) -> out.put(method, text.lines()
                .filter(l -> !l.trim().equals("NOP")).collect(Collectors.joining("\n"))));
        return out;
    }

    private static String verify(byte[] bytes, ClassLoader loader) {
        StringWriter out = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), loader, false, new PrintWriter(out));
        return out.toString();
    }

    @Test
    void aStraightLineSiteClassIsPatchedInPlaceAsTheWriterWouldRewriteIt() throws Exception {
        byte[] original = bytesOf(SHAPES);
        ClassRewriter.Result patched = rewrite(original, targetPooled(), counting(), false, true);
        ClassRewriter.Result written = rewrite(original, targetPooled(), counting(), false, false);

        assertThat(siteCount(patched)).as("sites in PatchShapes").isEqualTo(9);
        assertThat(patched.sites()).as("same sites, same numbers").isEqualTo(written.sites());
        assertThat(patched.skipped()).isEqualTo(written.skipped());
        assertThat(patchedInPlace(original, patched.bytes(), siteCount(patched))).as("patched in place").isTrue();
        assertThat(patchedInPlace(original, written.bytes(), siteCount(written))).as("written by ASM").isFalse();
        assertThat(listings(patched.bytes())).as("the writer's code and frames, but for the NOPs")
                .isEqualTo(listings(written.bytes()));
        assertThat(listings(patched.bytes()).get("nested(I)Ljava/util/List;"))
                .contains("SIPUSH", "INVOKESTATIC " + TARGET + ".$shelf$new (ILjava/lang/String;JDLjava/lang/Object;)L"
                        + TARGET + ";").doesNotContain("NEW " + TARGET);

        ClassReader before = new ClassReader(original);
        ClassReader after = new ClassReader(patched.bytes());
        // Three distinct constructors are called: one "$shelf$new" name, three descriptors, three name-and-types,
        // three method references.
        assertThat(after.getItemCount()).as("constant pool entries appended, each once")
                .isEqualTo(before.getItemCount() + 1 + 3 * 3);
        assertThat(verify(patched.bytes(), getClass().getClassLoader())).isEmpty();
    }

    /** Loads PatchShapes and its nested classes from the given bytes of PatchShapes, in a loader of their own. */
    private static ClassLoader shapesLoader(byte[] shapes) {
        return new ClassLoader(SitePatcherTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                synchronized (getClassLoadingLock(name)) {
                    if (!name.startsWith("dev.shelf.agent.emit.PatchShapes")) {
                        return super.loadClass(name, resolve);
                    }
                    Class<?> c = findLoadedClass(name);
                    if (c == null) {
                        byte[] b;
                        try {
                            b = name.equals("dev.shelf.agent.emit.PatchShapes") ? shapes
                                    : bytesOf(name.replace('.', '/'));
                        } catch (Exception e) {
                            throw new ClassNotFoundException(name, e);
                        }
                        c = defineClass(name, b, 0, b.length);
                    }
                    return c;
                }
            }
        };
    }

    /** What the shapes make, and the sites their factories were called from. */
    private static List<String> run(ClassLoader loader) throws Exception {
        Class<?> shapes = Class.forName("dev.shelf.agent.emit.PatchShapes", true, loader);
        Method nested = shapes.getDeclaredMethod("nested", int.class);
        nested.setAccessible(true);
        Constructor<?> make = shapes.getDeclaredConstructor();
        make.setAccessible(true);
        Object made = make.newInstance();
        Field all = shapes.getDeclaredField("all");
        all.setAccessible(true);
        Field constant = shapes.getDeclaredField("CONSTANT");
        constant.setAccessible(true);
        List<String> out = new ArrayList<>();
        out.add(String.valueOf(nested.invoke(null, 3)));
        out.add(String.valueOf(all.get(made)));
        out.add(String.valueOf(constant.get(null)));
        Field sites = Class.forName(TARGET.replace('/', '.'), true, loader).getDeclaredField("SITES");
        sites.setAccessible(true);
        out.add("sites " + sites.get(null));
        return out;
    }

    @Test
    void patchedSitesVerifyAndRunLikeTheOriginalThroughTheFactories() throws Exception {
        byte[] original = bytesOf(SHAPES);
        ClassRewriter.Result patched = rewrite(original, targetPooled(), counting(), false, true);
        ClassRewriter.Result written = rewrite(original, targetPooled(), counting(), false, false);

        List<String> plain = run(shapesLoader(original));
        List<String> fromPatch = run(shapesLoader(patched.bytes())); // linked: the JVM verified the kept frames
        List<String> fromWriter = run(shapesLoader(written.bytes()));
        assertThat(fromPatch.subList(0, 3)).as("the same objects as plain new").isEqualTo(plain.subList(0, 3));
        assertThat(plain.get(3)).isEqualTo("sites []");
        assertThat(fromPatch.get(3)).as("every site went through the factory with its number")
                .isNotEqualTo("sites []");
        assertThat(fromPatch).as("the same run as the writer's class").isEqualTo(fromWriter);
    }

    @Test
    void everyCaseThePatcherDoesNotTakeGoesThroughTheWriter() throws Exception {
        byte[] shapes = bytesOf(SHAPES);

        // A site paired by data flow (a ternary in its arguments): its frames must be computed.
        byte[] branchy = bytesOf("dev/shelf/agent/emit/BranchyFrameShapes");
        Decisions frameTarget = new PoolingDecisions("dev/shelf/agent/emit/FrameShapes$Target"::equals, "()V");
        assertWriterTaken("data-flow paired site", "is not straight-line", branchy, rewrite(branchy, frameTarget, counting(), false, true),
                rewrite(branchy, frameTarget, counting(), false, false));

        // @Pooled(scope = METHOD): released at method exit, new locals and a handler.
        Decisions scoped = new PoolingDecisions(TARGET::equals, "()V", true);
        ClassRewriter.Result scopedResult = rewrite(shapes, scoped, counting(), false, true);
        assertThat(scopedResult.sites()).flatMap(ClassRewriter.MethodSites::sites)
                .anyMatch(SiteRewriter.Rewritten::scoped);
        assertWriterTaken("method-scoped site", "is method-scoped", shapes, scopedResult, rewrite(shapes, scoped, counting(), false,
                false));

        // A site number SIPUSH cannot hold.
        ClassRewriter.Result big = rewrite(shapes, targetPooled(), (p, s) -> 40_000, false, true);
        assertWriterTaken("site number 40000", "too big for SIPUSH", shapes, big,
                rewrite(shapes, targetPooled(), (p, s) -> 40_000, false, false));
        assertThat(listings(big.bytes()).get("nested(I)Ljava/util/List;")).contains("LDC 40000");

        // A type annotation on the NEW.
        byte[] tagged = bytesOf(SHAPES + "$TaggedSite");
        assertWriterTaken("type-annotated NEW", "type annotation", tagged, rewrite(tagged, targetPooled(), counting(), false, true),
                rewrite(tagged, targetPooled(), counting(), false, false));

        // Strict mode (every method's field accesses are checked).
        assertWriterTaken("strict mode", "strict mode", shapes, rewrite(shapes, targetPooled(), counting(), true, true),
                rewrite(shapes, targetPooled(), counting(), true, false));

        // A class that mentions @Pooled may have new @Pooled T() sites: parsed whole, written by ASM.
        byte[] annotated = bytesOf("dev/shelf/corpus/AnnotatedSites");
        Decisions buffers = new PoolingDecisions(Set.of("dev/shelf/corpus/PlainBuffer",
                "dev/shelf/corpus/LoadedEarly")::contains, "()V");
        assertWriterTaken("class mentioning @Pooled", "", annotated, rewrite(annotated, buffers, counting(), false, true),
                rewrite(annotated, buffers, counting(), false, false));
    }

    private static void assertWriterTaken(String what, String reason, byte[] original,
                                          ClassRewriter.Result withPatcher, ClassRewriter.Result writerOnly) {
        assertThat(withPatcher.emittedBy()).as(what).isEqualTo("ReplaceChangedMethods");
        assertThat(withPatcher.declined()).as(what + ": the patcher says why it declined")
                .anyMatch(d -> d.startsWith("PatchInPlace: ") && d.contains(reason));
        assertThat(siteCount(withPatcher)).as(what + ": sites rewritten").isPositive();
        assertThat(patchedInPlace(original, withPatcher.bytes(), siteCount(withPatcher))).as(what).isFalse();
        assertThat(withPatcher.bytes()).as(what + ": exactly the writer's output").isEqualTo(writerOnly.bytes());
        assertThat(withPatcher.sites()).isEqualTo(writerOnly.sites());
    }

    /** Bytes that do not hold what the tree said, and a full constant pool: the patcher declines. */
    @Test
    void thePatcherDeclinesBytesThatDoNotMatchAndAFullConstantPool() throws Exception {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "x/Sites", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "make", "()Ljava/lang/Object;", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.ICONST_0);                                   // 0
        mv.visitInsn(Opcodes.POP);                                        // 1
        mv.visitTypeInsn(Opcodes.NEW, "x/Pooled");                        // 2
        mv.visitInsn(Opcodes.DUP);                                        // 3
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "x/Pooled", "<init>", "()V", false); // 4
        mv.visitInsn(Opcodes.ARETURN);                                    // 5
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        byte[] bytes = cw.toByteArray();
        ClassReader reader = new ClassReader(bytes);
        int code = MethodsWithSites.find(reader, new PoolingDecisions("x/Pooled"::equals, "()V"))
                .get("make()Ljava/lang/Object;");

        int[] numberAt = new int[1];
        byte[] good = SitePatcher.patch(bytes, reader, List.of(new SitePatcher.Site(code, 2, 4, "x/Pooled", "()V", 5)),
                numberAt);
        assertThat(good).isNotNull();
        assertThat(good[numberAt[0] - 1] & 0xFF).as("SIPUSH before the number").isEqualTo(Opcodes.SIPUSH);
        assertThat(((good[numberAt[0]] & 0xFF) << 8) | (good[numberAt[0] + 1] & 0xFF)).isEqualTo(5);
        assertThat(listings(good).get("make()Ljava/lang/Object;"))
                .contains("SIPUSH 5", "INVOKESTATIC x/Pooled.$shelf$new (I)Lx/Pooled;");
        for (SitePatcher.Site wrong : List.of(
                new SitePatcher.Site(code, 1, 4, "x/Pooled", "()V", 5),      // not a NEW
                new SitePatcher.Site(code, 2, 5, "x/Pooled", "()V", 5),      // not the constructor call
                new SitePatcher.Site(code, 2, 4, "x/Other", "()V", 5),       // another class
                new SitePatcher.Site(code, 2, 4, "x/Pooled", "(I)V", 5),     // another constructor
                new SitePatcher.Site(code, 2, 40, "x/Pooled", "()V", 5))) {  // past the end of the code
            assertThat(SitePatcher.patch(bytes, reader, List.of(wrong), new int[1])).as(wrong.toString()).isNull();
        }

        ConstantPoolAppender nearlyFull = new ConstantPoolAppender(0xFFFF - 4);
        assertThat(nearlyFull.methodref(7, "$shelf$new", "(I)Lx/A;")).as("4 entries fit").isEqualTo(0xFFFF - 1);
        assertThat(nearlyFull.methodref(7, "$shelf$new", "(I)Lx/A;")).as("the same one again").isEqualTo(0xFFFF - 1);
        assertThat(nearlyFull.methodref(7, "$shelf$new", "(I)Lx/B;")).as("no room for 3 more").isEqualTo(-1);
    }

    /**
     * Across the JDK's own classes, with four JDK classes pretended pooled: wherever the patcher takes a class, its
     * output is the writer's code but for the NOPs, and passes ASM's data-flow verification if the original does;
     * wherever it does not, the output is the writer's, byte for byte.
     */
    @Test
    void patchesJdkClassesAsTheWriterRewritesThem() throws Exception {
        Decisions decisions = new PoolingDecisions(Set.of("java/lang/StringBuilder", "java/util/ArrayList",
                "java/lang/IllegalArgumentException", "java/util/HashMap")::contains, "()V");
        List<Path> files = new ArrayList<>();
        for (String pkg : new String[]{"java/util", "java/util/concurrent", "java/time/format", "java/io"}) {
            try (Stream<Path> s = Files.list(FileSystems.getFileSystem(URI.create("jrt:/"))
                    .getPath("/modules/java.base", pkg))) {
                s.filter(p -> p.toString().endsWith(".class")).sorted().forEach(files::add);
            }
        }
        int patchedClasses = 0;
        int patchedSites = 0;
        int written = 0;
        for (Path p : files) {
            byte[] original = Files.readAllBytes(p);
            ClassRewriter.Result withPatcher = rewrite(original, decisions, counting(), false, true);
            ClassRewriter.Result writerOnly = rewrite(original, decisions, counting(), false, false);
            int sites = siteCount(withPatcher);
            if (sites == 0) {
                continue;
            }
            assertThat(withPatcher.sites()).as(p.toString()).isEqualTo(writerOnly.sites());
            assertThat(withPatcher.skipped()).as(p.toString()).isEqualTo(writerOnly.skipped());
            if (!patchedInPlace(original, withPatcher.bytes(), sites)) {
                assertThat(withPatcher.bytes()).as(p + ": the writer's output").isEqualTo(writerOnly.bytes());
                written++;
                continue;
            }
            patchedClasses++;
            patchedSites += sites;
            assertThat(listings(withPatcher.bytes())).as(p.toString()).isEqualTo(listings(writerOnly.bytes()));
            if (verify(original, ClassLoader.getSystemClassLoader()).isEmpty()) {
                assertThat(verify(withPatcher.bytes(), ClassLoader.getSystemClassLoader())).as(p.toString())
                        .isEmpty();
            }
        }
        System.out.println("SitePatcherTest: " + patchedClasses + " JDK classes patched in place (" + patchedSites
                + " sites), " + written + " written by ASM");
        assertThat(patchedClasses).as("JDK classes patched in place").isGreaterThan(100);
        assertThat(patchedSites).isGreaterThan(patchedClasses);
        assertThat(written).as("JDK classes with branchy sites, written by ASM").isPositive();
    }
}
