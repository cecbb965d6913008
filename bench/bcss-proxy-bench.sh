#!/usr/bin/env bash
# Benchmark of bcss-proxy on 127.0.0.1: a small GET (/demo/v1/organizations/42) straight to the gateway simulator
# (mutual TLS) versus through the proxy, same client (bench/HttpLoad.java), 64 keep-alive connections, 5 s warm-up
# + 20 s measured per run, direct first then proxy, BENCH_ROUNDS times (default 2).
#   bench/bcss-proxy-bench.sh     benchmark the artifacts already built (./mvnw -B -q -DskipTests install first)
# Reports requests/s and p50/p90/p99 of both paths, the throughput ratio proxy/direct, the latency the proxy adds,
# proxy RSS idle and after the load, and the CPU each process used. Any answer other than 2xx makes the run invalid.
# Writes bench/reports/bcss-proxy-<UTC date>.md and bench/reports/bcss-proxy-latest.md, then prints the report.
# Exits non-zero when a step fails or a result is invalid. Total run time is about 2.5 minutes with 2 rounds.
# Ports: BENCH_OAUTH_PORT, BENCH_ISSUER_PORT, BENCH_ADMIN_PORT, BENCH_GATEWAY_PORT, BENCH_BROKER_PORT,
# BENCH_BROKER_MGMT_PORT, BENCH_PROXY_PORT, BENCH_PROXY_MGMT_PORT. BENCH_ROUNDS (1-3), BENCH_CONNECTIONS (64),
# BENCH_PROXY_MAX_CONCURRENT (64), BENCH_PROXY_JAVA_OPTS; BENCH_KEEP_TMP=1 keeps the temp dir (logs) after the run.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"

# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"
bench_args "$@"

