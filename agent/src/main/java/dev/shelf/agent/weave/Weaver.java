package dev.shelf.agent.weave;

import dev.shelf.agent.AgentListener;
import dev.shelf.agent.Pipeline;
import dev.shelf.agent.ShelfLogListener;
import dev.shelf.agent.ShelfTransformer;
import dev.shelf.agent.classfile.ClassFileScan;
import dev.shelf.agent.classfile.ShelfNames;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.emit.ClassRewriter;
import dev.shelf.agent.report.ShelfLog;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The agent's rewrite at build time: rewrites a directory of class files in place ({@code target/classes}), with the
 * agent's own stages ({@link Pipeline}, {@link ShelfTransformer}), so that the application runs pooled with only
 * {@code pool-runtime} on its class path.
 *
 * <p>Each class file goes through the very transformer the agent installs, given a class loader over the directory
 * and the compile class path that is never asked to load anything, only to find class files: decisions about
 * dependency classes are read from their class files, as the agent reads them through the application's loader.
 * What differs from run time:
 * <ul>
 *   <li>a class already woven (it carries {@link WovenMarker}: an incremental build, a second run) is left alone;</li>
 *   <li>a site may call {@code T.$shelf$new} only if {@code T} gets its pooled members in this run or already has
 *       them (woven in its own module): every class constructed here that lives outside the directory and is not
 *       woven counts as "loaded without members", so the agent's own promise rule leaves those sites plain
 *       {@code new}, with a warning when {@code T} is {@code @Pooled};</li>
 *   <li>sites are numbered here ({@link BuildSiteNumbers}) and pooled classes activate the runtime themselves
 *       ({@link Activation});</li>
 *   <li>a class the rewrite fails on is written back as javac wrote it, and counted.</li>
 * </ul>
 * Everything the agent would print — warnings (a class that cannot be pooled, a site left alone), explain lines —
 * goes to the {@code log} given here, each line as the agent prints it ({@code [shelf] WARN ...}).
 */
public final class Weaver {

    private final ShelfConfig config;
    private final List<Path> classPath;
    private final Consumer<String> log;

    /**
     * What one run did.
     *
     * @param classes      class files in the directory
     * @param woven        classes rewritten now (pooled classes and classes with rewritten sites)
     * @param pooled       pooled classes among them
     * @param alreadyWoven classes that carried the marker already and were left alone
     * @param failed       classes the rewrite failed on, written back unchanged (binary names)
     * @param warnings     the warning lines printed
     */
    public record Result(int classes, int woven, int pooled, int alreadyWoven, List<String> failed,
                         List<String> warnings) {

        /** Returns the one summary line of a run. */
        public String summary() {
            return "wove " + woven + " of " + classes + " classes (" + pooled + " pooled)"
                    + (alreadyWoven > 0 ? ", " + alreadyWoven + " already woven" : "")
                    + (failed.isEmpty() ? "" : ", " + failed.size() + " failed and left as javac wrote them")
                    + (warnings.isEmpty() ? "" : ", " + warnings.size() + " warning(s)");
        }
    }

    /**
     * @param config    the validated configuration; {@code include}, {@code exclude}, {@code mode} and
     *                  {@code explain} shape the rewrite, the pool settings are recorded for activation
     * @param classPath the class path the directory's classes compile against (jars and directories); the
     *                  directory itself may be on it
     * @param log       where each line goes
     */
    public Weaver(ShelfConfig config, List<Path> classPath, Consumer<String> log) {
        this.config = config;
        this.classPath = List.copyOf(classPath);
        this.log = log;
    }

    /**
     * Rewrites the class files of a directory in place.
     *
     * @param classes the directory ({@code target/classes})
     * @return what was done
     * @throws IOException when the directory cannot be read or a class file cannot be written
     */
    public Result weave(Path classes) throws IOException {
        List<String> warnings = new ArrayList<>();
        if (!Files.isDirectory(classes)) {
            return new Result(0, 0, 0, 0, List.of(), warnings);
        }
        Map<String, byte[]> files = readClasses(classes);
        if (!config.enabled()) {
            log.accept("[shelf] shelf.enabled=false: nothing woven in " + classes);
            return new Result(files.size(), 0, 0, 0, List.of(), warnings);
        }
        Consumer<String> lines = line -> {
            if (line.startsWith("[shelf] WARN ")) {
                warnings.add(line);
            }
            log.accept(line);
        };
        boolean explain = ShelfLog.explaining();
        ShelfLog.forgetWarnings();
        ShelfLog.setExplain(config.explain());
        ShelfLog.redirect(lines);
        try (URLClassLoader loader = new URLClassLoader("shelf-weave", urls(classes),
                ClassLoader.getPlatformClassLoader())) {
            return weave(classes, files, loader, warnings);
        } finally {
            ShelfLog.redirect(null);
            ShelfLog.setExplain(explain);
        }
    }

