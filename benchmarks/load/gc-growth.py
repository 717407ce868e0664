#!/usr/bin/env python3
"""How much each young collection keeps, from G1 logs (-Xlog:gc): for consecutive young collections with nothing in
between (Normal or Concurrent Start, no evacuation failure, after the first 5 s), the growth of the heap occupancy
after collection, per collection and per second, and their spacing. See docs/performance.md (16 KiB, live set, G1).

    benchmarks/load/gc-growth.py RUN_DIR/runs/pair*-with/gc.log
"""
import re
import statistics
import sys

LINE = re.compile(r'\[([0-9.]+)s\].*Pause (\w+)(?: \(([^)]*)\))?.*?(\d+)M->(\d+)M')

for path in sys.argv[1:]:
    prev = None
    grown, apart = [], []
    with open(path) as log:
        for line in log:
            m = LINE.match(line)
            if not m:
                continue
            t, kind, after = float(m.group(1)), m.group(3) or '', int(m.group(5))
            young = m.group(2) == 'Young' and kind in ('Normal', 'Concurrent Start') and 'Failure' not in line
            if young and prev and t > 5:
                grown.append(after - prev[1])
                apart.append(t - prev[0])
            prev = (t, after) if young else None
    if grown:
        print(f"{path}: {len(grown)} pairs of collections, {statistics.mean(grown):+.2f} MiB kept per collection, "
              f"{statistics.mean(apart):.3f} s apart, {sum(grown) / sum(apart):.1f} MiB/s")
    else:
        print(f"{path}: no consecutive young collections after 5 s")
