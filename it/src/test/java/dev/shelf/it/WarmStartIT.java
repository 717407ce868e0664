package dev.shelf.it;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code shelf.cache.dir} on the real sample apps: the second start of each app takes every class the first start
 * rewrote — pooled classes with their members, classes with allocation sites — from the cache, and serves the same
 * load correctly. Both apps, as local processes with the real agent jar, on JDK 17 and (where present) JDK 25, each
 * JDK with its own cache directory. What the agent did is read from its explain lines on the app's stderr.
 */
class WarmStartIT {

    private static final Pattern POOLED = Pattern.compile("\\[shelf] (\\S+): pooled\\b");
    private static final Pattern REWROTE = Pattern.compile("\\[shelf] rewrote (\\S+?)\\.[^.]+:");

    static Stream<Arguments> cases() {
        return RunningAppObservabilityIT.cases();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    @Timeout(240)
    void theSecondStartTakesEveryRewrittenClassFromTheCache(App app, Path home, @TempDir Path cache)
            throws Exception {
        Jdk jdk = RunningAppObservabilityIT.jdk(home);
        String options = "cache.dir=" + cache + ",explain=true";
        List<String> cold = startLoadAndStop(app, jdk, "cache-cold", options);
        Set<String> pooled = matches(cold, POOLED);
        Set<String> rewritten = matches(cold, REWROTE);
        assertThat(pooled).as("pooled classes decided on the first start").containsAll(app.pooledClasses());
        assertThat(rewritten).as("classes with sites rewritten on the first start").isNotEmpty();
        assertThat(cold).noneMatch(l -> l.contains("taken from shelf.cache.dir"));
        try (Stream<Path> entries = Files.list(cache)) {
            assertThat(entries).as("entries written").isNotEmpty();
        }

        List<String> warm = startLoadAndStop(app, jdk, "cache-warm", options);
        for (String taken : takenFromCache(cold)) {
            assertThat(warm).as("second start").contains("[shelf] " + taken);
        }
        assertThat(matches(warm, REWROTE)).as("the same sites, numbered the same").isEqualTo(rewritten);
        assertThat(warm).noneMatch(l -> l.contains("cannot write to shelf.cache.dir"));
    }

    /** Starts the app, sends its warm-up load (every pooled class in use), checks the answers, stops it. */
    private static List<String> startLoadAndStop(App app, Jdk jdk, String name, String options) throws Exception {
        Workload w = RunningAppObservabilityIT.workload(app);
        Path log;
        try (SampleApp running = SampleApp.start(RunningAppObservabilityIT.launch(app, jdk, name, options))) {
            LoadResult load = app.load(running.port(), w.warmup(), w, 5);
            assertThat(load.ok()).as("answers on the %s start: %s (log %s)", name, load.summary(), running.log())
                    .isEqualTo(w.warmup());
            log = running.stderrLog();
        }
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    /**
     * What a warm start must say, from what a cold start's explain lines say it did.
     *
     * @param coldLog the cold start's stderr
     * @return one line (without the {@code [shelf] } prefix) per pooled class and per rewritten class
     */
    static List<String> takenFromCache(List<String> coldLog) {
        List<String> out = new ArrayList<>();
        for (String cls : matches(coldLog, POOLED)) {
            out.add(cls + ": decision and pooled members taken from shelf.cache.dir");
        }
        for (String cls : matches(coldLog, REWROTE)) {
            out.add(cls + ": rewritten form taken from shelf.cache.dir");
        }
        return out;
    }

    private static Set<String> matches(List<String> lines, Pattern p) {
        Set<String> out = new TreeSet<>();
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
