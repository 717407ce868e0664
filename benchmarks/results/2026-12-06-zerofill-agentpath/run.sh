#!/bin/bash
# AgentPath shelfSmall and nettySmall: build a (main at 891f05a) against build b (a19d845: typed zero copies), ten
# rounds alternating the order, one fork each. A and B are copies of each build's agent/target/shelf-agent.jar and
# benchmarks/target/benchmarks.jar in their own directories (the benchmark's fork finds the agent relative to its
# working directory). Summary: python3 summarize.py.
set -euo pipefail
A=${A:?directory of build a} B=${B:?directory of build b} out=${OUT:-$(pwd)}
for i in $(seq 1 10); do
  if ((i % 2)); then order="a b"; else order="b a"; fi
  for v in $order; do
    dir=$A; [[ $v == b ]] && dir=$B
    (cd "$dir" && java -jar benchmarks/target/benchmarks.jar 'AgentPath.(shelfSmall|nettySmall)' \
      -f 1 -wi 3 -i 5 -rf json -rff "$out/$v-$i.json")
  done
done
