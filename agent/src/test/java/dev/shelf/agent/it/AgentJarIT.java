package dev.shelf.agent.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built {@code shelf-agent.jar} as a user meets it: a small program outside the repository, compiled against
 * the {@code pool-runtime} jar only, started with and without {@code -javaagent}, on JDK 17 and on JDK 25.
 */
class AgentJarIT {

    private static final String POOLED = """
            package outside;

            import dev.shelf.Pooled;
            import java.util.*;

            @Pooled
            public class Request {
                int count = 3;
                long id;
                double ratio = 0.5;
                boolean valid = true;
                char grade = 'A';
                String name = "fresh";
                String unset;
                List<String> tokens = new ArrayList<>();
                Map<String, Integer> index = new HashMap<>();
                byte[] body = new byte[16 * 1024];
                int[] offsets = {1, 2, 3};
                { tokens.add("init"); }
            }
            """;

    private static final String MAIN = """
            package outside;

            import dev.shelf.Shelf;
            import java.lang.reflect.*;
            import java.util.*;

            public class Main {
                /** One allocation site: a reused object must equal a fresh one from the same site. */
                static Request make() {
                    return new Request();
                }

                public static void main(String[] args) throws Exception {
                    Request x = make();
                    x.count = 99; x.id = 7; x.ratio = 9; x.valid = false; x.grade = 'Z'; x.name = "dirty";
                    x.unset = "dirty"; x.tokens.add("dirty"); x.index.put("dirty", 1); x.body[100] = 1;
                    x.offsets[0] = 42;
                    Shelf.release(x);
                    Request y = make();
                    Request fresh = make(); // nothing idle now: allocated, by the real constructor
                    System.out.println("distinct=" + (fresh != y));
                    List<String> diffs = new ArrayList<>();
                    for (Field f : Request.class.getDeclaredFields()) {
                        if (Modifier.isStatic(f.getModifiers())) continue;
                        f.setAccessible(true);
                        if (!Objects.deepEquals(f.get(y), f.get(fresh))) diffs.add(f.getName());
                    }
                    System.out.println("same=" + (x == y));
                    System.out.println("equal=" + diffs.isEmpty() + " " + diffs);
                    System.out.println("active=" + Shelf.isActive());
                }
            }
            """;

    private static final String STRICT_MAIN = """
            package outside;

            import dev.shelf.PoolMisuseException;
            import dev.shelf.Shelf;

            public class StrictMain {
                public static void main(String[] args) {
                    Request x = new Request();
                    Shelf.release(x);
                    try {
                        Shelf.release(x);
                        System.out.println("double release passed");
                    } catch (PoolMisuseException e) {
                        System.out.println("double release caught: " + e.getMessage());
                    }
                    try {
                        x.count++;
                        System.out.println("use after release passed");
                    } catch (PoolMisuseException e) {
                        System.out.println("use after release caught, released at "
                                + e.getCause().getStackTrace()[1].getMethodName());
                    }
                }
            }
            """;

    /** Go's TestPoolGC: release 100, take all 100 back, drop them; how many survive two collections? */
    private static final String POOL_GC_MAIN = """
            package outside;

            import dev.shelf.Shelf;
            import java.lang.ref.WeakReference;
            import java.util.*;

            public class PoolGcMain {
                public static void main(String[] args) {
                    List<Request> made = new ArrayList<>();
                    for (int i = 0; i < 100; i++) made.add(new Request());
                    for (Request r : made) Shelf.release(r);
                    made.clear();
                    List<WeakReference<Request>> taken = new ArrayList<>();
                    for (int i = 0; i < 100; i++) taken.add(new WeakReference<>(new Request()));
                    System.gc();
                    System.gc();
                    long alive = taken.stream().filter(r -> r.get() != null).count();
                    System.out.println("reused=" + Shelf.stats().pool("outside.Request").map(p -> p.reused()).orElse(-1L));
                    System.out.println("alive=" + alive);
                }
            }
            """;

