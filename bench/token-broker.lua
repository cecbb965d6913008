-- wrk script for token-broker-bench.sh: POST /v1/tokens as an authorised caller, count answers other than 200.
-- Environment: BENCH_CALLER_TOKEN (required), BENCH_SCOPES_JSON (optional request body).
local token = os.getenv("BENCH_CALLER_TOKEN")
if token == nil or token == "" then
  error("BENCH_CALLER_TOKEN is not set")
end

wrk.method = "POST"
wrk.body = os.getenv("BENCH_SCOPES_JSON") or '{"scopes":["scope:cbss:api:demo:consult"]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

-- every wrk thread has its own Lua state: per-thread counters, summed in done()
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

non200 = 0
lastbad = 0

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    lastbad = status
  end
end

function done(summary, latency, requests)
  local total, last = 0, 0
  for _, t in ipairs(threads) do
    total = total + t:get("non200")
    local s = t:get("lastbad")
    if s ~= 0 then
      last = s
    end
  end
  local e = summary.errors
  io.write(string.format("bench: requests=%d non200=%d last_non200_status=%d socket_errors=%d (connect %d, read %d, write %d, timeout %d)\n",
    summary.requests, total, last, e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout))
end
