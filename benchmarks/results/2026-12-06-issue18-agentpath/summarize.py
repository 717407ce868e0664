import json,glob,statistics,random,re
res={}
for f in sorted(glob.glob('benchmarks/results/2026-12-06-issue18-agentpath/*-*.json')):
    side,i=re.match(r'.*/(before|after)-(\d+)\.json',f).groups()
    try: data=json.load(open(f))
    except Exception: continue
    for b in data:
        name=b['benchmark'].split('.')[-1]
        res.setdefault((side,int(i)),{})[name]=b['primaryMetric']['score']
def ci(xs):
    xs=sorted(xs); n=len(xs)
    # order-statistic 95% CI for the median (n small: report min-max when n<6)
    if n<6: return xs[0],xs[-1]
    import math
    k=max(0,int(n/2-1.96*math.sqrt(n)/2)); return xs[k],xs[n-1-k]
for bench in ['shelfSmall','shelfBigScratch','nettySmall']:
    for side in ['before','after']:
        v=[r[bench] for (s,i),r in res.items() if s==side and bench in r]
        if v: print(f"{bench:16s} {side:6s} n={len(v)} median {statistics.median(v):6.1f} ns/op  range {min(v):.1f}-{max(v):.1f}")
    # ratio to netty in the same run
    for side in ['before','after']:
        rr=[r[bench]/r['nettySmall'] for (s,i),r in res.items() if s==side and bench in r and 'nettySmall' in r]
        if rr and bench!='nettySmall': print(f"   {side} ÷ nettySmall same run: median {statistics.median(rr):.3f}  ({min(rr):.3f}-{max(rr):.3f})")
    # paired after/before per round
    pr=[res[('after',i)][bench]/res[('before',i)][bench] for (s,i) in res if s=='after' and ('before',i) in res and bench in res[('before',i)] and bench in res[('after',i)]]
    if pr: print(f"   after ÷ before, paired by round: median {statistics.median(pr):.3f} ({min(pr):.3f}-{max(pr):.3f}), n={len(pr)}")
