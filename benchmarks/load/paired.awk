# Reads paired ratios sorted ascending, one per line; prints their median and a distribution-free 95% confidence
# interval for it, the order statistics n/2 -/+ 0.98 sqrt(n) (binomial, normal approximation): the rule of
# benchmarks/startup/median-ci.awk, with two differences that matter for a handful of pairs. The median of an even
# count is the mean of the middle two (median-ci.awk takes the lower one). And below 6 pairs no two order statistics
# cover the median with 95% probability (2 pairs: 50%), so the line says "range" instead of "95% interval".
{ a[NR] = $1 }
END {
  n = NR
  if (n == 0) { print "n/a"; exit }
  median = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  if (n < 6) {
    printf "%.3f (range %.3f-%.3f of %d pairs; too few for a 95%% interval)", median, a[1], a[n], n
    exit
  }
  lo = int(n / 2 - 0.98 * sqrt(n)); hi = int(n / 2 + 0.98 * sqrt(n)) + 1
  if (lo < 1) lo = 1
  if (hi > n) hi = n
  printf "%.3f (95%% interval %.3f-%.3f)", median, a[lo], a[hi]
}
