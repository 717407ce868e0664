#!/bin/bash
# From the repository root after ./mvnw -q -DskipTests package (main at 3288e6b), on JDK 25; then one -prof gc run.
set -euo pipefail
J25=${J25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java} out=${OUT:-benchmarks/results/2026-12-06-agentpath-jdk25}
for i in $(seq 1 10); do
  "$J25" -jar benchmarks/target/benchmarks.jar 'AgentPath.(shelfSmall|shelfSmallScratch|nettySmall|shelfBigScratch|nettyBig)$' \
    -f 1 -wi 3 -i 5 -rf json -rff "$out/ap-$i.json"
  "$J25" -jar benchmarks/target/benchmarks.jar 'NeverReleased.(neverReleased|plainNew)$' \
    -f 1 -wi 5 -w 1s -i 5 -r 1s -rf json -rff "$out/never-$i.json"
done
"$J25" -jar benchmarks/target/benchmarks.jar 'AgentPath.(shelfSmall|shelfSmallScratch|nettySmall|shelfBigScratch|nettyBig)$' \
  -f 1 -wi 3 -i 5 -prof gc > "$out/profgc.txt"
