-- Generic wrk script: GET the URL given to wrk (or POST a JSON body), with "Authorization: Bearer
-- $BENCH_CALLER_TOKEN" when that is set (nothing otherwise), counting answers other than 200 and, when
-- BENCH_EXPECT_BYTES is set, 200 answers whose body has another length. Prints one "bench: ..." line at the end (the
-- bench scripts parse it). Used by codelist-service-bench.sh (GET) and token-broker-bench.sh (POST).
-- Environment: BENCH_CALLER_TOKEN (optional), BENCH_POST_BODY (optional: POST it as application/json instead of
-- GET), BENCH_EXPECT_BYTES (optional, the expected body length in bytes).
local token = os.getenv("BENCH_CALLER_TOKEN")
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
local post = os.getenv("BENCH_POST_BODY")
if post ~= nil and post ~= "" then
  wrk.method = "POST"
  wrk.body = post
  wrk.headers["Content-Type"] = "application/json"
end
local expect = tonumber(os.getenv("BENCH_EXPECT_BYTES") or "")

-- every wrk thread has its own Lua state: per-thread counters, summed in done()
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

non200 = 0
lastbad = 0
badlength = 0

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    lastbad = status
  elseif expect ~= nil and #body ~= expect then
    badlength = badlength + 1
  end
end

function done(summary, latency, requests)
  local total, last, lengths = 0, 0, 0
  for _, t in ipairs(threads) do
    total = total + t:get("non200")
    lengths = lengths + t:get("badlength")
    local s = t:get("lastbad")
    if s ~= 0 then
      last = s
    end
  end
  local e = summary.errors
  io.write(string.format("bench: requests=%d non200=%d last_non200_status=%d wrong_length=%d socket_errors=%d (connect %d, read %d, write %d, timeout %d)\n",
    summary.requests, total, last, lengths, e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write,
    e.timeout))
end
