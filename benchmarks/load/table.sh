#!/usr/bin/env bash
# One row per cell, from the summary.md that run.sh wrote into each run directory: the figures issue 17's targets
# are stated in, as paired ratios with/without (median, 95% interval). See docs/performance.md.
#
#   benchmarks/load/table.sh DIR...      e.g. benchmarks/load/table.sh benchmarks/load/target/matrix-*/*/
set -euo pipefail
(($#)) || { echo "usage: benchmarks/load/table.sh RUN-DIR..." >&2; exit 2; }
echo "| cell | pairs | R (req/s) | CPU / request at 0.8 R | p99 at 0.8 R | saturation throughput | GC pauses at 0.8 R, without → with | answers |"
echo "|---|---:|---:|---|---|---|---|---|"
for dir in "$@"; do
  s="${dir%/}/summary.md"
  [[ -f $s ]] || { echo "| ${dir%/} | no summary.md | | | | | | |"; continue; }
  awk -F'|' '
    function ratio(v) { gsub(/^ +| +$/, "", v); sub(/ \(95% interval /, " (", v); return v }
    NR == 1 { cell = $0; sub(/^## /, "", cell) }
    /^saturation rate R/ { r = $0; sub(/.*: /, "", r); sub(/ req\/s/, "", r) }
    /with \/ without: median of/ { n = $6; sub(/.*median of /, "", n); sub(/ paired.*/, "", n) }
    $2 ~ /^ 0.8 $/ && $3 ~ /app CPU per request/ { cpu = ratio($6) }
    $2 ~ /^ 0.8 $/ && $3 ~ /latency p99 \(ms\)/ { p99 = ratio($6) }
    $2 ~ /^ 0.8 $/ && $3 ~ /^ GC pauses $/ { w = $4; x = $5; gsub(/ /, "", w); gsub(/ /, "", x); gc = w " → " x }
    $2 ~ /^ sat $/ && $3 ~ /throughput/ { sat = ratio($6) }
    /^answers:/ { a = $0; sub(/^answers: /, "", a); sub(/ \(all runs.*/, "", a) }
    END { printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", cell, n, r, cpu, p99, sat, gc, a }
  ' "$s"
done