OAUTH_PORT=${BENCH_OAUTH_PORT:-28443}
ISSUER_PORT=${BENCH_ISSUER_PORT:-28444}
ADMIN_PORT=${BENCH_ADMIN_PORT:-28099}
GATEWAY_PORT=${BENCH_GATEWAY_PORT:-28445}
BROKER_PORT=${BENCH_BROKER_PORT:-28081}
BROKER_MGMT_PORT=${BENCH_BROKER_MGMT_PORT:-29001}
PROXY_PORT=${BENCH_PROXY_PORT:-28082}
PROXY_MGMT_PORT=${BENCH_PROXY_MGMT_PORT:-29002}
ROUNDS=${BENCH_ROUNDS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
# proxy.apis.<name>.max-concurrent is set to the connection count (the default, 64, matches the default 64
# connections) so every call has a place at once and the run measures the proxy, not its queue.
PROXY_MAX_CONCURRENT=${BENCH_PROXY_MAX_CONCURRENT:-$CONNECTIONS}
PROXY_JAVA_OPTS=${BENCH_PROXY_JAVA_OPTS:-}

WARMUP_S=5
MEASURE_S=20
PAUSE_S=2 # between runs, so the previous run's garbage collection and connection teardown settle
CALLER_SUBJECT=system:serviceaccount:local:demo-app
SCOPES_JSON='{"scopes":["scope:cbss:api:demo:consult","scope:cbss:api:demo:update"]}'
RESOURCE=/demo/v1/organizations/42
EXPECTED_BODY='"name":"Organisation 42"'

ADMIN=http://127.0.0.1:$ADMIN_PORT
BROKER=http://127.0.0.1:$BROKER_PORT
BROKER_MGMT=http://127.0.0.1:$BROKER_MGMT_PORT
PROXY_MGMT=http://127.0.0.1:$PROXY_MGMT_PORT
DIRECT_URL=https://localhost:$GATEWAY_PORT$RESOURCE # the certificate names localhost; the client connects to 127.0.0.1
PROXY_URL=http://127.0.0.1:$PROXY_PORT/v1/bcss$RESOURCE

gateway_requests() { simulator_counter gateway requests; }

# ---------------------------------------------------------------- preconditions
require_commands java curl
[[ "$ROUNDS" =~ ^[1-3]$ ]] || die "BENCH_ROUNDS must be 1, 2 or 3"
[[ "$CONNECTIONS" =~ ^[0-9]+$ && "$CONNECTIONS" -ge 1 && "$CONNECTIONS" -le 512 ]] || die "BENCH_CONNECTIONS must be 1-512"
require_free_ports "$OAUTH_PORT" "$ISSUER_PORT" "$ADMIN_PORT" "$GATEWAY_PORT" "$BROKER_PORT" "$BROKER_MGMT_PORT" \
  "$PROXY_PORT" "$PROXY_MGMT_PORT"
for f in token-broker/target/quarkus-app/quarkus-run.jar bcss-proxy/target/quarkus-app/quarkus-run.jar \
  simulators/target/simulators.jar; do
  [[ -f "$f" ]] || die "$f missing; build first: ./mvnw -B -q -DskipTests install"
done
[[ -d simulators/target/lib ]] || die "simulators/target/lib missing; build first: ./mvnw -B -q -DskipTests install"

# ---------------------------------------------------------------- 1. copy the artifacts, compile the client
stage_simulators bcss-proxy-bench
mkdir -p "$TMP/client"
cp -a token-broker/target/quarkus-app "$TMP/token-broker"
cp -a bcss-proxy/target/quarkus-app "$TMP/bcss-proxy"
cp -a "$BENCH_DIR/HttpLoad.java" "$TMP/client/"
log "artifacts copied to $TMP"
if command -v javac >/dev/null; then
  javac -d "$TMP/client" "$TMP/client/HttpLoad.java" || die "cannot compile bench/HttpLoad.java"
  CLIENT=(java -cp "$TMP/client" HttpLoad)
else
  CLIENT=(java "$TMP/client/HttpLoad.java") # source-file mode: compiled at every launch
fi

SIM_LOG=$TMP/logs/simulators.log
BROKER_LOG=$TMP/logs/token-broker.log
PROXY_LOG=$TMP/logs/bcss-proxy.log
PROXY_STARTUP_LOG=$TMP/logs/bcss-proxy-startup.log
PKI=$TMP/pki

# ---------------------------------------------------------------- 2. simulators, broker, proxy
start_simulators "$GATEWAY_PORT"
for f in server.crt bcss-signing.crt bcss-signing.key bcss-signing-keystore.p12 server-truststore.p12; do
  [[ -f "$PKI/$f" ]] || die "the simulators did not create $PKI/$f"
done
log "simulators up (pid $SIM_PID)"

write_broker_properties "$TMP/token-broker.properties" "$BROKER_PORT" "$BROKER_MGMT_PORT"
start_quarkus "$TMP/token-broker" "$TMP/token-broker.properties" "$BROKER_LOG"
BROKER_PID=$QUARKUS_PID
await_port token-broker "$BROKER_PORT" "$BROKER_PID" "$BROKER_LOG"
await_ready token-broker "$BROKER_MGMT" "$BROKER_LOG"
log "token-broker ready (pid $BROKER_PID)"

# The proxy's own caller token for the broker, as local-stack.sh makes it (the projected ServiceAccount token).
mint_caller_token system:serviceaccount:local:bcss-proxy token-broker 86400 >"$TMP/bcss-proxy.token"

# Mirrors local/bcss-proxy.properties with the bench ports and absolute PKI paths. The console logs WARN and above;
# the "audit" category (one INFO line per proxied call) is set to WARN as well, so per-call logging is not part of
# what is measured. io.quarkus goes to a small file at INFO for the "started in" line.
cat >"$TMP/bcss-proxy.properties" <<EOF
proxy.environment=test
proxy.apis.demo.base-url=https://localhost:$GATEWAY_PORT/demo
proxy.apis.demo.scopes=scope:cbss:api:demo:consult,scope:cbss:api:demo:update
proxy.apis.demo.max-concurrent=$PROXY_MAX_CONCURRENT
proxy.callers[0].subject=$CALLER_SUBJECT
proxy.callers[0].apis=demo
proxy.broker.url=$BROKER
proxy.broker.token-file=$TMP/bcss-proxy.token

quarkus.tls.bcss-gateway.trust-store.pem.certs=$PKI/server.crt
quarkus.tls.bcss-gateway.key-store.pem.0.cert=$PKI/bcss-signing.crt
quarkus.tls.bcss-gateway.key-store.pem.0.key=$PKI/bcss-signing.key

mp.jwt.verify.publickey.location=https://localhost:$ISSUER_PORT/openid/v1/jwks
mp.jwt.verify.issuer=https://localhost:$ISSUER_PORT
smallrye.jwt.client.tls.certificate.path=$PKI/server.crt

$(listen_properties "$PROXY_PORT" "$PROXY_MGMT_PORT")
quarkus.log.category."audit".level=WARN
$(startup_log_properties "$PROXY_STARTUP_LOG")
EOF
# shellcheck disable=SC2086 # PROXY_JAVA_OPTS is a list of options
start_quarkus "$TMP/bcss-proxy" "$TMP/bcss-proxy.properties" "$PROXY_LOG" $PROXY_JAVA_OPTS
PROXY_PID=$QUARKUS_PID
await_port bcss-proxy "$PROXY_PORT" "$PROXY_PID" "$PROXY_LOG"
await_ready bcss-proxy "$PROXY_MGMT" "$PROXY_LOG"
PROXY_READY_S=$(seconds_since "$QUARKUS_LAUNCHED_NS")
PROXY_START_S=$(started_in "$PROXY_STARTUP_LOG" "$PROXY_LOG")
log "bcss-proxy ready (pid $PROXY_PID; Quarkus start ${PROXY_START_S:-?} s; launch to ready $PROXY_READY_S s)"

sleep 2 # let start-up work settle before the idle figure
PROXY_IDLE_RSS_KIB=$(rss_kib "$PROXY_PID")

# ---------------------------------------------------------------- 3. tokens, and one call on each path
APP_PROXY_TOKEN=$(mint_caller_token "$CALLER_SUBJECT" bcss-proxy 3600)
APP_BROKER_TOKEN=$(mint_caller_token "$CALLER_SUBJECT" token-broker 3600)
answer=$(curl -s --max-time 30 -X POST "$BROKER/v1/tokens" -H 'Content-Type: application/json' \
  -H "Authorization: Bearer $APP_BROKER_TOKEN" -d "$SCOPES_JSON") || die "the broker did not answer /v1/tokens"
BCSS_TOKEN=$(json_field access_token "$answer")
[[ -n "$BCSS_TOKEN" ]] || die "no access_token from the broker: $answer"
BCSS_TOKEN_TTL=$(json_field expires_in "$answer")

# curl checks the same paths once: mutual TLS with host name verification (localhost pinned to 127.0.0.1).
code=$(curl -s -o "$TMP/direct.json" -w '%{http_code}' --max-time 10 \
  --resolve "localhost:$GATEWAY_PORT:127.0.0.1" --cacert "$PKI/server.crt" \
  --cert "$PKI/bcss-signing.crt" --key "$PKI/bcss-signing.key" \
  -H "Authorization: Bearer $BCSS_TOKEN" "$DIRECT_URL" || true)
[[ "$code" == 200 ]] && grep -qF "$EXPECTED_BODY" "$TMP/direct.json" \
  || die "direct check: HTTP ${code:-none}: $(cat "$TMP/direct.json" 2>/dev/null)"
code=$(curl -s -o "$TMP/proxied.json" -w '%{http_code}' --max-time 30 \
  -H "Authorization: Bearer $APP_PROXY_TOKEN" "$PROXY_URL" || true)
[[ "$code" == 200 ]] && grep -qF "$EXPECTED_BODY" "$TMP/proxied.json" \
  || die "proxy check: HTTP ${code:-none}: $(cat "$TMP/proxied.json" 2>/dev/null)"
log "both paths answer 200: $(cat "$TMP/proxied.json")"

# ---------------------------------------------------------------- 4. the runs
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
# The proxy's CPU, and that of some of its threads (names as in /proc/PID/task/*/comm, cut at 15 characters).
WATCH="simulators=$SIM_PID,broker=$BROKER_PID,proxy=$PROXY_PID,proxy_eventloops=$PROXY_PID:vert\.x-eventloo.*"
WATCH="$WATCH,proxy_jit=$PROXY_PID:C[12] CompilerThre.*,proxy_gc=$PROXY_PID:(GC Thread|G1 ).*"
FAILURES=()
RUN_NAMES=()
declare -A FIG=()

run_client() { # run_client NAME URL BEARER [TLS OPTIONS...]: figures into FIG[NAME.key]
  local name=$1 url=$2 bearer=$3 out="$TMP/$1.txt" rc=0 before after key value
  shift 3
  before=$(gateway_requests)
  log "$name: $CONNECTIONS connections, ${WARMUP_S} s warm-up + ${MEASURE_S} s measured"
  timeout $(( WARMUP_S + MEASURE_S + 60 )) "${CLIENT[@]}" --url "$url" --bearer "$bearer" \
    --connections "$CONNECTIONS" --warmup "$WARMUP_S" --duration "$MEASURE_S" \
    --watch "$WATCH" --clk-tck "$CLK_TCK" "$@" >"$out" 2>&1 || rc=$?
  after=$(gateway_requests)
  RUN_NAMES+=("$name")
  FIG[$name.rc]=$rc
  FIG[$name.gateway]=$(( after - before ))
  for key in $(grep -oE '(^| )[a-z][a-z0-9_]*=' "$out" | tr -d ' =' | sort -u || true); do
    value=$(grep -oE "(^| )$key=[^ ]*" "$out" | head -1 | sed 's/^ //; s/^[^=]*=//' || true)
    FIG[$name.$key]=$value
  done
  [[ "$rc" == 0 ]] || FAILURES+=("$name: the client exited $rc ($(grep -oE '[a-z]+_(non2xx|errors)=[0-9]+|[a-z]+_statuses=\{[^}]*\}|fatal=.*' "$out" | tr '\n' ' '))")
  [[ -n "${FIG[$name.measured_rps]:-}" ]] || { cat "$out" >&2; FAILURES+=("$name: no figures in the client output"); }
  log "$name: ${FIG[$name.measured_rps]:-?} req/s, p50 ${FIG[$name.measured_p50_ms]:-?} ms, p99 ${FIG[$name.measured_p99_ms]:-?} ms, non-2xx ${FIG[$name.measured_non2xx]:-?}"
  kill -0 "$PROXY_PID" 2>/dev/null || FAILURES+=("the proxy process died during $name")
  sleep "$PAUSE_S"
}

for round in $(seq 1 "$ROUNDS"); do
  run_client "direct-$round" "$DIRECT_URL" "$BCSS_TOKEN" \
    --keystore "$PKI/bcss-signing-keystore.p12" --truststore "$PKI/server-truststore.p12" --password changeit
  run_client "proxy-$round" "$PROXY_URL" "$APP_PROXY_TOKEN"
  FIG[proxy-$round.rss_kib]=$(rss_kib "$PROXY_PID")
done
PROXY_HWM_KIB=$(hwm_kib "$PROXY_PID")

# ---------------------------------------------------------------- 5. proxy-side figures and logs
PROXY_METRICS=$(curl -s --max-time 10 "$PROXY_MGMT/q/metrics" \
  | grep -E '^proxy_(requests_seconds_count|refused_total|retries_total|upstream_in_flight|breaker_state)' || true)
BROKER_METRICS=$(curl -s --max-time 10 "$BROKER_MGMT/q/metrics" | grep -E '^broker_token_requests_total' || true)
SIM_OAUTH_STATS=$(curl -s --max-time 10 "$ADMIN/admin/oauth/stats" || true)
PROXY_PROBLEMS=$(problem_lines "$PROXY_LOG")
BROKER_PROBLEMS=$(problem_lines "$BROKER_LOG")
SIM_PROBLEMS=$(problem_lines "$SIM_LOG")
PROXY_PROBLEM_COUNT=$(warn_count "$PROXY_LOG")
kill -0 "$PROXY_PID" 2>/dev/null || FAILURES+=("the proxy process died during the run")

# ---------------------------------------------------------------- 6. report
calc() { awk "BEGIN { printf \"$1\", $2 }"; } # calc FORMAT EXPRESSION
f() { printf '%s' "${FIG[$1]:-?}"; }
num() { [[ "${FIG[$1]:-}" =~ ^-?[0-9.]+$ ]]; }

# Noise: CPU the machine spent on processes other than the client, the simulators, the broker and the proxy.
foreign_cores() { # foreign_cores RUN
  if num "$1.cpu_machine_busy_cores" && num "$1.cpu_client_cores" && num "$1.cpu_simulators_cores" \
    && num "$1.cpu_broker_cores" && num "$1.cpu_proxy_cores"; then
    calc '%.2f' "${FIG[$1.cpu_machine_busy_cores]} - ${FIG[$1.cpu_client_cores]} - ${FIG[$1.cpu_simulators_cores]} - ${FIG[$1.cpu_broker_cores]} - ${FIG[$1.cpu_proxy_cores]}"
  else
    printf '?'
  fi
}
NOISY=()
for run in "${RUN_NAMES[@]}"; do
  fc=$(foreign_cores "$run")
  if [[ "$fc" != "?" ]] && awk -v c="$fc" 'BEGIN { exit !(c > 0.15) }'; then NOISY+=("$run ($fc cores)"); fi
done

start_report bcss-proxy
{
  report_head bcss-proxy
  echo "| Proxy JVM options | ${PROXY_JAVA_OPTS:-(defaults)} |"
  echo "| Load generator | bench/HttpLoad.java on the same machine: $CONNECTIONS platform threads, one blocking HTTP/1.1 keep-alive connection each, closed loop |"
  echo
  echo "## Set-up"
  echo
  echo "- Request: \`GET $RESOURCE\` (answer: $(awk -v b="${FIG[direct-1.measured_body_bytes]:-0}" -v n="${FIG[direct-1.measured_requests]:-0}" 'BEGIN { if (n > 0) printf "%.0f", b / n; else printf "?" }') bytes of JSON), $CONNECTIONS connections,"
  echo "  ${WARMUP_S} s warm-up then ${MEASURE_S} s measured per run (same connections), direct first then proxy, $ROUNDS round(s)."
  echo "- **direct**: \`$DIRECT_URL\`, mutual TLS with the BCSS client certificate (bcss-signing-keystore.p12),"
  echo "  host name verification on, \`Authorization: Bearer <BCSS access token from the broker>\`."
  echo "- **proxy**: \`$PROXY_URL\`, plain HTTP, \`Authorization: Bearer <caller JWT, audience bcss-proxy>\`. The proxy"
  echo "  checks the JWT, gets the BCSS token from its local copy (the broker is asked once), calls the same gateway"
  echo "  simulator over mutual TLS (pool of 64 connections) and relays the answer."
  echo "- Proxy settings that differ from local/bcss-proxy.properties: bench ports, console log level WARN, and the"
  echo "  **\`audit\` log category at WARN**: the one-line-per-call audit log (INFO) is off, so logging does not"
  echo "  dominate; production writes that line for every call. \`proxy.apis.demo.max-concurrent=$PROXY_MAX_CONCURRENT\`"
  echo "  (default 32, which with $CONNECTIONS connections would answer some calls 503)."
  echo "- Everything (client, gateway simulator, OAuth simulator, broker, proxy) runs on the same $(nproc) CPUs, so the"
  echo "  proxy path also pays for the CPU the proxy takes from the gateway and the client. Compare only runs on the same machine."
  echo
  echo "## Figures"
  echo
  echo "| Run | Requests/s | p50 | p90 | p99 | max | Requests (measured) | Non-2xx / I/O errors (all phases) | Gateway requests counted |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for run in "${RUN_NAMES[@]}"; do
    bad="$(( ${FIG[$run.warmup_non2xx]:-0} + ${FIG[$run.measured_non2xx]:-0} + ${FIG[$run.tail_non2xx]:-0} )) / $(( ${FIG[$run.warmup_errors]:-0} + ${FIG[$run.measured_errors]:-0} + ${FIG[$run.tail_errors]:-0} ))"
    total=$(( ${FIG[$run.warmup_requests]:-0} + ${FIG[$run.measured_requests]:-0} + ${FIG[$run.tail_requests]:-0} ))
    echo "| $run | **$(f "$run.measured_rps")** | **$(f "$run.measured_p50_ms") ms** | $(f "$run.measured_p90_ms") ms | **$(f "$run.measured_p99_ms") ms** | $(f "$run.measured_max_ms") ms | $(f "$run.measured_requests") | $bad | $(f "$run.gateway") (client read $total answers) |"
  done
  echo
  echo "| Round | Throughput ratio proxy / direct | Added latency p50 (proxy - direct) | Added latency p90 | Added latency p99 |"
  echo "|---|---|---|---|---|"
  sum_ratio=0; sum_p50=0; sum_p90=0; sum_p99=0; n=0
  for round in $(seq 1 "$ROUNDS"); do
    d=direct-$round; p=proxy-$round
    if num "$d.measured_rps" && num "$p.measured_rps" && num "$d.measured_p99_ms" && num "$p.measured_p99_ms"; then
      ratio=$(calc '%.3f' "${FIG[$p.measured_rps]} / ${FIG[$d.measured_rps]}")
      a50=$(calc '%.2f' "${FIG[$p.measured_p50_ms]} - ${FIG[$d.measured_p50_ms]}")
      a90=$(calc '%.2f' "${FIG[$p.measured_p90_ms]} - ${FIG[$d.measured_p90_ms]}")
      a99=$(calc '%.2f' "${FIG[$p.measured_p99_ms]} - ${FIG[$d.measured_p99_ms]}")
      echo "| $round | **$ratio** | **$a50 ms** | $a90 ms | **$a99 ms** |"
      sum_ratio=$(calc '%.6f' "$sum_ratio + $ratio"); sum_p50=$(calc '%.6f' "$sum_p50 + $a50")
      sum_p90=$(calc '%.6f' "$sum_p90 + $a90"); sum_p99=$(calc '%.6f' "$sum_p99 + $a99"); n=$(( n + 1 ))
    else
      echo "| $round | ? | ? | ? | ? |"
    fi
  done
  if [[ "$n" -gt 1 ]]; then
    echo "| mean of $n rounds | $(calc '%.3f' "$sum_ratio / $n") | $(calc '%.2f' "$sum_p50 / $n") ms | $(calc '%.2f' "$sum_p90 / $n") ms | $(calc '%.2f' "$sum_p99 / $n") ms |"
  fi
  echo
  echo "| Proxy figure | Value |"
  echo "|---|---|"
  echo "| Start time (Quarkus \"started in\") / launch to ready (measured by the script) | ${PROXY_START_S:-?} s / $PROXY_READY_S s |"
  echo "| RSS idle (after start-up, before any call) | $(mib "$PROXY_IDLE_RSS_KIB") MiB |"
  for round in $(seq 1 "$ROUNDS"); do
    echo "| RSS after round $round | $(mib "${FIG[proxy-$round.rss_kib]:-0}") MiB |"
  done
  echo "| Peak RSS (VmHWM) at the end | $(mib "$PROXY_HWM_KIB") MiB |"
  echo "| Proxy log lines at WARN or above | ${PROXY_PROBLEM_COUNT:-0} |"
  echo
  echo "## CPU during the measured ${MEASURE_S} s (in cores: CPU seconds per second; the machine has $(nproc))"
  echo
  echo "| Run | Machine busy | Client | Gateway + OAuth simulators | Broker | Proxy (event loops / JIT compiler / GC threads) | Other processes | Proxy CPU ms per 1000 calls |"
  echo "|---|---|---|---|---|---|---|---|"
  for run in "${RUN_NAMES[@]}"; do
    per=""
    if [[ "$run" == proxy-* ]] && num "$run.cpu_proxy_cores" && num "$run.measured_rps"; then
      per=$(calc '%.0f' "${FIG[$run.cpu_proxy_cores]} * 1000 * 1000 / ${FIG[$run.measured_rps]}")
    fi
    echo "| $run | $(f "$run.cpu_machine_busy_cores") | $(f "$run.cpu_client_cores") | $(f "$run.cpu_simulators_cores") | $(f "$run.cpu_broker_cores") | $(f "$run.cpu_proxy_cores") ($(f "$run.cpu_proxy_eventloops_cores") / $(f "$run.cpu_proxy_jit_cores") / $(f "$run.cpu_proxy_gc_cores")) | $(foreign_cores "$run") | ${per:--} |"
  done
  echo
  JIT_BUSY=()
  for run in "${RUN_NAMES[@]}"; do
    if [[ "$run" == proxy-* ]] && num "$run.cpu_proxy_jit_cores" \
      && awk -v c="${FIG[$run.cpu_proxy_jit_cores]}" 'BEGIN { exit !(c > 0.1) }'; then
      JIT_BUSY+=("$run (${FIG[$run.cpu_proxy_jit_cores]} cores)")
    fi
  done
  if [[ ${#JIT_BUSY[@]} -gt 0 ]]; then
    echo "**JIT note**: the proxy's JIT compiler threads were still busy during ${JIT_BUSY[*]}: the ${WARMUP_S} s warm-up"
    echo "does not bring the proxy to steady state, and that CPU is taken from the proxy, the gateway and the client."
    echo "Later rounds are closer to steady state."
    echo
  fi
  if [[ ${#NOISY[@]} -gt 0 ]]; then
    echo "**Noise warning**: processes outside this benchmark used CPU during ${NOISY[*]}. The figures of those runs are"
    echo "lower than the machine can do; run again on a quiet machine before quoting them."
    echo
  fi
  echo "Latencies are measured by the client from writing the request to reading the last byte of the answer,"
  echo "closed loop (a slow answer delays that connection's next request), nearest-rank percentiles over every"
  echo "measured request. The gateway simulator counts requests on arrival; its count for a proxy run equals the"
  echo "client's when the proxy made exactly one upstream call per call (no retries)."
  echo "BCSS access token lifetime: ${BCSS_TOKEN_TTL:-?} s, longer than the run, so no token is fetched during the measurements."
  echo
  echo "## Counters at the end"
  echo
  echo '```'
  echo "${PROXY_METRICS:-(no proxy_ metrics found)}"
  echo "${BROKER_METRICS:-(no broker_ metrics found)}"
  echo "simulator /admin/oauth/stats: $SIM_OAUTH_STATS"
  echo '```'
  echo
  echo "## Logs at WARN and above"
  echo
  echo "bcss-proxy:"
  echo '```'
  if [[ -n "$PROXY_PROBLEMS" ]]; then head -40 <<<"$PROXY_PROBLEMS"; else echo "(none)"; fi
  echo '```'
  echo "token-broker:"
  echo '```'
  if [[ -n "$BROKER_PROBLEMS" ]]; then head -20 <<<"$BROKER_PROBLEMS"; else echo "(none)"; fi
  echo '```'
  echo "simulators:"
  echo '```'
  if [[ -n "$SIM_PROBLEMS" ]]; then head -20 <<<"$SIM_PROBLEMS"; else echo "(none)"; fi
  echo '```'
  echo
  echo "## Raw client output (bench/HttpLoad.java)"
  for run in "${RUN_NAMES[@]}"; do
    echo
    echo "$run (exit ${FIG[$run.rc]}):"
    echo '```'
    # the sample answer is the gateway's JSON; nothing secret is printed (tokens are not echoed)
    cat "$TMP/$run.txt"
    echo '```'
  done
} >"$REPORT"
finish_report bcss-proxy
