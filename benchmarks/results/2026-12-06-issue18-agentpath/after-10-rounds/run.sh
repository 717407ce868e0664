#!/bin/bash
cd /work/main
for i in $(seq 1 10); do
  java -jar benchmarks/target/benchmarks.jar 'AgentPath.(shelfSmall|nettySmall|shelfBigScratch|nettyBig)' \
    -f 1 -wi 3 -i 5 -rf json -rff /tmp/jmh-after/ap-$i.json > /tmp/jmh-after/ap-$i.log 2>&1
done
echo done > /tmp/jmh-after/DONE