    private Result weave(Path dir, Map<String, byte[]> files, ClassLoader loader, List<String> warnings)
            throws IOException {
        Pipeline stages = Pipeline.of(config, config.strict(), null);
        List<String> failed = new ArrayList<>();
        Set<String> hooked = new LinkedHashSet<>();
        AgentListener listener = new Failures(failed, hooked);
        ShelfTransformer transformer = new ShelfTransformer(config, stages, listener);
        BuildSiteNumbers numbers = new BuildSiteNumbers();
        transformer.siteNumbers(numbers);

        // Classes that may say `new @Pooled T()` first: a class rewritten before a site promised it its members
        // could not get them any more, as under the agent.
        List<String> order = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        int alreadyWoven = 0;
        Set<String> dependencies = new LinkedHashSet<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            ClassFileScan scan = ClassFileScan.of(e.getValue());
            if (scan != null && scan.woven) {
                alreadyWoven++;
                continue;
            }
            (scan != null && scan.mentionsPooled && scan.hasTypeAnnotations ? order : rest).add(e.getKey());
            if (scan != null) {
                for (String owner : scan.referencedOwners(false)) {
                    if (!files.containsKey(owner) && !ShelfNames.isPlatformOrShelf(owner)) {
                        dependencies.add(owner);
                    }
                }
            }
        }
        order.addAll(rest);
        for (String owner : dependencies) {
            byte[] bytes = find(loader, owner);
            if (bytes != null && !WovenMarker.isWoven(bytes)) {
                stages.catalog().loaded(owner); // it has no pooled members, and will get none: no site may rely on it
                if (annotatedPooled(bytes)) {
                    ShelfLog.warnOnce(owner, owner.replace('/', '.') + " is @Pooled but comes from a dependency that "
                            + "was not woven: `new` of it in " + dir + " allocates as usual (weave that module "
                            + "too, or run with the agent)");
                }
            }
        }

