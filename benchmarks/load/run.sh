#!/usr/bin/env bash
# The sample HTTP service (sample-app's ParseServer) without and with the Shelf agent, in alternating pairs, on a
# two-core machine: the app pinned to CPU 1, the load generator to CPU 0. See docs/performance.md.
#
# One command (after `./mvnw -q -B -ntp -DskipTests install`):
#
#   benchmarks/load/run.sh [--body BYTES] [--live-set MIB|N%] [--gc G1|Parallel|ZGC] [--jdk 17|25|/path/to/java]
#                          [--heap 256m] [--pairs 10] [--duration 20] [--settle 3] [--warmup 10]
#                          [--fractions "0.5 0.8"] [--rate RPS] [--threads 4] [--connections N]
#                          [--body-buffer BYTES] [--client java|wrk] [--out DIR] [--app-opt JVM-OPTION]...
#   benchmarks/load/run.sh --summarize DIR     # the summary again, from DIR/results.tsv
#
#   e.g. the smoke run:  benchmarks/load/run.sh --pairs 2 --duration 5 --settle 1 --warmup 3
#        a matrix cell:  benchmarks/load/run.sh --body 2097152 --live-set 40% --gc G1 --jdk 25
#        wrk cross-check: benchmarks/load/run.sh --client wrk
#
# What it does, per configuration:
#   1. Calibration (java client only, skipped with --rate): one app run without the agent, warmed up, then a
#      saturation phase (closed loop, --connections clients back to back). Its throughput is the saturation rate R.
#   2. --pairs pairs of runs, without/with in alternating order (pair 1: without then with, pair 2: with then
#      without, ...), so that a machine that drifts during the session does not favour either. Each run is a fresh
#      app JVM: start, fill the live set, warm up until the JIT has settled, then one phase per fraction of R
#      (open loop at a constant rate, coordinated-omission corrected) and a saturation phase; each phase settles for
#      --settle seconds, then measures --duration seconds. With --client wrk the only phase is saturation under wrk.
#   3. Per phase and figure, the ratio with/without within each pair, and the median of those ratios with a
#      distribution-free 95% interval (paired.awk; the rule of benchmarks/startup/median-ci.awk; 6 pairs at least).
# Per phase it records (dev.shelf.it.RateLoad measures): throughput, the app's CPU time per request from
# /proc/<pid>/stat, p50/p99/p99.9/max latency, GC pauses (count, total, longest) and ZGC allocation stalls from
# the app's -Xlog:gc,gc+phases file, and answers ok / contaminated / failed (every answer is checked).
#
# Output: a table on stdout, and in --out (default benchmarks/load/target/<time>-<configuration>/): summary.md,
# results.tsv (one line per run and phase), calibration.tsv, and each run's app log and GC log.
#
# Bounded and local: traffic goes to 127.0.0.1 only, every phase ends on time, every driver run is under `timeout`,
# and the app is stopped after each run (and on exit, whatever happens).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/benchmarks/load"

body=16384 live=0 gc=G1 jdk=17 heap=256m pairs=10 duration=20 settle=3 warmup=10 fractions="0.5 0.8"
app_opts=()   # --app-opt: extra JVM options for the app, with and without the agent alike
rate="" threads=4 connections="" body_buffer="" client=java out=""

