#!/usr/bin/env bash
# Interleaved start-up comparison of several JVM configurations on the application measure.sh generates.
#
# Usage: STARTUP_WORK=/tmp/startup-app benchmarks/startup/measure.sh 3000 1     # generate (and keep) the app once
#        benchmarks/startup/compare.sh /tmp/startup-app RUNS label 'jvm options' [label 'jvm options' ...]
# e.g.   benchmarks/startup/compare.sh /tmp/startup-app 9 plain '' agent "-javaagent:agent/target/shelf-agent.jar"
#
# Each round starts every configuration once, in the order given, so that load from other work on the machine
# spreads over all of them; prints each configuration's median, spread and ratio to the first.
set -euo pipefail
APP=$1
RUNS=$2
shift 2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUNTIME=$(ls "$ROOT"/pool-runtime/target/pool-runtime-*.jar | grep -v sources | head -1)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# shellcheck source=configs.sh
source "$ROOT/benchmarks/startup/configs.sh"
read_configs "$@"
run() { # "wall-ms cpu-ms" of one JVM start; CPU (user + system, all threads) suffers less from a busy machine
  # shellcheck disable=SC2086
  /usr/bin/time -f '%e %U %S' -o "$OUT/time" java $1 -cp "$APP/classes:$RUNTIME" app.Main >/dev/null 2>&1
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' "$OUT/time"
}
for i in "${!labels[@]}"; do run "${opts[$i]}" >/dev/null; done   # warm the file cache
for ((r = 0; r < RUNS; r++)); do
  for i in "${!labels[@]}"; do run "${opts[$i]}" >> "$OUT/$i"; done
done
all() { cut -d' ' -f"$2" "$1" | sort -n | tr '\n' ' '; }
base=$(median "$OUT/0" 1)
basecpu=$(median "$OUT/0" 2)
for i in "${!labels[@]}"; do
  m=$(median "$OUT/$i" 1)
  c=$(median "$OUT/$i" 2)
  printf '%-24s wall median %5d ms ratio %.3f | cpu median %5d ms ratio %.3f\n' "${labels[$i]}" "$m" \
    "$(awk -v a="$m" -v b="$base" 'BEGIN{print a/b}')" "$c" "$(awk -v a="$c" -v b="$basecpu" 'BEGIN{print a/b}')"
  printf '%-24s   wall: %s\n%-24s   cpu:  %s\n' "" "$(all "$OUT/$i" 1)" "" "$(all "$OUT/$i" 2)"
  # Paired: the ratio to the first configuration within each round (started seconds apart), then the median of
  # those — steadier than the ratio of medians when the machine's speed drifts during the session.
  printf '%-24s   paired (median of per-round ratios): wall %s, cpu %s\n' "" \
    "$(paste -d' ' "$OUT/$i" "$OUT/0" | awk '{print $1/$3}' | sort -g | awk -f "$ROOT/benchmarks/startup/median-ci.awk")" \
    "$(paste -d' ' "$OUT/$i" "$OUT/0" | awk '{print $2/$4}' | sort -g | awk -f "$ROOT/benchmarks/startup/median-ci.awk")"
done
