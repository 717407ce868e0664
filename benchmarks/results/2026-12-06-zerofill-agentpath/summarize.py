#!/usr/bin/env python3
"""AgentPath shelfSmall and nettySmall, build a (before) against build b (after: typed zero copies), rounds
alternating the order (run.sh). Prints per build the medians, the in-round Shelf ÷ Netty ratio and the paired
b ÷ a ratio of shelfSmall, each as a median with the distribution-free 95% interval (order statistics
n/2 ∓ 0.98·√n, as benchmarks/load/paired.awk).

    python3 summarize.py [DIR]      (DIR holds a-N.json and b-N.json; default: this script's directory)
"""
import glob
import json
import math
import os
import re
import statistics
import sys

d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
res = {}
for f in glob.glob(os.path.join(d, '[ab]-*.json')):
    side, i = re.match(r'.*/([ab])-(\d+)\.json$', f).groups()
    try:
        data = json.load(open(f))
    except ValueError:
        continue
    for b in data:
        res.setdefault((side, int(i)), {})[b['benchmark'].split('.')[-1]] = b['primaryMetric']['score']


def interval(xs):
    xs = sorted(xs)
    n = len(xs)
    if n < 6:
        return f"range {xs[0]:.3f}-{xs[-1]:.3f}"
    k = max(0, math.floor(n / 2 - 0.98 * math.sqrt(n)))
    return f"95% interval {xs[k]:.3f}-{xs[n - 1 - k]:.3f}"


for side, name in (('a', 'before'), ('b', 'after')):
    runs = [r for (s, _), r in res.items() if s == side and 'shelfSmall' in r and 'nettySmall' in r]
    shelf = statistics.median(r['shelfSmall'] for r in runs)
    netty = statistics.median(r['nettySmall'] for r in runs)
    ratios = [r['shelfSmall'] / r['nettySmall'] for r in runs]
    print(f"{side} ({name}), {len(runs)} rounds: shelfSmall {shelf:.1f} ns/op, nettySmall {netty:.1f} ns/op, "
          f"Shelf ÷ Netty in the same round {statistics.median(ratios):.3f} ({interval(ratios)})")
paired = [res[('b', i)]['shelfSmall'] / res[('a', i)]['shelfSmall'] for (s, i) in res
          if s == 'b' and ('a', i) in res]
print(f"shelfSmall b ÷ a, paired by round: {statistics.median(paired):.3f} ({interval(paired)}), n={len(paired)}")