usage() { echo "usage:" >&2; sed -n '7,11p' "$0" | sed 's/^#//' >&2; exit "$1"; }
fail() { echo "run.sh: $*" >&2; exit 2; }
# summarize DIR: the table from DIR/results.tsv (and DIR/config.txt, DIR/calibration.tsv) to stdout and DIR/summary.md
summarize() {
  local dir=$1 results="$1/results.tsv" npairs rate_line=""
  [[ -f $results ]] || fail "no $results to summarize"
  npairs=$(awk -F'\t' 'NR > 1 { p[$1] } END { print length(p) }' "$results")
  if [[ -f $dir/calibration.tsv ]]; then
    rate_line="saturation rate R (calibration, without the agent): $(awk -F'\t' '$3 == "sat" { print $5 }' \
      "$dir/calibration.tsv") req/s"
  fi
  # ratios PHASE COLUMN: with/without within each pair, sorted; a pair whose "without" is 0 or missing has none
  ratios() {
    awk -F'\t' -v ph="$1" -v c="$2" 'NR > 1 && $3 == ph && $c != "-" { v[$1, $2] = $c; pairs[$1] }
      END { for (p in pairs) if (((p, "without") in v) && ((p, "with") in v) && v[p, "without"] + 0 > 0)
              print v[p, "with"] / v[p, "without"] }' "$results" | sort -g
  }
  median_of() { # median_of PHASE MODE COLUMN
    awk -F'\t' -v ph="$1" -v m="$2" -v c="$3" 'NR > 1 && $3 == ph && $2 == m && $c != "-" { print $c }' \
      "$results" | sort -g | awk '{ a[NR] = $1 } END { if (!NR) { print "-"; exit }
        m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf(m >= 100 ? "%.1f\n" : "%.3f\n", m) }'
  }
  {
    echo "## $(sed -n '1s/^# \([^:]*\):.*/\1/p' "$dir/config.txt")"
    echo
    sed 's/^# //' "$dir/config.txt"
    [[ -n $rate_line ]] && echo "$rate_line"
    echo
    echo "| phase | figure | without (median) | with (median) | with / without: median of $npairs paired ratios |"
    echo "|---|---|---:|---:|---|"
    local phase fig col ratio label r
    for phase in $(cut -f3 "$results" | tail -n +2 | awk '!seen[$0]++'); do
      # column:whether a paired ratio means anything:label (the utilisation rows are diagnostics, not results)
      for fig in 5:y:"throughput (req/s)" 6:y:"app CPU per request (µs)" 7:y:"latency p50 (ms)" \
                 8:y:"latency p99 (ms)" 9:y:"latency p99.9 (ms)" 11:y:"GC pauses" 12:y:"GC pause total (ms)" \
                 14:y:"ZGC allocation stalls (ms)" 18:n:"app CPU busy (share of CPU 1)" \
                 19:n:"load generator CPU busy (share of CPU 0)" 20:n:"other processes on CPU 1 (share)" \
                 21:n:"other processes on CPU 0 (share)"; do
        IFS=: read -r col ratio label <<< "$fig"
        r="-"
        if [[ $ratio == y ]]; then r=$(ratios "$phase" "$col" | awk -f "$HERE/paired.awk"); fi
        echo "| $phase | $label | $(median_of "$phase" without "$col") | $(median_of "$phase" with "$col") | $r |"
      done
    done
    echo
    awk -F'\t' 'NR > 1 { ok += $15; bad += $16; err += $17 }
      END { printf "answers: %d ok, %d contaminated, %d failed (all runs, all phases)\n", ok, bad, err }' "$results"
    echo "machine load (1-minute average at the end of each run): $(awk -F'\t' 'NR > 1 && !seen[$1, $2]++ { print $22 }' \
      "$results" | sort -g | tr '\n' ' ')"
    echo "raw: $results"
  } | tee "$dir/summary.md"
}

while (($#)); do
  [[ $1 == -h || $1 == --help ]] && usage 0
  (($# >= 2)) || fail "$1 needs a value (see --help)"
  case "$1" in
    --body) body=$2 ;; --live-set) live=$2 ;; --gc) gc=$2 ;; --jdk) jdk=$2 ;; --heap) heap=$2 ;;
    --pairs) pairs=$2 ;; --duration) duration=$2 ;; --settle) settle=$2 ;; --warmup) warmup=$2 ;;
    --fractions) fractions=$2 ;; --rate) rate=$2 ;; --threads) threads=$2 ;; --connections) connections=$2 ;;
    --body-buffer) body_buffer=$2 ;; --client) client=$2 ;; --out) out=$2 ;;
    --app-opt) app_opts+=("$2") ;;
    --summarize) summarize "$2"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage 2 ;;
  esac
  shift 2
done

# ---------------------------------------------------------------------------------------------- checks and setup
int() { [[ $2 =~ ^[0-9]+$ ]] || fail "$1 must be a non-negative integer, was '$2'"; }
num() { [[ $2 =~ ^[0-9]+([.][0-9]+)?$ ]] || fail "$1 must be a number, was '$2'"; }
int --body "$body"; int --pairs "$pairs"; int --threads "$threads"
num --duration "$duration"; num --settle "$settle"; num --warmup "$warmup"
((pairs >= 1)) || fail "--pairs must be at least 1"
[[ $heap =~ ^([0-9]+)([mMgG])$ ]] || fail "--heap must look like 256m or 1g, was '$heap'"
heap_mib=${BASH_REMATCH[1]}; [[ ${BASH_REMATCH[2]} =~ [gG] ]] && heap_mib=$((heap_mib * 1024))
if [[ $live =~ ^([0-9]+)%$ ]]; then live=$((heap_mib * BASH_REMATCH[1] / 100)); fi
int --live-set "$live"
body_buffer=${body_buffer:-$body}   # by default the body fits the pooled buffer exactly: the point of --body-buffer
int --body-buffer "$body_buffer"
case "$gc" in
  G1) gc_opt=-XX:+UseG1GC ;; Parallel) gc_opt=-XX:+UseParallelGC ;; ZGC) gc_opt=-XX:+UseZGC ;;
  *) fail "--gc is G1, Parallel or ZGC, was '$gc'" ;;
