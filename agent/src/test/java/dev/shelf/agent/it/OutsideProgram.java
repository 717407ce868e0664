package dev.shelf.agent.it;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A program outside the repository, the way a user has one: sources compiled against the built {@code pool-runtime}
 * jar only, then started as a separate JVM with or without the built {@code shelf-agent.jar}.
 */
final class OutsideProgram {

    /** What one JVM run produced. */
    record Run(int exit, String out, String err) {
    }

    final Path agentJar;
    final Path runtimeJar;
    final Path classes;

    private OutsideProgram(Path agentJar, Path runtimeJar, Path classes) {
        this.agentJar = agentJar;
        this.runtimeJar = runtimeJar;
        this.classes = classes;
    }

    /**
     * Compiles sources of package {@code outside} with {@code --release 17}.
     *
     * @param dir     a scratch directory
     * @param sources file name (e.g. {@code Main.java}) to source text
     * @return the compiled program
     * @throws IOException when the scratch directory cannot be written
     */
    static OutsideProgram compile(Path dir, Map<String, String> sources) throws IOException {
        Path agentJar = Path.of(System.getProperty("shelf.agent.jar"));
        Path runtimeJar = Path.of(System.getProperty("shelf.runtime.jar"));
        assertThat(agentJar).as("built agent jar").isRegularFile();
        assertThat(runtimeJar).as("built pool-runtime jar").isRegularFile();
        Path src = dir.resolve("src/outside");
        Files.createDirectories(src);
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", dir.resolve("classes").toString(),
                "-cp", runtimeJar.toString()));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Files.writeString(src.resolve(e.getKey()), e.getValue());
            args.add(src.resolve(e.getKey()).toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, args.toArray(new String[0]))).as("javac").isZero();
        return new OutsideProgram(agentJar, runtimeJar, dir.resolve("classes"));
    }

    /**
     * Runs the program and waits for it.
     *
     * @param javaHome the JDK to run on
     * @param jvmArgs  options before {@code -javaagent}
     * @param agentArg {@code null} for no agent, else what follows the jar in {@code -javaagent:jar...}
     * @param env      environment variables to add (inherited {@code SHELF_*} variables are removed first)
     * @param main     the main class and its arguments
     * @return exit code and both outputs
     * @throws Exception when the process cannot be started or waited for
     */
    Run run(String javaHome, List<String> jvmArgs, String agentArg, Map<String, String> env, String... main)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(javaHome, "bin", "java").toString()));
        cmd.addAll(jvmArgs);
        if (agentArg != null) {
            cmd.add("-javaagent:" + agentJar + agentArg);
        }
        cmd.addAll(List.of("-cp", classes + File.pathSeparator + runtimeJar));
        cmd.addAll(List.of(main));
        return exec(cmd, env);
    }

    /**
     * Runs a command line and waits for it, its standard error drained on another thread so neither pipe fills.
     *
     * @param cmd the command line
     * @param env environment variables to add (inherited {@code SHELF_*} variables are removed first: the agent
     *            refuses unknown ones, and the test decides what the program sees)
     * @return exit code and both outputs
     * @throws Exception when the process cannot be started or waited for
     */
    static Run exec(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("SHELF_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // process ended
            }
        });
        drain.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("program finished").isTrue();
        drain.join();
        return new Run(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    }

    /** @return the JDK 25 home; the calling test is skipped with the reason when it is not installed */
    static String jdk25() {
        String home = System.getProperty("shelf.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64");
        assumeTrue(Files.isExecutable(Path.of(home, "bin", "java")), "JDK 25 not installed at " + home);
        return home;
    }
}
