#!/usr/bin/env bash
# One row per cell, from the summary.md that run.sh wrote into each run directory: the figures issue 17's targets
# are stated in, as paired ratios with/without (median, 95% interval). See docs/performance.md.
#
#   benchmarks/load/table.sh DIR|SUMMARY.md...   e.g. benchmarks/load/table.sh benchmarks/load/target/matrix-*/*/
#   benchmarks/load/table.sh --latest benchmarks/load/results/*.md   the newest recorded summary of each cell
set -euo pipefail
(($#)) || { echo "usage: benchmarks/load/table.sh [--latest] RUN-DIR|SUMMARY.md..." >&2; exit 2; }
if [[ $1 == --latest ]]; then
  # results/<date><session letter>-<cell>[-<variant>].md sort by date and session: keep the last file of each cell
  shift
  mapfile -t latest < <(for f in "$@"; do b=$(basename "$f" .md); echo "${b#*-*-*-} ${b%%-body*} $f"; done \
    | sort -k1,1 -k2,2 | awk '{ last[$1] = $3 } END { for (c in last) print c, last[c] }' | sort -V | cut -d" " -f2)
  set -- "${latest[@]}"
fi
echo "| cell | pairs | R (req/s) | CPU / request at 0.8 R | p99 at 0.8 R | saturation throughput | GC pauses at 0.8 R, without → with | answers |"
echo "|---|---:|---:|---|---|---|---|---|"
for dir in "$@"; do
  s="${dir%/}/summary.md" variant=""
  if [[ -f $dir ]]; then # a recorded summary: a variant (e.g. MaxGCPauseMillis10) is the name's part after jdkNN
    s=$dir variant=$(basename "$dir" .md | sed -nE 's/.*-jdk[0-9]+-(.+)$/\1/p')
  fi
  [[ -f $s ]] || { echo "| ${dir%/} | no summary.md | | | | | | |"; continue; }
  awk -F'|' -v variant="$variant" '
    function ratio(v) {
      gsub(/^ +| +$/, "", v); sub(/ \(95% interval /, " (", v); sub(/ of [0-9]+ pairs; too few for a 95% interval/, "", v)
      return v
    }
    NR == 1 { cell = $0; sub(/^## /, "", cell); if (variant != "") cell = cell ", " variant }
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