    /** A site whose objects are never released: after a while it should be a plain new again. */
    private static final String LEAKY_MAIN = """
            package outside;

            import dev.shelf.Shelf;

            public class LeakyMain {
                static long work(int i) {
                    Request r = new Request();
                    r.count = i;
                    return r.count + r.body.length + r.tokens.size();
                }

                static long acquired() {
                    return Shelf.stats().pool("outside.Request").map(p -> p.acquired()).orElse(-1L);
                }

                public static void main(String[] args) throws Exception {
                    long sum = 0;
                    for (int i = 0; i < 30_000; i++) sum += work(i);
                    Thread.sleep(2_500);
                    long before = acquired();
                    for (int i = 0; i < 30_000; i++) sum += work(i);
                    System.out.println("acquired during the second loop=" + (acquired() - before));
                    System.out.println("sum=" + sum);
                }
            }
            """;

    static OutsideProgram program;
    static Path runtimeJar;
    static Path agentJar;
    static Path classes;

    @BeforeAll
    static void compileOutsideProgram(@TempDir Path dir) throws IOException {
        program = OutsideProgram.compile(dir, Map.of("Request.java", POOLED, "Main.java", MAIN,
                "StrictMain.java", STRICT_MAIN, "PoolGcMain.java", POOL_GC_MAIN, "LeakyMain.java", LEAKY_MAIN));
        agentJar = program.agentJar;
        runtimeJar = program.runtimeJar;
        classes = program.classes;
    }

    static OutsideProgram.Run run(String javaHome, String agentArg) throws Exception {
        return run(javaHome, agentArg, "outside.Main");
    }

    static OutsideProgram.Run run(String javaHome, String agentArg, String mainClass) throws Exception {
        return run(javaHome, agentArg, mainClass, List.of(), Map.of());
    }

    static OutsideProgram.Run run(String javaHome, String agentArg, String mainClass, List<String> jvmArgs,
                   Map<String, String> env) throws Exception {
        return program.run(javaHome, jvmArgs, agentArg, env, mainClass);
    }

    static String jdk25() {
        return OutsideProgram.jdk25();
    }

    @Test
    void withTheAgentTheReleasedObjectComesBackEqualToAFreshOne() throws Exception {
        OutsideProgram.Run r = run(System.getProperty("java.home"), "");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("same=true", "distinct=true", "equal=true []", "active=true");
    }

    @Test
    void onJdk25Too() throws Exception {
        OutsideProgram.Run r = run(jdk25(), "");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("same=true", "distinct=true", "equal=true []", "active=true");
    }