        Map<String, byte[]> rewritten = new LinkedHashMap<>();
        List<String> pooled = new ArrayList<>();
        List<String> activating = new ArrayList<>(); // pooled classes and classes with pooled array sites
        for (String name : order) {
            byte[] out = transform(transformer, loader, name, java.util.Objects.requireNonNull(files.get(name)));
            if (hooked.remove(name)) {
                // The agent's class-loader hook points at the agent's runtime on the bootstrap path, which a woven
                // application does not have: such a class is left as javac wrote it.
                ShelfLog.warnOnce(name, "class loader " + name.replace('/', '.') + " overrides loadClass: it is "
                        + "left as javac wrote it, and allocations in it are not pooled");
                continue;
            }
            if (out != null) {
                rewritten.put(name, out);
                if (Activation.registersPool(out)) {
                    pooled.add(name);
                    activating.add(name);
                } else if (Activation.hasArraySites(out)) {
                    activating.add(name);
                }
            }
        }
        String marker = "shelf-maven-plugin; mode=" + (config.strict() ? "strict" : "normal");
        String activation = activating.isEmpty() ? null : activationName(activating.get(0), files);
        int woven = 0;
        for (Map.Entry<String, byte[]> e : rewritten.entrySet()) {
            String name = e.getKey();
            byte[] out;
            try {
                out = Activation.finish(e.getValue(), activating.contains(name) ? activation : null, marker);
            } catch (RuntimeException ex) {
                // Not expected: the transformer's own output always reads back. Then the class stays as javac wrote it.
                listener.onError(name, ex);
                continue;
            }
            Files.write(dir.resolve(name + ".class"), out);
            woven++;
        }
        if (activation != null) {
            Files.write(dir.resolve(activation + ".class"),
                    Activation.generate(activation, config, numbers.names(), marker));
        }
        return new Result(files.size(), woven, pooled.size(), alreadyWoven, failed, warnings);
    }

    /**
     * One class through the agent's transformer, as a class being defined for the first time: the JVM passes no class
     * being redefined and no protection domain then, and the transformer reads neither.
     */
    @SuppressWarnings("NullAway") // the two nulls are what the JVM passes for a class defined for the first time
    private static byte @Nullable [] transform(ShelfTransformer transformer, ClassLoader loader, String name,
                                               byte[] bytes) {
        return transformer.transform(loader, name, null, null, bytes);
    }

    /**
     * The activation class's name: {@code $ShelfWoven} in the first pooled class's package, unless an application
     * class has that name. One an earlier run wrote (it carries the marker) is replaced: the pooled classes woven now
     * call the new one, and one activation class per directory is enough.
     */
    private static String activationName(String firstPooled, Map<String, byte[]> files) {
        int slash = firstPooled.lastIndexOf('/');
        String base = (slash < 0 ? "" : firstPooled.substring(0, slash + 1)) + Activation.SIMPLE_NAME;
        String name = base;
        for (int i = 2; files.containsKey(name) && !WovenMarker.isWoven(files.get(name)); i++) {
            name = base + i;
        }
        return name;
    }

    /** Every class file of the directory by internal name, sorted; {@code module-info} and {@code package-info} aside. */
    private static Map<String, byte[]> readClasses(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = dir.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                if (!rel.endsWith(".class") || rel.endsWith("module-info.class") || rel.endsWith("package-info.class")
                        || rel.startsWith("META-INF/")) {
                    continue;
                }
                files.put(rel.substring(0, rel.length() - ".class".length()), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private URL[] urls(Path dir) {
        List<URL> urls = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        seen.add(dir.toAbsolutePath().normalize());
        for (Path p : classPath) {
            seen.add(p.toAbsolutePath().normalize());
        }
        for (Path p : seen) {
            try {
                urls.add(p.toUri().toURL());
            } catch (java.net.MalformedURLException e) {
                throw new UncheckedIOException(e);
            }
        }
        return urls.toArray(new URL[0]);
    }

    private static byte @Nullable [] find(ClassLoader loader, String internalName) {
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether the class itself is annotated {@code @Pooled} (not merely mentions it at a site). */
    private static boolean annotatedPooled(byte[] bytes) {
        if (!ShelfNames.mentionsPooled(bytes)) {
            return false;
        }
        ClassNode cls = new ClassNode(Opcodes.ASM9);
        new ClassReader(bytes).accept(cls, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        for (List<AnnotationNode> list : java.util.Arrays.asList(cls.visibleAnnotations, cls.invisibleAnnotations)) {
            if (list != null) {
                for (AnnotationNode a : list) {
                    if (a.desc.equals(ShelfNames.POOLED_DESC)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The agent's reporting, plus the classes that failed. */
    private static final class Failures implements AgentListener {
        private final List<String> failed;
        private final Set<String> hooked;

        Failures(List<String> failed, Set<String> hooked) {
            this.failed = failed;
            this.hooked = hooked;
        }

        @Override
        public void onRewritten(String className, ClassRewriter.Result result) {
            ShelfLogListener.INSTANCE.onRewritten(className, result);
        }

        @Override
        public void onError(String className, Throwable error) {
            failed.add(className.replace('/', '.'));
            ShelfLog.warnOnce(className, "could not weave " + className.replace('/', '.') + " (" + error
                    + "); it is left as javac wrote it and its allocations are not pooled");
        }

        @Override
        public void onSitesNotRewritten(String className, Throwable error) {
            ShelfLogListener.INSTANCE.onSitesNotRewritten(className, error);
        }

        @Override
        public void onLoaderHooked(String className) {
            hooked.add(className);
        }

        @Override
        public void onLoaderNotHooked(String className, Throwable error) {
            // The hook is the agent's business at run time (see onLoaderHooked): nothing is lost at build time.
        }

        @Override
        public void onDumpFailed(Path dir, Exception error) {
            ShelfLogListener.INSTANCE.onDumpFailed(dir, error);
        }
    }
}
