#!/usr/bin/env bash
# Every cell of issue 17's HTTP matrix through benchmarks/load/run.sh, one after the other: body sizes x live sets x
# collectors x JDKs. Extra arguments go to every run.sh call. See docs/performance.md.
#
#   benchmarks/load/matrix.sh [run.sh options...]
#   e.g. BODIES=16384 LIVE_SETS=0 GCS=G1 JDKS=17 benchmarks/load/matrix.sh --pairs 2 --duration 5   # one cell
#
# Overridable lists (space-separated): BODIES (default "16384 262144 2097152"), LIVE_SETS ("0 40%", the share of the
# heap), GCS ("G1 Parallel ZGC"; ZGC is non-generational on JDK 17, generational on JDK 25), JDKS ("17 25").
# Output: benchmarks/load/target/matrix-<time>/<cell>/ per cell and matrix.md, every cell's summary in order.
#
# Long: with run.sh's defaults (10 pairs, 10 s warm-up rounds, 3 phases of 3 + 20 s) a cell takes roughly 30-45
# minutes, the 36 cells about a day. Run it on a machine with nothing else to do.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
out="$ROOT/benchmarks/load/target/matrix-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
: > "$out/matrix.md"
for jdk in ${JDKS:-17 25}; do
  for gc in ${GCS:-G1 Parallel ZGC}; do
    for live in ${LIVE_SETS:-0 40%}; do
      for body in ${BODIES:-16384 262144 2097152}; do
        cell="body$body-live${live/\%/pct}-$gc-jdk$jdk"
        echo "=== $cell ($(date -Is))" >&2
        if "$ROOT/benchmarks/load/run.sh" --body "$body" --live-set "$live" --gc "$gc" --jdk "$jdk" "$@" \
            --out "$out/$cell" > /dev/null; then
          cat "$out/$cell/summary.md" >> "$out/matrix.md"
        else
          # One failed cell (say, a live set that does not fit with some collector) must not hide the others.
          echo "## $cell: FAILED, see $out/$cell" | tee -a "$out/matrix.md" >&2
        fi
        echo >> "$out/matrix.md"
      done
    done
  done
done
echo "matrix: $out/matrix.md" >&2