    @Test
    void withoutTheAgentTheSameProgramRunsAndGetsANewObject() throws Exception {
        OutsideProgram.Run r = run(System.getProperty("java.home"), null);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("same=false", "equal=true []", "active=false");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void strictModeCatchesDoubleReleaseAndUseAfterRelease() throws Exception {
        OutsideProgram.Run strict = run(System.getProperty("java.home"), "=mode=strict", "outside.StrictMain");
        assertThat(strict.exit()).as(strict.err()).isZero();
        assertThat(strict.out()).contains("double release caught: double release of a outside.Request@",
                "use after release caught, released at main");

        OutsideProgram.Run normal = run(System.getProperty("java.home"), "", "outside.StrictMain");
        assertThat(normal.out()).as("normal mode contains misuse instead").contains("double release passed",
                "use after release passed");
        assertThat(normal.err()).contains("[shelf] WARN double release of a outside.Request ignored");
    }

    @Test
    void disabledAgentRewritesNothing() throws Exception {
        OutsideProgram.Run r = run(System.getProperty("java.home"), "=enabled=false");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("same=false", "equal=true []", "active=false");
    }

    @Test
    void aSiteWhoseObjectsNeverComeBackIsTurnedBackIntoPlainNew() throws Exception {
        for (String home : List.of(System.getProperty("java.home"), jdk25())) {
            OutsideProgram.Run r = run(home, "=report=exit", "outside.LeakyMain");
            assertThat(r.exit()).as(r.err()).isZero();
            long expectedSum = 2 * (29_999L * 30_000 / 2 + 30_000L * 16 * 1024 + 30_000L);
            assertThat(r.out()).contains("acquired during the second loop=0").contains("sum=" + expectedSum);
            assertThat(r.err()).contains("[shelf] site outside.LeakyMain.work:").contains("(new outside.Request) "
                    + "turned back into a plain new: it acquired ").contains("objects and released none");
            assertThat(r.err()).contains("nothing comes back").contains("; turned back into a plain new at run time "
                    + "after ");
        }
        OutsideProgram.Run off = run(System.getProperty("java.home"), "=sites.revertAfter=0", "outside.LeakyMain");
        assertThat(off.out()).contains("acquired during the second loop=30000");
        assertThat(off.err()).doesNotContain("turned back");
    }

    @ParameterizedTest
    @CsvSource({"=eviction=gc", "=eviction=none"})
    void objectsTakenFromThePoolAndDroppedAreFreedWithinTwoCollections(String agentArg) throws Exception {
        OutsideProgram.Run r = run(System.getProperty("java.home"), agentArg, "outside.PoolGcMain");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("alive=0");
        assertThat(r.out()).doesNotContain("reused=0", "reused=-1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "=config=/nonexistent/shelf.properties | config file /nonexistent/shelf.properties: cannot be read",
        "=pool.maxIdleBytes=plenty             | shelf.pool.maxIdleBytes='plenty' is not accepted; expected a size in bytes",
        "=pool.maxRetainedBytes=5%             | shelf.pool.maxRetainedBytes='5%' is not accepted; expected a size in bytes from 0 to 1g",
        "=pool.maxPerThread=lots                | shelf.pool.maxPerThread='lots' is not accepted; expected a whole",
        "=colour=blue                           | unknown key 'shelf.colour'; known keys are",
    })
    void badConfigurationStopsTheJvmWithOneLine(String agentArg, String expected) throws Exception {
        OutsideProgram.Run r = run(System.getProperty("java.home"), agentArg);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        List<String> shelfLines = r.err().lines().filter(l -> l.startsWith("[shelf]")).toList();
        assertThat(shelfLines).hasSize(1);
        assertThat(shelfLines.get(0)).startsWith("[shelf] ERROR ").contains(expected);
        assertThat(r.err()).doesNotContain("\tat ", "Exception");
    }

    @Test
    void systemPropertiesAndEnvironmentAreSourcesTooAndAreNamedWhenWrong() throws Exception {
        String home = System.getProperty("java.home");
        OutsideProgram.Run prop = run(home, "", "outside.Main", List.of("-Dshelf.pool.maxPerThread=abc"), Map.of());
        assertThat(prop.exit()).isEqualTo(2);
        assertThat(prop.err()).contains("[shelf] ERROR system property -Dshelf.pool.maxPerThread: "
                + "shelf.pool.maxPerThread='abc' is not accepted");

        OutsideProgram.Run env = run(home, "", "outside.Main", List.of(), Map.of("SHELF_EVICTION", "sometimes"));
        assertThat(env.exit()).isEqualTo(2);
        assertThat(env.err()).contains("[shelf] ERROR environment variable SHELF_EVICTION: "
                + "shelf.eviction='sometimes' is not accepted; expected gc or none");

        OutsideProgram.Run off = run(home, "", "outside.Main", List.of(), Map.of("SHELF_ENABLED", "false"));
        assertThat(off.exit()).as(off.err()).isZero();
        assertThat(off.out()).contains("same=false", "active=false");

        OutsideProgram.Run argWins = run(home, "=enabled=true", "outside.Main", List.of("-Dshelf.enabled=false"),
                Map.of("SHELF_ENABLED", "false"));
        assertThat(argWins.out()).as("the agent argument overrides property and environment")
                .contains("same=true", "active=true");
    }

    /**
     * premain puts the agent's own jar on the bootstrap class path: the pool runtime, so that every class loader sees
     * one copy, and the agent with its relocated ASM and Byte Buddy, which the JVM then defines natively and without
     * verifying them (the first rewrite of a run loads ~80 of them). Checked on the jar and on both JDKs at run time:
     * the application class loader defines only the few classes {@code premain} needs before the append (the
     * trampoline); every runtime, rewriting and ASM class comes from the agent's jar on the bootstrap path (HotSpot
     * logs those with a plain path as their source, the application loader's with a {@code file:} URL); HotSpot's
     * warning about the appended path comes once at most; nothing is written to {@code java.io.tmpdir}.
     */
    @Test
    void theRuntimeTheAgentAndAsmAreLoadedFromTheAgentJarOnTheBootstrapPathOnBothJdks(@TempDir Path dir)
            throws Exception {
        try (JarFile jar = new JarFile(agentJar.toFile())) {
            assertThat(List.of("dev/shelf/Shelf.class", "dev/shelf/Pooled.class",
                    "dev/shelf/internal/ShelfRegistry.class", "dev/shelf/agent/shaded/asm/ClassReader.class",
                    "dev/shelf/agent/emit/ClassRewriter.class"))
                    .as("at the jar's root").allMatch(n -> jar.getJarEntry(n) != null);
            assertThat(jar.stream().map(JarEntry::getName))
                    .as("nothing nested, nothing unrelocated but the runtime")
                    .noneMatch(n -> n.endsWith(".jar"))
                    .allMatch(n -> n.startsWith("dev/shelf/") || n.startsWith("META-INF/") || n.equals("dev/"));
        }
        for (String home : List.of(System.getProperty("java.home"), jdk25())) {
            Path log = dir.resolve("classes-" + home.hashCode() + ".log");
            Path tmp = Files.createDirectories(dir.resolve("tmp-" + home.hashCode()));
            OutsideProgram.Run r = run(home, "", "outside.Main",
                    List.of("-Xlog:class+load:file=" + log, "-Djava.io.tmpdir=" + tmp), Map.of());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).as(home).contains("same=true", "equal=true []", "active=true");
            assertThat(r.err().lines().filter(l -> l.contains("bootstrap classpath has been appended")))
                    .as("HotSpot's warning, once per appended jar").hasSizeLessThanOrEqualTo(1);
            List<String> shelf = Files.readAllLines(log).stream().filter(l -> l.contains(" dev.shelf.")).toList();
            List<String> byAppLoader = shelf.stream().filter(l -> l.contains("source: file:"))
                    .map(l -> l.substring(l.indexOf(" dev.shelf.") + 1, l.indexOf(" source: "))).toList();
            assertThat(byAppLoader).as("the trampoline, on " + home)
                    .contains("dev.shelf.agent.ShelfAgent", "dev.shelf.agent.config.ShelfConfig")
                    .allMatch(n -> n.startsWith("dev.shelf.agent.ShelfAgent") || n.startsWith("dev.shelf.agent.config.")
                            || n.equals("dev.shelf.agent.loaders.RuntimeOnModulePath")
                            || n.equals("dev.shelf.agent.report.ShelfLog"));
            String bootSource = " source: " + agentJar.toAbsolutePath();
            for (String name : List.of("dev.shelf.internal.ShelfRegistry", "dev.shelf.agent.AgentStart",
                    "dev.shelf.agent.ShelfTransformer", "dev.shelf.agent.config.ShelfConfig",
                    "dev.shelf.agent.emit.ClassRewriter", "dev.shelf.agent.shaded.asm.ClassReader")) {
                assertThat(shelf).as(name + " from the bootstrap path on " + home)
                        .anyMatch(l -> l.contains(" " + name + bootSource));
            }
            assertThat(shelf).as("no runtime or ASM class through the application loader on " + home)
                    .noneMatch(l -> l.contains("source: file:") && (l.contains(" dev.shelf.internal.")
                            || l.contains(" dev.shelf.agent.shaded.") || l.contains(" dev.shelf.agent.classfile.")
                            || l.contains(" dev.shelf.agent.decide.") || l.contains(" dev.shelf.agent.plan.")
                            || l.contains(" dev.shelf.agent.emit.") || l.contains(" dev.shelf.agent.cache.")));
            try (var written = Files.list(tmp)) {
                assertThat(written).as("nothing extracted").isEmpty();
            }
        }
    }

