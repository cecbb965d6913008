#!/usr/bin/env bash
# Benchmark of token-broker on 127.0.0.1 against the simulators (fake Smals OAuth server, fake cluster token issuer).
#   bench/token-broker-bench.sh              build (./mvnw -B -q -DskipTests install), then benchmark
#   bench/token-broker-bench.sh --no-build   benchmark what was built before
# Measures: cached-token throughput and latency with 64 concurrent callers (wrk), a cold burst of 200 concurrent
# callers for a new scope set (upstream token requests it causes: expected 1), broker RSS and start time.
# Writes bench/reports/token-broker-<UTC date>.md and bench/reports/token-broker-latest.md, then prints the report.
# Exits non-zero when a step fails or a result is invalid. Total run time is about 1 minute (no build).
# Ports can be moved with BENCH_OAUTH_PORT, BENCH_ISSUER_PORT, BENCH_ADMIN_PORT, BENCH_HTTP_PORT, BENCH_MGMT_PORT;
# extra broker JVM options with BENCH_BROKER_JAVA_OPTS; BENCH_KEEP_TMP=1 keeps the temp dir (logs) after the run.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"

COMMAND="bench/token-broker-bench.sh${*:+ $*}"
BUILD=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

OAUTH_PORT=${BENCH_OAUTH_PORT:-18443}
ISSUER_PORT=${BENCH_ISSUER_PORT:-18444}
ADMIN_PORT=${BENCH_ADMIN_PORT:-18099}
HTTP_PORT=${BENCH_HTTP_PORT:-18081}
MGMT_PORT=${BENCH_MGMT_PORT:-19001}
BROKER_JAVA_OPTS=${BENCH_BROKER_JAVA_OPTS:-}

WRK_THREADS=2
WRK_CONNECTIONS=64
WARMUP_DURATION=5s
MEASURE_DURATION=20s
BURST_N=200
BURST_LATENCY_MS=300
CONSULT_BODY='{"scopes":["scope:cbss:api:demo:consult"]}'
BURST_BODY='{"scopes":["scope:cbss:api:demo:update"]}'
CALLER_SUBJECT=system:serviceaccount:local:demo-app

ADMIN=http://127.0.0.1:$ADMIN_PORT
BROKER=http://127.0.0.1:$HTTP_PORT
MGMT=http://127.0.0.1:$MGMT_PORT
TOKENS_URL=$BROKER/v1/tokens

# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"

upstream_token_requests() { simulator_counter oauth tokenRequests; }

# ---------------------------------------------------------------- preconditions
require_commands java curl
require_apt_command wrk wrk
require_free_ports "$OAUTH_PORT" "$ISSUER_PORT" "$ADMIN_PORT" "$HTTP_PORT" "$MGMT_PORT"

# ---------------------------------------------------------------- 1. build and copy the artifacts
if [[ "$BUILD" == 1 ]]; then
  log "building: ./mvnw -B -q -DskipTests install"
  ./mvnw -B -q -DskipTests install || die "build failed"
fi
[[ -f token-broker/target/quarkus-app/quarkus-run.jar ]] || die "token-broker/target/quarkus-app/quarkus-run.jar missing; build first"
[[ -f simulators/target/simulators.jar && -d simulators/target/lib ]] || die "simulators/target/simulators.jar or lib/ missing; build first"

stage_simulators token-broker-bench
cp -a token-broker/target/quarkus-app "$TMP/quarkus-app"
log "artifacts copied to $TMP"

SIM_LOG=$TMP/logs/simulators.log
BROKER_LOG=$TMP/logs/token-broker.log
STARTUP_LOG=$TMP/logs/token-broker-startup.log
BROKER_PROPS=$TMP/token-broker.properties
PKI=$TMP/pki

# ---------------------------------------------------------------- 2. simulators and broker
start_simulators
log "simulators up (pid $SIM_PID)"

# The console logs WARN and above only; the io.quarkus category also goes to a small file at INFO, for the
# "started in" line (nothing per request is logged there).
write_broker_properties "$BROKER_PROPS" "$HTTP_PORT" "$MGMT_PORT" "$STARTUP_LOG"

