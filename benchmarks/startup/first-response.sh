#!/usr/bin/env bash
# Time to the first answered request of the sample HTTP service (sample-app's ParseServer), with and without the
# agent: what an operator waits for after a restart. measure.sh times a made-up application that loads thousands of
# classes; this times the real sample service — JVM start, the JDK's HTTP server, Jackson, the first POST /parse
# (the first allocation of the pooled ParseRequest, so the agent's first rewrite is on this path) — until curl has
# the answer.
#
# Usage: benchmarks/startup/first-response.sh RUNS label 'jvm options' [label 'jvm options' ...]
#   (after ./mvnw -q -pl it -am package -DskipTests, which writes it/target/sample-app.classpath)
# e.g.   benchmarks/startup/first-response.sh 21 plain '' agent "-javaagent:agent/target/shelf-agent.jar" \
#            warm "-javaagent:agent/target/shelf-agent.jar=cache.dir=/tmp/shelf-cache"
#   A configuration's options may instead be "classpath=CP": that class path replaces sample-app's, no other option
#   (the woven service: sample-app's jar replaced by sample-app-woven/target/classes, docs/weaving.md).
#
# Each round starts every configuration once, in the order given (the first is the baseline), after one unmeasured
# start of each (file cache; fills a cache.dir). Prints per configuration the median time to LISTENING and to the
# first response, and the paired ratio of the latter to the baseline with its 95% interval (median-ci.awk).
set -euo pipefail
RUNS=$1
shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CP_FILE="$ROOT/it/target/sample-app.classpath"
[ -f "$CP_FILE" ] || { echo "build first: ./mvnw -q -pl it -am package -DskipTests" >&2; exit 1; }
CP=$(cat "$CP_FILE")
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
BODY='{"id":1,"tokens":["1-0-abcd","1-1-efgh","1-2-ijkl"]}'
# shellcheck source=configs.sh
source "$ROOT/benchmarks/startup/configs.sh"
read_configs "$@"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

run() { # "listening-ms first-response-ms" of one start
  local t0 pid port t1 t2 cp="$CP" o="$1"
  if [[ $o == classpath=* ]]; then cp="${o#classpath=}"; o=""; fi
  t0=$(now_ms)
  # shellcheck disable=SC2086
  java $o -cp "$cp" dev.shelf.sample.http.ParseServer 0 2 > "$OUT/log" 2> "$OUT/err" &
  pid=$!
  until port=$(grep -m1 -o 'LISTENING [0-9]*' "$OUT/log" 2>/dev/null | cut -d' ' -f2) && [ -n "$port" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "the service did not start:" >&2; cat "$OUT/err" >&2; exit 1; }
    sleep 0.002
  done
  t1=$(now_ms)
  curl -sf -o /dev/null -H 'Content-Type: application/json' --data "$BODY" "http://127.0.0.1:$port/parse"
  t2=$(now_ms)
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$((t1 - t0)) $((t2 - t0))"
}

for i in "${!labels[@]}"; do run "${opts[$i]}" > /dev/null; done
for ((r = 0; r < RUNS; r++)); do
  for i in "${!labels[@]}"; do run "${opts[$i]}" >> "$OUT/$i"; done
done
for i in "${!labels[@]}"; do
  printf '%-12s listening median %5d ms | first response median %5d ms | paired ratio %s\n' "${labels[$i]}" \
    "$(median "$OUT/$i" 1)" "$(median "$OUT/$i" 2)" \
    "$(paste -d' ' "$OUT/$i" "$OUT/0" | awk '{print $2 / $4}' | sort -g | awk -f "$ROOT/benchmarks/startup/median-ci.awk")"
done
