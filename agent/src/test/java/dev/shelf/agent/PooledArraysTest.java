package dev.shelf.agent;

import dev.shelf.agent.cache.RewriteCache;
import dev.shelf.agent.classfile.ClassFileScan;
import dev.shelf.agent.classfile.ClassHierarchy;
import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.emit.ClassRewriter;
import dev.shelf.agent.emit.EmitStrategies;
import dev.shelf.agent.emit.SiteRewriter;
import dev.shelf.agent.plan.MethodsWithSites;
import dev.shelf.agent.plan.SiteNumbers;
import dev.shelf.agent.plan.SitesToRewrite;
import dev.shelf.agent.report.ShelfLog;
import dev.shelf.corpus.PooledArraySites;
import dev.shelf.corpus.ScopedArraySites;

import net.bytebuddy.dynamic.ClassFileLocator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code new @Pooled byte[n]}: both spellings, every element type, rewritten into the runtime's array calls
 * ({@code ArrayShelf}) whose arrays are exactly {@code new}'s; scoped sites released at both exits unless they escape;
 * what is not supported left allocating with one warning.
 */
class PooledArraysTest {

    static final String SITES = ReinitCorpusTest.CORPUS + ".PooledArraySites";
    static final String SCOPED = ReinitCorpusTest.CORPUS + ".ScopedArraySites";
    static final String ARRAY_SHELF = "dev/shelf/internal/ArrayShelf";
    static final String RELEASE = "dev/shelf/internal/Release";

    /** Method of {@link PooledArraySites} to the ArrayShelf method its site calls. */
    static final Map<String, String> POOLED = new LinkedHashMap<>();

    static {
        for (String t : List.of("booleans", "bytes", "chars", "shorts", "ints", "floats", "longs", "doubles")) {
            POOLED.put(t, t);
            POOLED.put(t + "OnArray", t);
        }
        POOLED.put("strings", "objects");
        POOLED.put("stringsOnArray", "objects");
        POOLED.put("nested", "objects");
        POOLED.put("arrayOfArrays", "objects");
    }

    static ShelfTestLoader loader;
    static String warnings;

    @BeforeAll
    static void load() throws Exception {
        loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
        ShelfLog.forgetWarnings();
        warnings = StdErr.capture(() -> {
            loader.loadClass(SITES);
            loader.loadClass(SCOPED);
        });
    }

    private static ClassNode rewritten(String name) {
        byte[] bytes = loader.transformed().get(name);
        assertThat(bytes).as(name + " was rewritten").isNotNull();
        ClassNode cls = new ClassNode(Opcodes.ASM9);
        new ClassReader(bytes).accept(cls, 0);
        return cls;
    }

    private static MethodNode method(ClassNode cls, String name) {
        return cls.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
    }

    private static List<String> calls(MethodNode m, String owner) {
        List<String> out = new ArrayList<>();
        for (AbstractInsnNode i : m.instructions) {
            if (i instanceof MethodInsnNode c && c.owner.equals(owner)) {
                out.add(c.name + c.desc);
            }
        }
        return out;
    }

    private static long count(MethodNode m, int opcode) {
        long n = 0;
        for (AbstractInsnNode i : m.instructions) {
            n += i.getOpcode() == opcode ? 1 : 0;
        }
        return n;
    }

