#!/usr/bin/env bash
# Start-up cost of the agent on an application that loads thousands of classes (issue 7: target <= +10%).
#
# Generates N application classes (each with fields, a few methods and ordinary JDK allocations; one in 50 also
# allocates a @Pooled class), compiles them once, then starts a JVM that loads and initialises all of them — without
# the agent and with it, alternating, RUNS times each — and prints the median wall time of each and the ratio.
#
# Usage: benchmarks/startup/measure.sh [N=3000] [RUNS=11]   (after ./mvnw -q -pl agent -am package -DskipTests)
#        AGENT_ARGS=cache.dir=/tmp/shelf-cache benchmarks/startup/measure.sh 3000 11   # the agent with arguments: here
#        a warm start (the warm-up run below fills the cache, every measured run takes its classes from it)
# Prints the ratio of the medians and the median of the per-pair ratios with its 95% interval.
set -euo pipefail
N=${1:-3000}
RUNS=${2:-11}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
AGENT="$ROOT/agent/target/shelf-agent.jar"
RUNTIME=$(ls "$ROOT"/pool-runtime/target/pool-runtime-*.jar | grep -v sources | head -1)
[ -f "$AGENT" ] || { echo "build first: ./mvnw -q -pl agent -am package -DskipTests" >&2; exit 1; }
WORK=${STARTUP_WORK:-$(mktemp -d)}   # STARTUP_WORK=dir keeps the generated application for profiling
[ -n "${STARTUP_WORK:-}" ] || trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/src/app" "$WORK/classes"

cat > "$WORK/src/app/Buf.java" <<'JAVA'
package app;
@dev.shelf.Pooled
public class Buf {
    private final byte[] bytes = new byte[256];
    int used;
}
JAVA
for ((i = 0; i < N; i++)); do
  pooled=""
  if ((i % 50 == 0)); then pooled="Buf b = new Buf(); b.used = n; dev.shelf.Shelf.release(b);"; fi
  cat > "$WORK/src/app/C$i.java" <<JAVA
package app;
import java.util.*;
public class C$i {
    static final List<String> NAMES = new ArrayList<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private long total;
    static { NAMES.add("C$i"); }
    public int work(int n) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < n; k++) { sb.append(k); counts.merge("k" + (k % 3), 1, Integer::sum); }
        total += sb.length();
        $pooled
        return counts.size() + (int) total;
    }
    public String describe() { return "C$i:" + total + ":" + counts; }
}
JAVA
done
cat > "$WORK/src/app/Main.java" <<JAVA
package app;
public class Main {
    public static void main(String[] args) throws Exception {
        long sum = 0;
        for (int i = 0; i < $N; i++) {
            Class<?> c = Class.forName("app.C" + i);
            Object o = c.getConstructor().newInstance();
            sum += (int) c.getMethod("work", int.class).invoke(o, 3);
        }
        System.out.println("loaded $N classes, checksum " + sum);
    }
}
JAVA
echo "compiling $N classes..." >&2
find "$WORK/src" -name '*.java' > "$WORK/sources.txt"
javac --release 17 -nowarn -cp "$RUNTIME" -d "$WORK/classes" @"$WORK/sources.txt"

run() { # prints elapsed milliseconds of one JVM start
  local t0 t1
  t0=$(date +%s%N)
  java -Xshare:auto "$@" -cp "$WORK/classes:$RUNTIME" app.Main >/dev/null 2>&1
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

AGENT_OPT="-javaagent:$AGENT${AGENT_ARGS:+=$AGENT_ARGS}"
run >/dev/null; run "$AGENT_OPT" >/dev/null   # warm the file cache (and shelf.cache.dir, if AGENT_ARGS names one)
: > "$WORK/plain"; : > "$WORK/agent"
for ((r = 0; r < RUNS; r++)); do
  run >> "$WORK/plain"
  run "$AGENT_OPT" >> "$WORK/agent"
done
P=$(median < "$WORK/plain")
A=$(median < "$WORK/agent")
echo "classes loaded: $N (+ Main, Buf); runs: $RUNS each, alternating"
echo "without agent: median ${P} ms   (all: $(tr '\n' ' ' < "$WORK/plain"))"
echo "with agent${AGENT_ARGS:+ ($AGENT_ARGS)}:    median ${A} ms   (all: $(tr '\n' ' ' < "$WORK/agent"))"
awk -v a="$A" -v p="$P" 'BEGIN { printf "ratio with/without: %.3f (%+.1f%%)\n", a / p, (a / p - 1) * 100 }'
# Each agent run right after its plain run: the median of those per-pair ratios, with its 95% interval. On a noisy
# machine the interval, not the point, says whether the agent is within a target: with 9 runs it is wide, ~30 narrow
# it to a few points.
echo "paired ratio with/without: $(paste -d' ' "$WORK/agent" "$WORK/plain" | awk '{print $1 / $2}' | sort -g \
  | awk -f "$ROOT/benchmarks/startup/median-ci.awk")"
