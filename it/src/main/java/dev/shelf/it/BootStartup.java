package dev.shelf.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Start-up of the Spring Boot sample without and with Shelf's agent: the time from starting {@code java -jar} to
 * the first answered {@code POST /parse}, in alternating runs (without, with, with, without, ...), with medians.
 *
 * <p>Uses only the JDK, so it runs as a single source file:
 * <pre>
 * java it/src/main/java/dev/shelf/it/BootStartup.java sample-spring-boot/target/sample-spring-boot-exec.jar \
 *      agent/target/shelf-agent.jar 6
 * </pre>
 * The app runs on the JDK running this, with the load tests' flags ({@code -XX:+UseG1GC -Xms128m -Xmx128m}), as a
 * local process, one at a time.
 */
public final class BootStartup {

    private BootStartup() {
    }

    /**
     * Runs the measurement and prints one line per run and the medians.
     *
     * @param args the executable jar, the agent jar, and the number of runs (even; default 6)
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path agent = Path.of(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            boolean withAgent = i % 4 == 1 || i % 4 == 2; // without, with, with, without, ...
            double ms = firstAnswerMillis(jar, withAgent ? agent : null);
            (withAgent ? with : without).add(ms);
            System.out.printf(Locale.ROOT, "run %d %-13s first answer after %6.0f ms%n", i + 1,
                    withAgent ? "with agent" : "without agent", ms);
        }
        double a = median(without);
        double b = median(with);
        System.out.printf(Locale.ROOT, "median without %.0f ms (%d runs), with %.0f ms (%d runs): +%.0f ms (%+.0f%%)%n",
                a, without.size(), b, with.size(), b - a, (b / a - 1) * 100);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double firstAnswerMillis(Path jar, Path agent) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseG1GC", "-Xms128m", "-Xmx128m"));
        if (agent != null) {
            cmd.add("-javaagent:" + agent);
        }
        cmd.addAll(Arrays.asList("-jar", jar.toString(), "--server.port=0"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (!port.isDone() && line.startsWith("LISTENING ")) {
                            port.complete(Integer.parseInt(line.substring(10).trim()));
                        }
                    }
                    port.completeExceptionally(new IOException("the app exited without listening"));
                } catch (IOException e) {
                    port.completeExceptionally(e);
                }
            });
            reader.setDaemon(true);
            reader.start();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.get(300,
                            TimeUnit.SECONDS) + "/parse"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":1,\"tokens\":[\"a\"]}")).build();
            while (true) {
                try {
                    if (client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        return (System.nanoTime() - t0) / 1e6;
                    }
                } catch (IOException notYet) {
                    // not accepting yet
                }
                Thread.sleep(5);
            }
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }
}