# shellcheck disable=SC2086 # BROKER_JAVA_OPTS is a list of options
start_quarkus "$TMP/quarkus-app" "$BROKER_PROPS" "$BROKER_LOG" $BROKER_JAVA_OPTS
BROKER_PID=$QUARKUS_PID
BROKER_LAUNCHED_NS=$QUARKUS_LAUNCHED_NS
await_port token-broker "$HTTP_PORT" "$BROKER_PID" "$BROKER_LOG"
await_port token-broker "$MGMT_PORT" "$BROKER_PID" "$BROKER_LOG"
await_ready broker "$MGMT" "$BROKER_LOG"
READY_WALL_S=$(seconds_since "$BROKER_LAUNCHED_NS")
START_S=$(started_in "$STARTUP_LOG" "$BROKER_LOG")
log "broker ready (pid $BROKER_PID; Quarkus start ${START_S:-?} s; launch to ready ${READY_WALL_S} s)"

sleep 2 # let start-up work settle before the idle figure
IDLE_RSS_KIB=$(rss_kib "$BROKER_PID")

# ---------------------------------------------------------------- 3. caller token
CALLER_TOKEN=$(mint_caller_token "$CALLER_SUBJECT" token-broker 3600)

# ---------------------------------------------------------------- 4. cached-token throughput and latency
code=$(curl -s -o "$TMP/warm.json" -w '%{http_code}' --max-time 30 -X POST "$TOKENS_URL" \
  -H 'Content-Type: application/json' -H "Authorization: Bearer $CALLER_TOKEN" -d "$CONSULT_BODY" || true)
[[ "$code" == 200 ]] || die "cache warm-up request answered ${code:-nothing}: $(cat "$TMP/warm.json" 2>/dev/null)"
log "cache warm; wrk warm-up run ($WARMUP_DURATION)"

export BENCH_CALLER_TOKEN=$CALLER_TOKEN BENCH_POST_BODY=$CONSULT_BODY
run_wrk() { # run_wrk DURATION OUTFILE
  timeout 120 wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$1" --timeout 5s --latency \
    -s "$BENCH_DIR/bearer-get.lua" "$TOKENS_URL" >"$2" 2>&1
}
run_wrk "$WARMUP_DURATION" "$TMP/wrk-warmup.txt" || { cat "$TMP/wrk-warmup.txt" >&2; die "wrk warm-up run failed"; }
log "measured wrk run ($MEASURE_DURATION, $WRK_CONNECTIONS connections)"
run_wrk "$MEASURE_DURATION" "$TMP/wrk.txt" || { cat "$TMP/wrk.txt" >&2; die "measured wrk run failed"; }
RSS_AFTER_WRK_KIB=$(rss_kib "$BROKER_PID")

WRK_OUT=$(cat "$TMP/wrk.txt")
RPS=$(awk '/^Requests\/sec:/ {print $2}' <<<"$WRK_OUT")
P50=$(awk '$1 == "50%" {print $2}' <<<"$WRK_OUT")
P75=$(awk '$1 == "75%" {print $2}' <<<"$WRK_OUT")
P90=$(awk '$1 == "90%" {print $2}' <<<"$WRK_OUT")
P99=$(awk '$1 == "99%" {print $2}' <<<"$WRK_OUT")
MAXLAT=$(awk '$1 == "Latency" && NF >= 4 {print $4; exit}' <<<"$WRK_OUT")
TOTAL_REQ=$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' <<<"$WRK_OUT")
NON200=$(sed -n 's/^bench: .* non200=\([0-9]*\).*/\1/p' <<<"$WRK_OUT")
SOCKET_ERRORS=$(sed -n 's/^bench: .* socket_errors=\([0-9]*\).*/\1/p' <<<"$WRK_OUT")
WARMUP_NON200=$(sed -n 's/^bench: .* non200=\([0-9]*\).*/\1/p' "$TMP/wrk-warmup.txt")
WARMUP_RPS=$(awk '/^Requests\/sec:/ {print $2}' "$TMP/wrk-warmup.txt")
[[ -n "$RPS" && -n "$P50" && -n "$P99" && -n "$NON200" ]] || { cat "$TMP/wrk.txt" >&2; die "cannot parse the wrk output"; }