esac
case "$jdk" in
  17) app_java=$(command -v java) ;;
  25) app_java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java ;;
  *) app_java=$jdk ;;
esac
[[ -x $app_java ]] || fail "no java at '$app_java' (--jdk 17 is java on the PATH, 25 is $app_java)"
app_version=$("$app_java" -version 2>&1 | head -1)
if [[ $jdk == 17 && $app_version != *'"17.'* ]]; then fail "java on the PATH is not JDK 17: $app_version"; fi
case "$client" in
  java) connections=${connections:-16} ;;
  wrk)
    connections=${connections:-8}
    command -v wrk >/dev/null || fail "wrk is not installed; install it with: apt-get update && apt-get install -y wrk"
    ;;
  *) fail "--client is java or wrk, was '$client'" ;;
esac
int --connections "$connections"
command -v taskset >/dev/null || fail "taskset is missing (util-linux): apt-get install -y util-linux"
taskset -c 0,1 true 2>/dev/null || fail "CPUs 0 and 1 are needed (app on 1, load generator on 0)"

version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)
agent="$ROOT/agent/target/shelf-agent.jar"
app_jar="$ROOT/sample-app/target/sample-app-$version.jar"
runtime_jar="$ROOT/pool-runtime/target/pool-runtime-$version.jar"
for f in "$agent" "$app_jar" "$runtime_jar" "$ROOT/it/target/classes/dev/shelf/it/RateLoad.class"; do
  [[ -f $f ]] || fail "$f is missing; build first: cd $ROOT && ./mvnw -q -B -ntp -DskipTests install"
done

stamp=$(date +%Y%m%d-%H%M%S)
config="body${body}-live${live}-${gc}-jdk${jdk##*/}-${heap}"
out=${out:-"$HERE/target/$stamp-$config"}
mkdir -p "$out"
out=$(cd "$out" && pwd)   # absolute: Maven below resolves relative paths against the module, not here
# The load generator's class path: the it module's classes, HdrHistogram and jackson-core, resolved by Maven.
"$ROOT/mvnw" -q -B -ntp -o -f "$ROOT/pom.xml" -pl it dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$out/deps.classpath" >/dev/null || fail "could not resolve the it module's class path (build first)"
jar_of() { tr ':' '\n' < "$out/deps.classpath" | grep -m1 "/$1-[0-9][^/]*\.jar$"; }
jackson=$(jar_of jackson-core) || fail "jackson-core not found in the it module's class path"
hdr=$(jar_of HdrHistogram) || fail "HdrHistogram not found in the it module's class path"
driver_cp="$ROOT/it/target/classes:$hdr:$jackson"
app_cp="$app_jar:$runtime_jar:$jackson"
clk_tck=$(getconf CLK_TCK)

# ---------------------------------------------------------------------------------------------- one run
app_pid=""
stop_app() {
  if [[ -n $app_pid ]] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$app_pid" 2>/dev/null || true
  fi
  app_pid=""
}
trap stop_app EXIT
trap 'exit 130' INT TERM

