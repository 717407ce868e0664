# Reads numbers sorted ascending, one per line; prints their median and a distribution-free 95% confidence interval
# for it: the order statistics n/2 -/+ 0.98 sqrt(n) (binomial, normal approximation). With ~30 values or more it
# says whether two start-up configurations differ by more than this machine's drift between runs.
# Used by compare.sh and measure.sh on per-round ratios.
{ a[NR] = $1 }
END {
  n = NR
  lo = int(n / 2 - 0.98 * sqrt(n)); hi = int(n / 2 + 0.98 * sqrt(n)) + 1
  if (lo < 1) lo = 1
  if (hi > n) hi = n
  printf "%.3f (95%% interval %.3f-%.3f)", a[int((n + 1) / 2)], a[lo], a[hi]
}
