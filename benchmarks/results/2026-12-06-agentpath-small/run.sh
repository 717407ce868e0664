#!/bin/bash
# From the repository root after ./mvnw -q -DskipTests package (main at a19d845 plus the SmallScratch benchmark).
set -euo pipefail
out=${OUT:-benchmarks/results/2026-12-06-agentpath-small}
for i in $(seq 1 10); do
  java -jar benchmarks/target/benchmarks.jar 'AgentPath.(shelfSmall|shelfSmallScratch|nettySmall)$' \
    -f 1 -wi 3 -i 5 -rf json -rff "$out/r-$i.json"
done