    private static Object original(String method, Object... args) throws Exception {
        for (Method m : PooledArraySites.class.getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                return m.invoke(null, args);
            }
        }
        throw new IllegalArgumentException(method);
    }

    @Test
    void everyRewrittenClassVerifies() {
        for (String name : List.of(SITES, SCOPED)) {
            StringWriter out = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(loader.transformed().get(name)), loader, false,
                    new PrintWriter(out));
            assertThat(out.toString()).as("CheckClassAdapter on " + name).isEmpty();
        }
    }

    @Test
    void bothSpellingsOfEveryElementTypeCallArrayShelf() {
        ClassNode cls = rewritten(SITES);
        for (Map.Entry<String, String> e : POOLED.entrySet()) {
            MethodNode m = method(cls, e.getKey());
            assertThat(calls(m, ARRAY_SHELF)).as(e.getKey()).hasSize(1).allMatch(c -> c.startsWith(e.getValue() + "("));
            assertThat(count(m, Opcodes.NEWARRAY) + count(m, Opcodes.ANEWARRAY)).as(e.getKey()).isZero();
        }
        MethodNode strings = method(cls, "strings");
        assertThat(strings.instructions.toArray()).anyMatch(i -> i instanceof TypeInsnNode t
                && t.getOpcode() == Opcodes.CHECKCAST && t.desc.equals("[Ljava/lang/String;"));
        assertThat(method(cls, "arrayOfArrays").instructions.toArray()).anyMatch(i -> i instanceof TypeInsnNode t
                && t.getOpcode() == Opcodes.CHECKCAST && t.desc.equals("[[B"));
    }

    @Test
    void theArraysAreExactlyNewsAndTheFixturesRunUnchangedWithoutTheAgent() throws Exception {
        for (String method : POOLED.keySet()) {
            for (int n : new int[] {0, 1, 7, 4096}) {
                Object pooled = loader.call(SITES, method, n);
                Object plain = original(method, n);
                // by name: a corpus element type is loaded twice, by the test loader and without the agent
                assertThat(pooled.getClass().getName()).as(method).isEqualTo(plain.getClass().getName());
                assertThat(Array.getLength(pooled)).as(method).isEqualTo(n).isEqualTo(Array.getLength(plain));
                for (int i = 0; i < n; i++) {
                    assertThat(Array.get(pooled, i)).as(method + "[" + i + "]").isEqualTo(Array.get(plain, i));
                }
            }
            assertThatThrownBy(() -> loader.call(SITES, method, -1)).as(method)
                    .isInstanceOf(NegativeArraySizeException.class);
            assertThatThrownBy(() -> original(method, -1)).as(method)
                    .isInstanceOf(InvocationTargetException.class)
                    .hasCauseInstanceOf(NegativeArraySizeException.class);
        }
        assertThat(loader.call(SITES, "plainThenPooled", 3)).isEqualTo(3004).isEqualTo(original("plainThenPooled", 3));
        assertThat((long[]) loader.call(SITES, "nestedNewInLength", 5)).hasSize(7).containsOnly(0L);
        assertThat((long[]) loader.call(SITES, "conditionalLength", 5, true)).hasSize(5).containsOnly(0L);
        assertThat((long[]) loader.call(SITES, "objectFirstInLength")).hasSize(3).containsOnly(0L);
        assertThat((long[]) loader.call(SITES, "conditionalLength", 5, false)).hasSize(2).containsOnly(0L);
        assertThat(loader.call(SITES, "midStatement", 4)).isEqualTo(13);
        assertThat((int[]) loader.call(SITES, "withCapacities", 2)).containsExactly(0, 0);
        @SuppressWarnings("unchecked")
        IntFunction<char[]> lambda = (IntFunction<char[]>) loader.call(SITES, "lambda");
        assertThat(lambda.apply(3)).containsExactly('\0', '\0', '\0');
        assertThat(PooledArraySites.lambda().apply(3)).hasSize(3);
        assertThat((byte[][]) loader.call(SITES, "twoDimensions", 2, 3)).hasDimensions(2, 3);
        assertThat(PooledArraySites.twoDimensions(2, 3)).hasDimensions(2, 3);
    }

    @Test
    void nestedNewsInTheLengthAndLambdaBodiesKeepTheAnnotationOnTheirOwnInstruction() {
        ClassNode cls = rewritten(SITES);
        for (String m : List.of("nestedNewInLength", "conditionalLength")) {
            assertThat(calls(method(cls, m), ARRAY_SHELF)).as(m + ": the outer long[] is pooled, the char[] is not")
                    .containsExactly("longs(II)[J");
            assertThat(count(method(cls, m), Opcodes.NEWARRAY)).as(m).isEqualTo(1);
        }
        assertThat(calls(method(cls, "midStatement"), ARRAY_SHELF)).containsExactly("bytes(II)[B");
        assertThat(calls(method(cls, "objectFirstInLength"), ARRAY_SHELF)).containsExactly("longs(II)[J");
        assertThat(warnings).as("the NEW that starts the length is not a new @Pooled T() site")
                .doesNotContain("StringBuilder");
        assertThat(calls(method(cls, "plainThenPooled"), ARRAY_SHELF)).containsExactly("bytes(II)[B");
        assertThat(count(method(cls, "plainThenPooled"), Opcodes.NEWARRAY)).isEqualTo(1);
        MethodNode body = cls.methods.stream().filter(m -> m.name.startsWith("lambda$")).findFirst().orElseThrow();
        assertThat(calls(body, ARRAY_SHELF)).containsExactly("chars(II)[C");
        assertThat(calls(method(cls, "lambda"), ARRAY_SHELF)).isEmpty();
    }

    @Test
    void multiDimensionalSitesAllocateWithOneWarningNamingTheSite() {
        assertThat(count(method(rewritten(SITES), "twoDimensions"), Opcodes.MULTIANEWARRAY)).isEqualTo(1);
        assertThat(warnings).containsPattern("in dev\\.shelf\\.corpus\\.PooledArraySites, new byte\\[]\\[] at line \\d+ "
                + "in twoDimensions: new @Pooled with 2 dimensions given; only one-dimensional arrays are pooled");
        assertThat(warnings.lines().filter(l -> l.contains("dimensions given")).count()).isEqualTo(1);
    }

    @Test
    void capacitiesOnAnArraySiteAreIgnoredWithOneNote() {
        assertThat(calls(method(rewritten(SITES), "withCapacities"), ARRAY_SHELF)).containsExactly("ints(II)[I");
        assertThat(warnings.lines().filter(l -> l.contains("withCapacities: @Pooled(maxPerThread, maxShared) is "
                + "ignored on an array site")).count()).isEqualTo(1);
    }

    @Test
    void sitesAreNumberedUnderTheArrayTypesSourceNameAsClassGetTypeNameSaysIt() throws Exception {
        Map<String, List<String>> registered = new LinkedHashMap<>();
        SiteNumbers recording = (type, site) -> {
            registered.computeIfAbsent(type, k -> new ArrayList<>()).add(site);
            return registered.get(type).size();
        };
        ClassRewriter.Result r = rewrite(PooledArraySites.class, recording, EmitStrategies.ALL);
        assertThat(registered).containsKeys("byte[]", "boolean[]", "char[]", "short[]", "int[]", "float[]", "long[]",
                "double[]", "java.lang.String[]", "byte[][]", PooledArraySites.Cell[].class.getTypeName());
        assertThat(registered).doesNotContainKey("byte[][][]");
        for (String method : POOLED.keySet()) {
            String typeName = original(method, 1).getClass().getTypeName();
            assertThat(registered.get(typeName)).as(method)
                    .anyMatch(s -> s.matches("dev\\.shelf\\.corpus\\.PooledArraySites\\." + method + ":\\d+"));
        }
        assertThat(r.sites()).flatMap(ClassRewriter.MethodSites::sites).allMatch(SiteRewriter.Rewritten::array)
                .extracting(SiteRewriter.Rewritten::type).contains("byte[]", "java.lang.String[]");
    }

    @Test
    void aSiteLeftAloneStaysAPlainNew() throws Exception {
        ClassRewriter.Result r = rewrite(PooledArraySites.class,
                (type, site) -> type.equals("byte[]") ? SiteNumbers.LEAVE : 1, EmitStrategies.ALL);
        ClassNode cls = new ClassNode(Opcodes.ASM9);
        new ClassReader(r.bytes()).accept(cls, 0);
        assertThat(calls(method(cls, "bytes"), ARRAY_SHELF)).isEmpty();
        assertThat(count(method(cls, "bytes"), Opcodes.NEWARRAY)).isEqualTo(1);
        assertThat(calls(method(cls, "chars"), ARRAY_SHELF)).containsExactly("chars(II)[C");
        assertThat(r.sites()).flatMap(ClassRewriter.MethodSites::sites).noneMatch(s -> s.type().equals("byte[]"));
    }

    @Test
    void theByteStrategiesDeclineNamingTheArraySiteAndTheWriterRewritesIt() throws Exception {
        ClassRewriter.Result r = rewrite(PooledArraySites.class, (type, site) -> 1, EmitStrategies.ALL);
        assertThat(r.emittedBy()).isEqualTo("ReplaceChangedMethods");
        assertThat(r.declined()).hasSize(2).allMatch(d -> d.contains("is a pooled array (new @Pooled ")
                && d.contains("the call that replaces its allocation is longer"));
        assertThat(r.declined().get(0)).startsWith("SitesFromBytes: site in ");
        assertThat(r.declined().get(1)).startsWith("PatchInPlace: site in ");
    }

    @Test
    void explainModeListsEveryArraySite() throws Exception {
        ClassRewriter.Result r = rewrite(PooledArraySites.class, (type, site) -> 1, EmitStrategies.ALL);
        ShelfLog.setExplain(true);
        String out;
        try {
            out = StdErr.capture(() -> ShelfLogListener.INSTANCE.onRewritten("dev/shelf/corpus/PooledArraySites", r));
        } finally {
            ShelfLog.setExplain(false);
        }
        assertThat(out).contains("dev.shelf.corpus.PooledArraySites: written by ReplaceChangedMethods; SitesFromBytes: ")
                .containsPattern("rewrote dev\\.shelf\\.corpus\\.PooledArraySites\\.bytes\\(I\\)\\[B: new @Pooled byte\\[] "
                        + "\\(line \\d+\\)")
                .containsPattern("rewrote dev\\.shelf\\.corpus\\.PooledArraySites\\.strings\\(I\\)\\[Ljava/lang/String;: "
                        + "new @Pooled java\\.lang\\.String\\[] \\(line \\d+\\)")
                .containsPattern("rewrote dev\\.shelf\\.corpus\\.PooledArraySites\\.lambda\\$[^:]*: new @Pooled char\\[] "
                        + "\\(line \\d+\\)");
    }

    @Test
    void aClassWithOnlyArraySitesIsSelectedAndKeyedByDecisions() throws Exception {
        byte[] bytes = ShelfTestLoader.originalBytes(SITES);
        ClassFileScan scan = ClassFileScan.of(bytes);
        assertThat(scan).isNotNull();
        assertThat(SitesToRewrite.anyIn(Decisions.NONE, bytes, scan, false)).as("selected").isTrue();
        assertThat(SitesToRewrite.mayPoolObjectSites(bytes, scan)).as("depends on no other class's site").isFalse();
        assertThat(MethodsWithSites.find(new ClassReader(bytes), Decisions.NONE)).as("every method parsed").isNull();
        byte[] objects = ShelfTestLoader.originalBytes(ReinitCorpusTest.CORPUS + ".AnnotatedSites");
        assertThat(SitesToRewrite.mayPoolObjectSites(objects, ClassFileScan.of(objects))).isTrue();
    }

    @Test
    void theRewriteCacheKeepsAndReplaysArraySites(@TempDir Path dir) throws Exception {
        byte[] original = ShelfTestLoader.originalBytes(SITES);
        RewriteCache cache = new RewriteCache(dir.toFile(), "test");
        String key = RewriteCache.decisionsKey(PoolDecision.NOT_POOLED, List.of(), Decisions.NONE);
        SiteNumbers numbers = (type, site) -> 5;
        ClassRewriter.Result cold = rewrite(PooledArraySites.class, numbers, EmitStrategies.ALL);
        cache.storeSites("dev/shelf/corpus/PooledArraySites", original, key, cold);
        ClassRewriter.Result warm = cache.sites("dev/shelf/corpus/PooledArraySites", original, key, Decisions.NONE,
                numbers);
        assertThat(warm).isNotNull();
        assertThat(warm.bytes()).isEqualTo(cold.bytes());
        assertThat(warm.sites()).isEqualTo(cold.sites());
        assertThat(warm.skipped()).isEqualTo(cold.skipped()).isNotEmpty();
        assertThat(warm.notes()).isEqualTo(cold.notes()).hasSize(1);
        assertThat(cache.sites("dev/shelf/corpus/PooledArraySites", original, key, Decisions.NONE,
                (type, site) -> 6)).as("numbered differently in this run").isNull();
    }

    /** A compiler that records the annotation on the creating instruction itself (javac does not) is taken at its word. */
    @Test
    void anAnnotationOnTheCreatingInstructionItselfIsTakenAsIs() throws Exception {
        MethodNode m = new MethodNode(Opcodes.ASM9, Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "make", "(I)[I", null,
                null);
        org.objectweb.asm.tree.LabelNode start = new org.objectweb.asm.tree.LabelNode();
        m.instructions.add(start);
        m.instructions.add(new org.objectweb.asm.tree.LineNumberNode(7, start));
        m.instructions.add(new org.objectweb.asm.tree.VarInsnNode(Opcodes.ILOAD, 0));
        org.objectweb.asm.tree.IntInsnNode made = new org.objectweb.asm.tree.IntInsnNode(Opcodes.NEWARRAY,
                Opcodes.T_INT);
        made.visibleTypeAnnotations = new ArrayList<>(List.of(new org.objectweb.asm.tree.TypeAnnotationNode(
                org.objectweb.asm.TypeReference.newTypeReference(org.objectweb.asm.TypeReference.NEW).getValue(),
                null, "Ldev/shelf/Pooled;")));
        m.instructions.add(made);
        m.instructions.add(new org.objectweb.asm.tree.InsnNode(Opcodes.ARETURN));
        m.maxStack = 1;
        m.maxLocals = 1;
        List<String> skipped = new ArrayList<>();
        List<String> names = new ArrayList<>();
        SiteRewriter.MethodResult r = SiteRewriter.rewriteMethod("x/Y", m, Decisions.NONE, skipped,
                (type, site) -> {
                    names.add(type + " " + site);
                    return 4;
                });
        assertThat(skipped).isEmpty();
        assertThat(names).containsExactly("int[] x.Y.make:7");
        assertThat(r.sites()).containsExactly(new SiteRewriter.Rewritten("int[]", 7, false, "x.Y.make:7", 4));
        assertThat(calls(m, ARRAY_SHELF)).containsExactly("ints(II)[I");
        assertThat(r.framesValid()).as("the call needs more stack than NEWARRAY").isFalse();
    }

    @Test
    void anAnnotationWhoseArrayCannotBeFoundIsNamed() throws Exception {
        MethodNode m = new MethodNode(Opcodes.ASM9, Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "odd", "(I)I", null,
                null);
        org.objectweb.asm.tree.VarInsnNode load = new org.objectweb.asm.tree.VarInsnNode(Opcodes.ILOAD, 0);
        load.visibleTypeAnnotations = new ArrayList<>(List.of(new org.objectweb.asm.tree.TypeAnnotationNode(
                org.objectweb.asm.TypeReference.newTypeReference(org.objectweb.asm.TypeReference.NEW).getValue(),
                null, "Ldev/shelf/Pooled;")));
        m.instructions.add(load);
        m.instructions.add(new org.objectweb.asm.tree.InsnNode(Opcodes.IRETURN));
        m.maxStack = 1;
        m.maxLocals = 1;
        List<String> skipped = new ArrayList<>();
        SiteRewriter.MethodResult r = SiteRewriter.rewriteMethod("x/Y", m, Decisions.NONE, skipped,
                (type, site) -> 1);
        assertThat(r.sites()).isEmpty();
        assertThat(skipped).containsExactly("@Pooled array at line -1 in odd: the array it annotates was not found "
                + "where its expression starts; if there is one, it allocates as usual");
    }

    @Test
    void includeAndExcludeApplyToTheClassHoldingTheSite() throws Exception {
        byte[] bytes = ShelfTestLoader.originalBytes(SITES);
        for (boolean excluded : new boolean[] {false, true}) {
            dev.shelf.agent.config.ShelfConfig config = new dev.shelf.agent.config.ShelfConfig(true,
                    List.of(ReinitCorpusTest.CORPUS), excluded ? List.of(SITES) : List.of(), 64, false);
            ShelfTransformer t = new ShelfTransformer(config, Pipeline.of(config));
            byte[] out = t.transform(new ClassLoader(getClass().getClassLoader()) { },
                    "dev/shelf/corpus/PooledArraySites", null, null, bytes);
            assertThat(out).as(excluded ? "excluded: left as it is" : "included: rewritten")
                    .matches(b -> excluded ? b == null : b != null && !calls(method(read(b), "bytes"),
                            ARRAY_SHELF).isEmpty());
        }
    }

    private static ClassNode read(byte[] bytes) {
        ClassNode cls = new ClassNode(Opcodes.ASM9);
        new ClassReader(bytes).accept(cls, 0);
        return cls;
    }

    // --- scope = METHOD -----------------------------------------------------------------------------------------

    @Test
    void scopedSitesAreReleasedAtEveryExit() {
        ClassNode cls = rewritten(SCOPED);
        for (String name : List.of("used", "throwsMidway")) {
            MethodNode m = method(cls, name);
            assertThat(calls(m, ARRAY_SHELF)).as(name).hasSize(1);
            long returns = 0;
            for (AbstractInsnNode i : m.instructions) {
                returns += i.getOpcode() >= Opcodes.IRETURN && i.getOpcode() <= Opcodes.RETURN ? 1 : 0;
            }
            assertThat(calls(m, RELEASE)).as(name + ": one release per return and one in the handler")
                    .hasSize((int) returns + 1).containsOnly("ifPresent(Ljava/lang/Object;)V");
            assertThat(m.tryCatchBlocks).as(name).anyMatch(t -> t.type == null && coversAll(m.instructions, t));
        }
        assertThat(loader.call(SCOPED, "used", 6)).isEqualTo(6);
        assertThat(loader.call(SCOPED, "used", 6)).isEqualTo(6);
        assertThatThrownBy(() -> loader.call(SCOPED, "throwsMidway", 3, true))
                .isInstanceOf(IllegalStateException.class).hasMessage("midway 3");
        assertThat(loader.call(SCOPED, "throwsMidway", 2, false)).isEqualTo(2);
        assertThat(ScopedArraySites.used(6)).isEqualTo(6);
    }

    private static boolean coversAll(InsnList insns, TryCatchBlockNode t) {
        int first = -1;
        for (AbstractInsnNode i : insns) {
            if (i.getOpcode() == Opcodes.INVOKESTATIC && ((MethodInsnNode) i).owner.equals(ARRAY_SHELF)) {
                first = insns.indexOf(i);
                break;
            }
        }
        return insns.indexOf(t.start) < first && insns.indexOf(t.end) > first;
    }

    @Test
    void escapingScopedSitesAllocateAsUsualWithOneWarningEach() throws Exception {
        ClassNode cls = rewritten(SCOPED);
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("returned", "it is returned");
        reasons.put("storedInStatic", "it is stored in a static field");
        reasons.put("storedInField", "it is stored in a field");
        reasons.put("passedToConstructor", "it is passed to a constructor");
        reasons.put("capturedByLambda", "it is captured by a lambda");
        reasons.put("castThenReturned", "it is returned");
        reasons.put("inLoop", "it is inside a loop");
        for (Map.Entry<String, String> e : reasons.entrySet()) {
            MethodNode m = method(cls, e.getKey());
            assertThat(calls(m, ARRAY_SHELF)).as(e.getKey()).isEmpty();
            assertThat(calls(m, RELEASE)).as(e.getKey()).isEmpty();
            assertThat(warnings).as(e.getKey()).containsPattern("in dev\\.shelf\\.corpus\\.ScopedArraySites, new "
                    + "[a-z]+\\[] at line \\d+ in " + e.getKey() + ": @Pooled\\(scope = METHOD\\) but "
                    + e.getValue());
            assertThat(warnings.lines().filter(l -> l.contains(" in " + e.getKey() + ": ")).count()).as(e.getKey())
                    .isEqualTo(1);
        }
        byte[] a = (byte[]) loader.call(SCOPED, "returned", 4);
        assertThat(a).hasSize(4).isNotSameAs(loader.call(SCOPED, "returned", 4));
        loader.call(SCOPED, "storedInStatic", 3);
        assertThat((byte[]) loader.loadClass(SCOPED).getField("kept").get(null)).hasSize(3);
        assertThat(loader.call(SCOPED, "storedInField", 2)).isEqualTo(2);
        assertThat(loader.call(SCOPED, "passedToConstructor", 2).toString()).hasSize(2);
        assertThat(((IntSupplier) loader.call(SCOPED, "capturedByLambda", 5)).getAsInt()).isEqualTo(5);
        assertThat((long[]) loader.call(SCOPED, "castThenReturned", 3)).containsExactly(0L, 0L, 0L);
        assertThat(loader.call(SCOPED, "inLoop", 5)).isEqualTo(20);
    }

    private static ClassRewriter.Result rewrite(Class<?> c, SiteNumbers numbers,
                                                List<dev.shelf.agent.emit.EmitStrategy> strategies) throws Exception {
        byte[] bytes = ShelfTestLoader.originalBytes(c.getName());
        return ClassRewriter.rewrite(bytes, PoolDecision.NOT_POOLED, Decisions.NONE,
                new ClassHierarchy(ClassFileLocator.ForClassLoader.ofSystemLoader()), true, false, numbers, strategies);
    }
}