FAILURES=()
[[ "$NON200" == 0 ]] || FAILURES+=("wrk measured run: $NON200 non-200 responses")
[[ "${WARMUP_NON200:-0}" == 0 ]] || FAILURES+=("wrk warm-up run: $WARMUP_NON200 non-200 responses")
[[ "${SOCKET_ERRORS:-0}" == 0 ]] || FAILURES+=("wrk measured run: $SOCKET_ERRORS socket errors")

# ---------------------------------------------------------------- 5. cold burst
log "cold burst: $BURST_N concurrent callers, new scope set, ${BURST_LATENCY_MS} ms upstream latency"
curl -sf --max-time 10 -X PUT "$ADMIN/admin/oauth/faults" -H 'Content-Type: application/json' \
  -d "{\"latencyMs\":$BURST_LATENCY_MS}" >/dev/null || die "cannot set the simulator latency"
UPSTREAM_BEFORE=$(upstream_token_requests)
burst_rc=0
timeout 120 java "$BENCH_DIR/ColdBurst.java" "$TOKENS_URL" "$CALLER_TOKEN" "$BURST_N" "$BURST_BODY" \
  >"$TMP/burst.txt" 2>&1 || burst_rc=$?
UPSTREAM_AFTER=$(upstream_token_requests)
curl -sf --max-time 10 -X DELETE "$ADMIN/admin/oauth/faults" >/dev/null || die "cannot clear the simulator faults"
RSS_AFTER_KIB=$(rss_kib "$BROKER_PID")
HWM_KIB=$(hwm_kib "$BROKER_PID")

BURST_OUT=$(cat "$TMP/burst.txt")
burst_val() { sed -n "s/^$1=\([^ ]*\).*/\1/p" <<<"$BURST_OUT" | head -1; }
BURST_OK=$(burst_val ok_200)
BURST_OTHER=$(burst_val other_status)
BURST_ERRORS=$(burst_val client_errors)
BURST_TOKENS=$(burst_val distinct_tokens)
BURST_WALL=$(burst_val wall_ms)
BURST_MAX=$(burst_val max_latency_ms)
BURST_P50=$(burst_val p50_latency_ms)
BURST_STATUSES=$(sed -n "s/^statuses=//p" <<<"$BURST_OUT" | head -1)
BURST_UPSTREAM=$(( UPSTREAM_AFTER - UPSTREAM_BEFORE ))

[[ "$burst_rc" == 0 ]] || FAILURES+=("cold burst: ColdBurst exited $burst_rc (not every request got a 200)")
[[ "$BURST_UPSTREAM" == 1 ]] || FAILURES+=("cold burst: $BURST_UPSTREAM upstream token requests (expected 1)")
[[ "$BURST_TOKENS" == 1 ]] || FAILURES+=("cold burst: $BURST_TOKENS distinct access tokens (expected 1)")

# ---------------------------------------------------------------- 6. broker-side figures
METRICS=$(curl -s --max-time 10 "$MGMT/q/metrics" | grep -E '^broker_token_requests_total|^broker_token_cache_entries' || true)
SIM_STATS=$(curl -s --max-time 10 "$ADMIN/admin/oauth/stats" || true)
PROBLEM_LINES=$(grep -E '(^|[[:space:]])(WARN|ERROR|SEVERE)[[:space:]]|Exception' "$BROKER_LOG" || true)
PROBLEM_COUNT=$(warn_count "$BROKER_LOG")
if ! kill -0 "$BROKER_PID" 2>/dev/null; then FAILURES+=("the broker process died during the run"); fi

