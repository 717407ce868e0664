package dev.shelf.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link LocalLoadIT} for build-time weaving: both sample apps as local processes, <em>never with an agent</em> —
 * as javac wrote them, and woven by shelf-maven-plugin (module sample-app-woven) — under the same load, checked by the
 * same {@link Expectations}: zero contaminated answers, hit ratio at least 0.95, and allocated bytes per request
 * woven / unwoven under the same bound. In the report and the assertions' wording "with agent" is the woven run:
 * Shelf must report itself active there, activated by the woven classes alone.
 *
 * <p>Writes {@code target/reports/woven/report.md}.
 */
class WovenLoadIT {

    private static final Report REPORT = new Report("Sample apps as local processes, as compiled and woven at build"
            + " time (no agent in either)");

    static Stream<App> samples() {
        return App.SAMPLES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    @Timeout(300)
    void unwovenAndWoven(App app) throws Exception {
        Comparison c = Measurement.compare(new WovenLauncher(LocalLauncher.fromSystemProperties()), app,
                Expectations.workload(app), 1, System.out);
        REPORT.add(c);
        System.out.println(Report.table(c));
        Expectations.check(c);
    }

    @AfterAll
    static void writeReport() throws Exception {
        REPORT.writeUnderReports("woven");
    }

    /**
     * Starts the app as compiled for "without", and with sample-app's jar replaced by the woven classes for "with";
     * neither gets {@code -javaagent}.
     */
    record WovenLauncher(LocalLauncher plain) implements Launcher {

        @Override
        public RunningApp start(App app, boolean woven, String name) throws IOException {
            if (!woven) {
                return plain.start(app, false, name);
            }
            LocalLauncher wovenApp = new LocalLauncher(plain.jdk(), wovenClasspath(plain.classpath()),
                    plain.agentJar(), plain.jvmArgs(), plain.logDir());
            return wovenApp.start(app, false, name.replace("with-agent", "woven"));
        }

        /** The class path with sample-app's jar (or classes) replaced by sample-app-woven's classes. */
        static String wovenClasspath(String classpath) {
            Path woven = Path.of(System.getProperty("shelf.it.wovenClasses", "../sample-app-woven/target/classes"));
            if (!Files.isDirectory(woven.resolve("dev/shelf/sample"))) {
                throw new IllegalStateException("no woven sample app at " + woven.toAbsolutePath() + "; build the "
                        + "reactor (module sample-app-woven) first");
            }
            List<String> out = new ArrayList<>();
            boolean replaced = false;
            for (String e : classpath.split(File.pathSeparator)) {
                boolean sample = e.contains("sample-app-" ) && e.endsWith(".jar") || e.replace('\\', '/')
                        .endsWith("sample-app/target/classes");
                if (sample && !replaced) {
                    out.add(woven.toAbsolutePath().toString());
                    replaced = true;
                } else if (!sample) {
                    out.add(e);
                }
            }
            if (!replaced) {
                throw new IllegalStateException("sample-app is not on the app class path " + classpath);
            }
            return String.join(File.pathSeparator, out);
        }

        @Override
        public String where() {
            return "local process, " + plain.jdk().label() + ", woven at build time (no agent)";
        }

        @Override
        public Jdk jdk() {
            return plain.jdk();
        }

        @Override
        public List<String> jvmArgs() {
            return plain.jvmArgs();
        }
    }
}