# run NAME MODE PHASES: starts the app (MODE without|with) on CPU 1, drives it from CPU 0, appends to NAME.tsv
run() {
  local name=$1 mode=$2 phases=$3 dir="$out/runs/$1-$2"
  mkdir -p "$dir"
  local agent_opt=()
  [[ $mode == with ]] && agent_opt=("-javaagent:$agent")
  # Fixed heap (no resizing during a window), pre-touched (no first-touch page faults in the measured windows).
  taskset -c 1 "$app_java" "${agent_opt[@]}" "${app_opts[@]}" -Xms"$heap" -Xmx"$heap" -XX:+AlwaysPreTouch "$gc_opt" \
    -Xlog:gc,gc+phases:file="$dir/gc.log":uptime,level,tags -cp "$app_cp" dev.shelf.sample.http.ParseServer \
    0 "$threads" --body-buffer "$body_buffer" --live-set "$live" > "$dir/app.out" 2> "$dir/app.err" &
  app_pid=$!   # taskset execs java: this is the app JVM's own pid, the one /proc/<pid>/stat is read for
  local port=""
  for _ in $(seq 600); do
    port=$(awk '$1 == "LISTENING" {print $2}' "$dir/app.out")
    [[ -n $port ]] && break
    kill -0 "$app_pid" 2>/dev/null || { cat "$dir/app.err" >&2; fail "the app exited before listening"; }
    sleep 0.1
  done
  [[ -n $port ]] || fail "the app did not listen within 60 s"
  local nphases budget
  nphases=$(wc -w <<< "${phases//,/ }")
  budget=$(awk -v w="$warmup" -v s="$settle" -v d="$duration" -v n="$nphases" \
    'BEGIN { printf "%d", 6 * (w + 2) + n * (s + d + 15) + 60 }')
  local client_opts=()
  [[ $client == wrk ]] && client_opts=(--client wrk --wrk-script "$HERE/post.lua")
  timeout "$budget" taskset -c 0 java -Xms512m -Xmx512m -cp "$driver_cp" dev.shelf.it.RateLoad \
    --port "$port" --pid "$app_pid" --gc-log "$dir/gc.log" --body "$body" --phases "$phases" \
    --rate "${rate:-0}" --connections "$connections" --warmup "$warmup" --settle "$settle" \
    --duration "$duration" --clk-tck "$clk_tck" --app-cpu 1 --client-cpu 0 --label "$mode" "${client_opts[@]}" \
    > "$dir/driver.out" 2> "$dir/driver.err" || { cat "$dir/driver.err" >&2; fail "the load driver failed ($dir)"; }
  stop_app
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  # pair, mode, then the driver's columns from phase on, then the machine's 1-minute load average
  awk -F'\t' -v OFS='\t' -v pair="$name" -v load="$load" '{ $1 = pair OFS $1; print $0, load }' \
    "$dir/driver.out" >> "$out/$name.tsv"
  grep -h 'warm-up round' "$dir/driver.err" | tail -1 | sed "s/^/  $name $mode: /" >&2
  awk -F'\t' -v n="$name" '{ printf "  %s %-7s %-7s %9s req/s  cpu %8s us/req  p99 %8s ms  pauses %4s  busy: app %s client %s, others on CPU 1 %s, on CPU 0 %s  ok %s  bad %s/%s\n",
    n, $1, $2, $4, $5, $7, $10, $17, $18, $19, $20, $14, $15, $16 }' "$dir/driver.out" >&2
}

header=$(printf 'pair\tmode\tphase\ttarget_rps\trps\tcpu_us_per_req\tp50_ms\tp99_ms\tp999_ms\tmax_ms\tgc_pauses\tgc_pause_ms\tgc_max_pause_ms\tstall_ms\tok\tcontaminated\terrors\tapp_cpu_util\tclient_cpu_util\tapp_core_others_util\tclient_core_others_util\tload1')
{
  echo "# $config: body $body B (buffer $body_buffer B), live set $live MiB, $gc, $app_version, heap $heap,"
  echo "# $threads app threads, $connections connections, client $client, $pairs pairs, warm-up ${warmup}s rounds,"
  echo "# phases settle ${settle}s + measure ${duration}s; started $(date -Is) on $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
  ((${#app_opts[@]} == 0)) || echo "# app JVM options (both modes): ${app_opts[*]}"
} | tee "$out/config.txt" >&2

# ---------------------------------------------------------------------------------------------- calibration
if [[ $client == wrk ]]; then
  phases=sat
  [[ -n $rate ]] && echo "run.sh: --rate is ignored with --client wrk (saturation only)" >&2
elif [[ -z $rate && -n ${fractions// /} ]]; then
  echo "calibration: saturation without the agent" >&2
  run calibration without sat
  rate=$(awk -F'\t' '$3 == "sat" { print $5 }' "$out/calibration.tsv")
  [[ -n $rate ]] || fail "calibration produced no saturation rate"
  echo "saturation rate R = $rate req/s; open-loop phases at $fractions of it" >&2
fi
if [[ $client == java ]]; then
  # shellcheck disable=SC2086 # word splitting wanted: "0.5 0.8" -> 0.5,0.8,sat; --fractions "" -> sat
  phases=$(echo $fractions sat | tr ' ' ',')
fi

# ---------------------------------------------------------------------------------------------- pairs
echo "$header" > "$out/results.tsv"
for ((p = 1; p <= pairs; p++)); do
  if ((p % 2)); then order="without with"; else order="with without"; fi
  for mode in $order; do
    run "pair$p" "$mode" "$phases"
  done
  cat "$out/pair$p.tsv" >> "$out/results.tsv"
  rm "$out/pair$p.tsv"
done

# ---------------------------------------------------------------------------------------------- summary
summarize "$out"