    /**
     * The jar carries only the part of Byte Buddy the agent uses (its class file locator): every Byte Buddy class
     * that one of the agent's classes names is there, and nothing else of Byte Buddy's ~3100 classes.
     */
    @Test
    void theJarCarriesEveryByteBuddyClassTheAgentNamesAndNoOther() throws IOException {
        String shaded = "dev/shelf/agent/shaded/bytebuddy/";
        java.util.regex.Pattern reference = java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote(shaded) + "[A-Za-z0-9_/$]+");
        try (JarFile jar = new JarFile(agentJar.toFile())) {
            java.util.Set<String> named = new java.util.TreeSet<>();
            for (JarEntry e : jar.stream().toList()) {
                if (e.getName().endsWith(".class") && !e.getName().startsWith(shaded)) {
                    String text = new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.ISO_8859_1);
                    reference.matcher(text).results().forEach(m -> named.add(m.group() + ".class"));
                }
            }
            assertThat(named).as("Byte Buddy classes the agent names")
                    .contains(shaded + "dynamic/ClassFileLocator.class")
                    .allSatisfy(n -> assertThat(jar.getJarEntry(n)).as(n).isNotNull());
            assertThat(jar.stream().map(JarEntry::getName)
                    .filter(n -> n.startsWith(shaded) && n.endsWith(".class")).toList())
                    .as("Byte Buddy classes in the jar").hasSizeLessThan(10);
            assertThat(jar.getJarEntry("META-INF/LICENSE")).as("Byte Buddy's license").isNotNull();
        }
    }

    /** Nothing goes through {@code java.io.tmpdir}: where it cannot be written, Shelf works all the same. */
    @Test
    void anUnwritableTmpdirDoesNotMatter(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no-such-dir");
        OutsideProgram.Run r = run(System.getProperty("java.home"), "", "outside.Main",
                List.of("-Djava.io.tmpdir=" + missing), Map.of());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("same=true", "equal=true []", "active=true");
        assertThat(r.err().lines().filter(l -> l.startsWith("[shelf]"))).isEmpty();
    }

    @Test
    void dumpDirReceivesEveryRewrittenClass(@TempDir Path dir) throws Exception {
        Path dump = dir.resolve("dump");
        OutsideProgram.Run r = run(System.getProperty("java.home"), "=dump.dir=" + dump, "outside.Main", List.of(),
                Map.of());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(dump.resolve("outside/Request.class")).isRegularFile();
        assertThat(dump.resolve("outside/Main.class")).isRegularFile();
        assertThat(Files.readAllBytes(dump.resolve("outside/Request.class")))
                .as("the rewritten Request, with its factory").isNotEqualTo(
                        Files.readAllBytes(classes.resolve("outside/Request.class")));
    }

    @Test
    void aWarmStartTakesEveryRewrittenClassFromTheCacheDirOnBothJdks(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        List<String> taken = List.of("outside.Request: decision and pooled members taken from shelf.cache.dir",
                "outside.Main: rewritten form taken from shelf.cache.dir");
        String jdk17 = System.getProperty("java.home");
        // Each JDK keeps its own entries in the shared directory: the second JDK's start does not evict the first's.
        for (String home : List.of(jdk17, jdk25(), jdk17)) {
            boolean first = !Files.isDirectory(dir.resolve("cold-" + home.hashCode()));
            Path dump = dir.resolve((first ? "cold-" : "warm-") + home.hashCode());
            OutsideProgram.Run r = run(home, "=cache.dir=" + cache + ",explain=true,dump.dir=" + dump,
                    "outside.Main", List.of(), Map.of());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).as(home).contains("same=true", "distinct=true", "equal=true []", "active=true");
            if (first) {
                assertThat(r.err()).as("first start on " + home).doesNotContain(taken);
                continue;
            }
            assertThat(r.err()).as("warm start on " + home).contains(taken);
            for (String c : List.of("outside/Request.class", "outside/Main.class")) {
                assertThat(Files.readAllBytes(dump.resolve(c))).as(c + " on " + home)
                        .isEqualTo(Files.readAllBytes(dir.resolve("cold-" + home.hashCode()).resolve(c)));
            }
        }
        OutsideProgram.Run again = run(jdk25(), "=cache.dir=" + cache + ",explain=true", "outside.Main", List.of(),
                Map.of());
        assertThat(again.err()).as("warm start on JDK 25").contains(taken);
    }

    @Test
    void badConfigurationFileKeyIsNamed(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("shelf.properties");
        Files.writeString(f, "shelf.enabled=true\nshelf.pool.maxPerThread=0\n");
        OutsideProgram.Run r = run(System.getProperty("java.home"), "=config=" + f);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("[shelf] ERROR config file " + f.toAbsolutePath()
                + ": shelf.pool.maxPerThread='0' is not accepted; expected a whole number from 1 to");
    }

    private static final String FLEXIBLE = """
            package flex;

            import dev.shelf.Pooled;
            import dev.shelf.Shelf;

            @Pooled
            public class Checked {
                final long id;
                final String label;
                int uses = 1;

                public Checked(long id) {
                    if (id < 0) {
                        throw new IllegalArgumentException("negative id " + id);
                    }
                    String l = "id-" + id;
                    this.label = l;
                    super();
                    this.id = id;
                }

                public static void main(String[] args) {
                    Checked a = new Checked(1);
                    a.uses = 9;
                    Shelf.release(a);
                    Checked b = new Checked(2);
                    System.out.println("same=" + (a == b) + " id=" + b.id + " label=" + b.label + " uses=" + b.uses);
                    try {
                        Shelf.release(b);
                        new Checked(-1);
                    } catch (IllegalArgumentException e) {
                        System.out.println("threw=" + e.getMessage());
                    }
                    Checked c = new Checked(3);
                    System.out.println("afterThrow=" + (c == b));
                }
            }
            """;

    /** JDK 25's flexible constructor bodies (JEP 513): statements and field writes before super(). */
    @Test
    void flexibleConstructorBodiesOnJdk25(@TempDir Path dir) throws Exception {
        String home = jdk25();
        Path src = dir.resolve("flex");
        Files.createDirectories(src);
        Files.writeString(src.resolve("Checked.java"), FLEXIBLE);
        Path out = dir.resolve("classes");
        Process javac = new ProcessBuilder(Path.of(home, "bin", "javac").toString(), "--release", "25", "-d",
                out.toString(), "-cp", runtimeJar.toString(), src.resolve("Checked.java").toString())
                .redirectErrorStream(true).start();
        String javacOut = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(javac.waitFor()).as(javacOut).isZero();

        Process p = new ProcessBuilder(Path.of(home, "bin", "java").toString(), "-javaagent:" + agentJar + "=explain=true",
                "-cp", out + java.io.File.pathSeparator + runtimeJar, "flex.Checked").start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(stderr).isZero();
        assertThat(stderr).contains("[shelf] flex.Checked: pooled");
        assertThat(stdout).contains("same=true id=2 label=id-2 uses=1", "threw=negative id -1",
                "afterThrow=false");
    }
}
