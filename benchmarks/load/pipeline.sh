#!/usr/bin/env bash
# PipelineBench (the ingest pipeline in-process, no sockets) without and with the agent, in alternating pairs: pair i
# runs without-then-with for odd i, with-then-without for even i. G1, 128 MiB heap, $ROUNDS rounds per run
# (default 30); a run's figure is the median CPU per batch of its last 10 rounds; printed: the medians per mode and
# the median of the paired ratios with its 95% interval (paired.awk). See docs/benchmarks.md.
#
#   benchmarks/load/pipeline.sh THREADS [17|25|/path/to/java] [PAIRS]     (after ./mvnw -q -DskipTests install)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
threads=${1:?usage: benchmarks/load/pipeline.sh THREADS [17|25|/path/to/java] [PAIRS]} jdk=${2:-17} pairs=${3:-10}
rounds=${ROUNDS:-30}
case $jdk in
  17) java=java ;; 25) java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java ;; *) java=$jdk ;;
esac
cp="$ROOT/sample-app/target/classes:$ROOT/pool-runtime/target/classes"
out="$ROOT/benchmarks/load/target/pipeline-$(date +%Y%m%d-%H%M%S)-t$threads"
mkdir -p "$out"
for i in $(seq 1 "$pairs"); do
  if ((i % 2)); then order="without with"; else order="with without"; fi
  for m in $order; do
    agent=(); [[ $m == with ]] && agent=("-javaagent:$ROOT/agent/target/shelf-agent.jar")
    "$java" "${agent[@]}" -Xms128m -Xmx128m -XX:+UseG1GC -cp "$cp" dev.shelf.sample.ingest.PipelineBench "$rounds" "$threads" \
      > "$out/$m-$i.log" 2>&1
  done
done
median() { sort -g | awk '{ a[NR] = $1 } END { print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
run() { grep -oE '^round [0-9]+: [0-9.]+' "$1" | tail -10 | awk '{ print $3 }' | median; }
for i in $(seq 1 "$pairs"); do echo "$(run "$out/without-$i.log") $(run "$out/with-$i.log")"; done > "$out/pairs.txt"
echo "PipelineBench, $threads threads, $pairs pairs, $rounds rounds per run ($out):"
echo "  CPU us per batch, median of runs: without $(cut -d' ' -f1 "$out/pairs.txt" | median), with $(cut -d' ' -f2 "$out/pairs.txt" | median)"
echo "  with / without, median of paired ratios: $(awk '{ print $2 / $1 }' "$out/pairs.txt" | sort -g | awk -f "$ROOT/benchmarks/load/paired.awk")"
