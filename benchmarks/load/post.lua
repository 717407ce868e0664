-- wrk script for benchmarks/load/run.sh --client wrk: POSTs one JSON body of exactly N bytes to /parse.
--
--   wrk -t1 -c8 -d20s -s benchmarks/load/post.lua http://127.0.0.1:PORT/parse -- 16384
--
-- The body is the shape the sample app accepts, {"id":1,"tokens":[...],"payload":"xxx..."}: three tokens, and a
-- "payload" string (skipped by the app's parser) that pads it to N bytes, the same padding the built-in client
-- (dev.shelf.it.RateLoad) uses. It is the same body every time: wrk is the independent cross-check of throughput
-- and CPU per request, not of the answers (RateLoad checks every answer; here only the status is counted, as
-- wrk's non-2xx errors).
--
-- done() prints one machine-readable line for RateLoad:
--   WRK <requests> <errors> <p50 us> <p99 us> <p99.9 us> <max us>      (tab-separated)

local size = 16384

function init(args)
  size = tonumber(args[1]) or size
  local head = '{"id":1,"tokens":["alpha","beta","gamma"],"payload":"'
  local tail = '"}'
  local pad = size - #head - #tail
  if pad < 0 then
    error("body size " .. size .. " is below the minimum of " .. (#head + #tail) .. " bytes")
  end
  wrk.method = "POST"
  wrk.body = head .. string.rep("x", pad) .. tail
  wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
