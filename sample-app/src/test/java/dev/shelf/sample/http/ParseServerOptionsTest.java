package dev.shelf.sample.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ParseServer's command line: what it accepts, and how it refuses the rest. */
class ParseServerOptionsTest {

    private static final long HEAP_256_MIB = 256L * 1024 * 1024;

    private static ParseServerOptions parse(String... args) throws ParseServerOptions.UsageException {
        return ParseServerOptions.parse(args, HEAP_256_MIB);
    }

    @Test
    void noArgumentsGiveTheDefaults() throws Exception {
        assertThat(parse()).isEqualTo(new ParseServerOptions(0, ParseServer.DEFAULT_THREADS, false, 16384, 0));
    }

    @Test
    void positionalArgumentsAndOptionsInAnyOrderAndBothSpellings() throws Exception {
        assertThat(parse("8080", "4", "--body-buffer", "2097152", "--live-set", "100"))
                .isEqualTo(new ParseServerOptions(8080, 4, false, 2097152, 100));
        assertThat(parse("--live-set=40", "0", "--exit-on-stdin-close", "--body-buffer=262144", "2"))
                .isEqualTo(new ParseServerOptions(0, 2, true, 262144, 40));
    }

    @Test
    void theLastOfARepeatedOptionWins() throws Exception {
        assertThat(parse("--body-buffer", "100", "--body-buffer", "200").bodyBuffer()).isEqualTo(200);
    }

    @Test
    void liveSetUpToThreeQuartersOfTheHeapIsAccepted() throws Exception {
        assertThat(parse("--live-set", "192").liveSetMib()).isEqualTo(192);
        assertThatThrownBy(() -> parse("--live-set", "193"))
                .hasMessage("--live-set was 193, out of range; accepted: MIB, the live set's size: an integer from 0"
                        + " to 192 (three quarters of this JVM's 256 MiB maximum heap; raise -Xmx for more)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--body-buffer lots   | --body-buffer was 'lots'; accepted: BYTES, the body buffer's length: an integer from 1"
            + " to 67108864 (64 MiB)",
        "--body-buffer 0      | --body-buffer was 0, out of range; accepted: BYTES",
        "--body-buffer=-5     | --body-buffer was -5, out of range; accepted: BYTES",
        "--body-buffer 67108865 | --body-buffer was 67108865, out of range; accepted: BYTES",
        "--body-buffer        | --body-buffer needs a value: BYTES",
        "--live-set           | --live-set needs a value: MIB, the live set's size: an integer from 0 to 192",
        "--live-set 1.5       | --live-set was '1.5'; accepted: MIB",
        "--live-set -1        | --live-set was -1, out of range; accepted: MIB",
        "--live-set=          | --live-set was ''; accepted: MIB",
        "--body-bufer 16384   | unknown option --body-bufer; the options are --body-buffer BYTES, --live-set MIB and"
            + " --exit-on-stdin-close",
        "--live-set=5=6       | --live-set was '5=6'; accepted: MIB",
        "http                 | port was 'http'; accepted: an integer from 0 to 65535 (0 picks a free port)",
        "70000                | port was 70000, out of range; accepted: an integer from 0 to 65535",
        "0 0                  | threads was 0, out of range; accepted: an integer from 1 to 10000",
        "0 4 9                | unexpected argument 9; at most two plain arguments, port and threads, are accepted",
    })
    void mistakesAreOneLineNamingTheArgumentAndWhatItAccepts(String args, String message) {
        assertThatThrownBy(() -> parse(args.trim().split(" +")))
                .isInstanceOf(ParseServerOptions.UsageException.class)
                .hasMessageStartingWith(message.trim())
                .hasNoCause()
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain("\n");
                    assertThat(e.getStackTrace()).as("a usage message, not a trace").isEmpty();
                });
    }

    @Test
    void theUsageLineShowsBothOptions() {
        assertThat(ParseServerOptions.USAGE).isEqualTo("usage: ParseServer [port [threads]] [--body-buffer BYTES]"
                + " [--live-set MIB] [--exit-on-stdin-close]");
    }

    /** What {@code main} did in a JVM of its own. */
    private record Exit(int status, List<String> stdout, List<String> stderr) {
    }

    private static Exit runMain(String maxHeap, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap,
                "-XX:+UseG1GC", // whose maximum heap is exactly -Xmx (Serial and Parallel report less)
                "-cp", System.getProperty("java.class.path"), ParseServer.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ParseServer " + List.of(args) + " did not exit");
        }
        return new Exit(p.exitValue(), lines(p.getInputStream().readAllBytes()),
                lines(p.getErrorStream().readAllBytes()));
    }

    private static List<String> lines(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : List.of(s.split("\\R"));
    }

    @Test
    @Timeout(60)
    void mainReportsAMistakeInOneLineAndTheUsageAndExitsWithStatus2() throws Exception {
        Exit exit = runMain("64m", "0", "--body-buffer", "2MiB");
        assertThat(exit.status()).isEqualTo(2);
        assertThat(exit.stdout()).as("no LISTENING line").isEmpty();
        assertThat(exit.stderr()).containsExactly(
                "[sample-app] --body-buffer was '2MiB'; accepted: BYTES, the body buffer's length: an integer from 1"
                        + " to 67108864 (64 MiB)",
                ParseServerOptions.USAGE);
    }

    @Test
    @Timeout(60)
    void mainMeasuresTheLiveSetAgainstItsOwnHeap() throws Exception {
        Exit exit = runMain("64m", "--live-set", "49");
        assertThat(exit.status()).isEqualTo(2);
        assertThat(exit.stderr()).hasSize(2);
        assertThat(exit.stderr().get(0)).startsWith("[sample-app] --live-set was 49, out of range; accepted: MIB,"
                + " the live set's size: an integer from 0 to ").contains("64 MiB maximum heap");
    }
}
