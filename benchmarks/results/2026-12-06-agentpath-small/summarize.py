#!/usr/bin/env python3
"""AgentPath shelfSmall, shelfSmallScratch and nettySmall, ten rounds of one fork each (run.sh): medians, and the
in-round ratios to Netty and the in-round difference shelfSmall - shelfSmallScratch (what zeroing the 256-byte
buffer costs), each as a median with the distribution-free 95% interval (order statistics n/2 ∓ 0.98·√n).

    python3 summarize.py [DIR]      (DIR holds r-N.json; default: this script's directory)
"""
import glob
import json
import math
import os
import statistics
import sys

d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
rows = []
for f in glob.glob(os.path.join(d, 'r-*.json')):
    try:
        r = {b['benchmark'].split('.')[-1]: b['primaryMetric']['score'] for b in json.load(open(f))}
    except ValueError:
        continue
    if {'shelfSmall', 'shelfSmallScratch', 'nettySmall'} <= r.keys():
        rows.append(r)


def median_interval(xs):
    xs = sorted(xs)
    n = len(xs)
    k = max(0, math.floor(n / 2 - 0.98 * math.sqrt(n)))
    return f"{statistics.median(xs):.3f} ({xs[k]:.3f}-{xs[n - 1 - k]:.3f})"


print(f"{len(rows)} rounds")
for b in ('shelfSmall', 'shelfSmallScratch', 'nettySmall'):
    print(f"{b:18s} median {statistics.median(r[b] for r in rows):.1f} ns/op")
print("shelfSmall / nettySmall        ", median_interval([r['shelfSmall'] / r['nettySmall'] for r in rows]))
print("shelfSmallScratch / nettySmall ", median_interval([r['shelfSmallScratch'] / r['nettySmall'] for r in rows]))
print("shelfSmall - shelfSmallScratch ", median_interval([r['shelfSmall'] - r['shelfSmallScratch'] for r in rows]), "ns")
