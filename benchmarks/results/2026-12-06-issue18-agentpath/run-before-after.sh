#!/bin/bash
# AgentPath before (c8d2abb, /work/bench) and after (/work/main) the restructure, alternating, one fork each
for i in 1 2 3 4 5; do
  for side in before after; do
    [ $side = before ] && dir=/work/bench || dir=/work/main
    [ $(( i % 2 )) = 0 ] && { [ $side = before ] && dir=/work/main && side=after || { dir=/work/bench; side=before; }; }
    cd $dir && java -jar benchmarks/target/benchmarks.jar 'AgentPath.(shelfSmall|nettySmall|shelfBigScratch)' \
      -f 1 -wi 3 -i 5 -rf json -rff /tmp/jmh-ab/$side-$i.json > /tmp/jmh-ab/$side-$i.log 2>&1
  done
done
echo done > /tmp/jmh-ab/DONE
