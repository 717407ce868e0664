#!/usr/bin/env python3
"""JDK 25: AgentPath (shelfSmall, shelfSmallScratch, nettySmall, shelfBigScratch, nettyBig) and NeverReleased
(neverReleased, plainNew), ten rounds of one fork each (run.sh). Medians, and the in-round ratios as medians with
the distribution-free 95% interval (order statistics n/2 ∓ 0.98·√n).

    python3 summarize.py [DIR]      (DIR holds ap-N.json and never-N.json; default: this script's directory)
"""
import glob
import json
import math
import os
import statistics
import sys

d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))


def load(pattern):
    rows = []
    for f in glob.glob(os.path.join(d, pattern)):
        try:
            rows.append({b['benchmark'].split('.')[-1]: b['primaryMetric']['score'] for b in json.load(open(f))})
        except ValueError:
            pass
    return rows


def median_interval(xs):
    xs = sorted(xs)
    n = len(xs)
    k = max(0, math.floor(n / 2 - 0.98 * math.sqrt(n)))
    return f"{statistics.median(xs):.3f} ({xs[k]:.3f}-{xs[n - 1 - k]:.3f}), n={n}"


ap, never = load('ap-*.json'), load('never-*.json')
for b in ('shelfSmall', 'shelfSmallScratch', 'nettySmall', 'shelfBigScratch', 'nettyBig'):
    print(f"{b:18s} median {statistics.median(r[b] for r in ap):.1f} ns/op")
print('shelfSmall / nettySmall       ', median_interval([r['shelfSmall'] / r['nettySmall'] for r in ap]))
print('shelfSmallScratch / nettySmall', median_interval([r['shelfSmallScratch'] / r['nettySmall'] for r in ap]))
print('shelfBigScratch / nettyBig    ', median_interval([r['shelfBigScratch'] / r['nettyBig'] for r in ap]))
for b in ('neverReleased', 'plainNew'):
    print(f"{b:18s} median {statistics.median(r[b] for r in never):.3f} ns/op")
print('neverReleased / plainNew      ', median_interval([r['neverReleased'] / r['plainNew'] for r in never]))