# ---------------------------------------------------------------- 7. report
start_report token-broker
WRK_VERSION=$(wrk -v 2>&1 | awk 'NR == 1 {print $1, $2}' || true) # wrk -v exits 1
{
  report_head token-broker
  echo "| Broker JVM options | ${BROKER_JAVA_OPTS:-(defaults)} |"
  echo "| Load generator | $WRK_VERSION, on the same machine (shares the CPUs with the broker and the simulators) |"
  echo
  echo "## Figures"
  echo
  echo "| Figure | Value |"
  echo "|---|---|"
  echo "| Cached token: throughput ($WRK_CONNECTIONS connections, $WRK_THREADS wrk threads, $MEASURE_DURATION) | **$RPS req/s** ($TOTAL_REQ requests) |"
  echo "| Cached token: latency p50 | **$P50** |"
  echo "| Cached token: latency p75 | $P75 |"
  echo "| Cached token: latency p90 | **$P90** |"
  echo "| Cached token: latency p99 | **$P99** |"
  echo "| Cached token: latency max | $MAXLAT |"
  echo "| Cached token: non-200 responses / socket errors | $NON200 / ${SOCKET_ERRORS:-?} |"
  echo "| Warm-up run ($WARMUP_DURATION): throughput, non-200 | $WARMUP_RPS req/s, ${WARMUP_NON200:-?} |"
  echo "| Cold burst: concurrent callers (new scope set, ${BURST_LATENCY_MS} ms upstream latency) | $BURST_N |"
  echo "| Cold burst: **upstream token requests caused** (expected 1) | **$BURST_UPSTREAM** |"
  echo "| Cold burst: 200 answers / other statuses / client errors | ${BURST_OK:-?} / ${BURST_OTHER:-?} / ${BURST_ERRORS:-?} (statuses ${BURST_STATUSES:-?}) |"
  echo "| Cold burst: distinct access tokens handed out | ${BURST_TOKENS:-?} |"
  echo "| Cold burst: wall time / p50 latency / max latency | ${BURST_WALL:-?} ms / ${BURST_P50:-?} ms / ${BURST_MAX:-?} ms |"
  echo "| Broker start time (Quarkus \"started in\") | ${START_S:-?} s |"
  echo "| Broker launch to ready (/q/health/ready 200, as measured by the script) | $READY_WALL_S s |"
  echo "| Broker RSS idle (after start-up, before load) | $(mib "$IDLE_RSS_KIB") MiB |"
  echo "| Broker RSS after the wrk runs | $(mib "$RSS_AFTER_WRK_KIB") MiB |"
  echo "| Broker RSS after the cold burst (end of run) / peak (VmHWM) | $(mib "$RSS_AFTER_KIB") MiB / $(mib "$HWM_KIB") MiB |"
  echo "| Broker log lines at WARN or above | ${PROBLEM_COUNT:-0} |"
  echo
  echo "Latencies are measured by wrk on the client side, over HTTP/1.1 keep-alive connections to 127.0.0.1."
  echo "The cold-burst latency includes the ${BURST_LATENCY_MS} ms injected at the simulated Smals token endpoint."
  echo
  if awk -v m="${BURST_MAX:-0}" 'BEGIN { exit !(m > 5000) }'; then
    echo "Note: cold-burst callers waited ${BURST_MAX} ms, far longer than the ${BURST_LATENCY_MS} ms upstream latency."
    echo "The broker gives up waiting for a shared fetch after connect-timeout + read-timeout + 1 s (16 s by default)."
    echo "A likely cause is worker-pool starvation: every caller blocks a Quarkus worker thread in TokenCache.await"
    echo "(quarkus.thread-pool.max-threads, default max(8 x CPUs, 200) = $(( $(nproc) * 8 > 200 ? $(nproc) * 8 : 200 )) here), and the single-flight upstream"
    echo "fetch runs on the same pool, where its blocking REST client call cannot complete while no worker thread is free."
    echo "Check with jstack on the broker during the burst (worker threads parked in TokenCache.await, the fetch parked in"
    echo "InvocationBuilderImpl.unwrap), or run again with BENCH_BROKER_JAVA_OPTS=-Dquarkus.thread-pool.max-threads=400."
    echo
  fi
  echo "## Broker and simulator counters at the end"
  echo
  echo '```'
  echo "${METRICS:-(no broker_ metrics found)}"
  echo "simulator /admin/oauth/stats: $SIM_STATS"
  echo '```'
  echo
  echo "## Broker log at WARN and above"
  echo
  echo '```'
  if [[ -n "$PROBLEM_LINES" ]]; then head -40 <<<"$PROBLEM_LINES"; else echo "(none)"; fi
  echo '```'
  echo
  echo "## Raw wrk output (measured run)"
  echo
  echo '```'
  echo "$WRK_OUT"
  echo '```'
  echo
  echo "## Raw cold-burst output (bench/ColdBurst.java)"
  echo
  echo '```'
  echo "$BURST_OUT"
  echo "upstream tokenRequests before=$UPSTREAM_BEFORE after=$UPSTREAM_AFTER"
  echo '```'
} >"$REPORT"
finish_report token-broker
