#!/usr/bin/env bash
# Benchmark of bcss-proxy on 127.0.0.1 next to Debian's nginx doing the same job, in the same run: a small GET
# (/demo/v1/organizations/42) to the gateway simulator (mutual TLS) three ways, same client (bench/HttpLoad.java),
# 64 keep-alive connections, warm-up + measured phase per run, BENCH_ROUNDS rounds of direct, nginx, proxy:
#   direct  straight to the gateway simulator, mutual TLS with the BCSS client certificate, the BCSS access token;
#   nginx   plain HTTP to nginx (the anchor), which does the proxy's job: TLS origination with the same client
#           certificate (PEM converted from the PKCS#12 with openssl), host name verification on, Authorization:
#           Bearer <BCSS access token> and BelGov-Trace-Id ($request_id) added, keep-alive upstream pool (64), TLS
#           session reuse, access log on (to a file), one worker per CPU;
#   proxy   plain HTTP to bcss-proxy with production settings: caller JWT checked, audit line per call (JSON logs at
#           INFO, to a file), metrics.
# Then (BENCH_PROFILE=1, the default) one extra proxy run with async-profiler sampling the proxy's CPU during its
# measured phase: the flame graph goes to bench/reports/flame-graphs/bcss-proxy/ (its figures are not in the ratios).
#   bench/bcss-proxy-bench.sh     benchmark the artifacts already built
#                                 (./mvnw -B -q -pl bcss-proxy,token-broker,simulators -am package -DskipTests)
# Reports requests/s and p50/p90/p99 of each path, the ratios proxy/nginx (goal >= 1.0) and proxy/direct, the latency
# the proxy and nginx add over direct (goal for the proxy: p50 <= 0.5 ms, p99 <= 3 ms), the CPU of each process and
# per request, the upstream connections each relay kept open, proxy RSS. A missed goal is reported, not a failure.
# Writes bench/reports/bcss-proxy-<UTC date>.md and bench/reports/bcss-proxy-latest.md, then prints the report.
# Exits non-zero when a step fails or a result is invalid (any answer other than 2xx, an I/O error).
# About 5 minutes with the defaults (2 rounds of 3 runs of 15 + 20 s, one profiled run).
# Ports (28000-29999): BENCH_OAUTH_PORT, BENCH_ISSUER_PORT, BENCH_ADMIN_PORT, BENCH_GATEWAY_PORT, BENCH_BROKER_PORT,
# BENCH_BROKER_MGMT_PORT, BENCH_PROXY_PORT, BENCH_PROXY_MGMT_PORT, BENCH_NGINX_PORT. BENCH_ROUNDS (1-3, 2),
# BENCH_CONNECTIONS (64), BENCH_WARMUP_S (15), BENCH_MEASURE_S (20), BENCH_PROFILE (1; 0 = no profiled run),
# BENCH_PATHS (all three: "direct nginx proxy"; a subset makes a trial run, reported INVALID), BENCH_PROXY_MAX_CONCURRENT (= connections), BENCH_PROXY_JAVA_OPTS; BENCH_QUIET_LOGS=1 (lib.sh: services log plain
# WARN lines, for a comparison figure only); BENCH_KEEP_TMP=1 keeps the temp dir (logs) after the run.
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
NGINX_PORT=${BENCH_NGINX_PORT:-28083}
ROUNDS=${BENCH_ROUNDS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
# proxy.apis.<name>.max-concurrent is set to the connection count (the default, 64, matches the default 64
# connections) so every call has a place at once and the run measures the proxy, not its queue.
PROXY_MAX_CONCURRENT=${BENCH_PROXY_MAX_CONCURRENT:-$CONNECTIONS}
PROXY_JAVA_OPTS=${BENCH_PROXY_JAVA_OPTS:-}

WARMUP_S=${BENCH_WARMUP_S:-15}
MEASURE_S=${BENCH_MEASURE_S:-20}
PROFILE=${BENCH_PROFILE:-1}
PATHS=${BENCH_PATHS:-direct nginx proxy} # a subset only for trials: the ratios need all three
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
NGINX_URL=http://127.0.0.1:$NGINX_PORT/v1/bcss$RESOURCE

gateway_requests() { simulator_counter gateway requests; }

# ---------------------------------------------------------------- preconditions
require_commands java curl openssl ss
[[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null || die "nginx not found (Debian package nginx)"
[[ "$ROUNDS" =~ ^[1-3]$ ]] || die "BENCH_ROUNDS must be 1, 2 or 3"
[[ "$WARMUP_S" =~ ^[0-9]+$ && "$WARMUP_S" -le 120 ]] || die "BENCH_WARMUP_S must be 0-120"
[[ "$MEASURE_S" =~ ^[0-9]+$ && "$MEASURE_S" -ge 1 && "$MEASURE_S" -le 300 ]] || die "BENCH_MEASURE_S must be 1-300"
[[ "$PROFILE" =~ ^[01]$ ]] || die "BENCH_PROFILE must be 0 or 1"
[[ "$PATHS" =~ ^(direct|nginx|proxy)( (direct|nginx|proxy))*$ ]] || die "BENCH_PATHS: some of direct nginx proxy"
[[ "$PATHS" == "direct nginx proxy" ]] || FAILURES_EARLY="BENCH_PATHS=$PATHS: a trial run without all three paths (no ratios)"
[[ "$CONNECTIONS" =~ ^[0-9]+$ && "$CONNECTIONS" -ge 1 && "$CONNECTIONS" -le 512 ]] || die "BENCH_CONNECTIONS must be 1-512"
require_free_ports "$OAUTH_PORT" "$ISSUER_PORT" "$ADMIN_PORT" "$GATEWAY_PORT" "$BROKER_PORT" "$BROKER_MGMT_PORT" \
  "$PROXY_PORT" "$PROXY_MGMT_PORT" "$NGINX_PORT"
for f in token-broker/target/quarkus-app/quarkus-run.jar bcss-proxy/target/quarkus-app/quarkus-run.jar \
  simulators/target/simulators.jar; do
  [[ -f "$f" ]] || die "$f missing; build first: ./mvnw -B -q -pl bcss-proxy,token-broker,simulators -am package -DskipTests"
done
[[ -d simulators/target/lib ]] || die "simulators/target/lib missing; build first: ./mvnw -B -q -pl bcss-proxy,token-broker,simulators -am package -DskipTests"

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

# Mirrors local/bcss-proxy.properties with the bench ports and absolute PKI paths, production logging (listen_properties:
# JSON lines at INFO, the audit line of every call included, to the log file). io.quarkus also goes to a small file at
# INFO for the "started in" line.
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
$(startup_log_properties "$PROXY_STARTUP_LOG")
EOF
# shellcheck disable=SC2086 # PROXY_JAVA_OPTS is a list of options
start_quarkus "$TMP/bcss-proxy" "$TMP/bcss-proxy.properties" "$PROXY_LOG" "${PROFILER_JVM_OPTS[@]}" $PROXY_JAVA_OPTS
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

# ---------------------------------------------------------------- nginx, the anchor
# proxy_nginx_conf DIR: DIR/nginx.conf for Debian's nginx doing the proxy's job on 127.0.0.1:NGINX_PORT (reads PKI,
# GATEWAY_PORT, BCSS_TOKEN, CONNECTIONS): /v1/bcss/demo/... to https://localhost:GATEWAY_PORT/demo/... through a
# keep-alive pool, the client certificate from DIR/client.crt + client.key, the server checked against PKI/server.crt
# for the name localhost, Authorization and BelGov-Trace-Id set, one access log line per call to DIR/access.log.
proxy_nginx_conf() {
  local dir=$1 user_line=""
  mkdir -p "$dir/temp"
  # as root, the workers would switch to nobody, who cannot read the temp dir (mode 700)
  if [[ $EUID == 0 ]]; then user_line="user $(id -un) $(id -gn);"; fi
  cat >"$dir/nginx.conf" <<EON
$user_line
worker_processes $(nproc);
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    log_format audit '\$remote_addr [\$time_iso8601] "\$request_method \$uri" \$status \$body_bytes_sent '
                     'rt=\$request_time urt=\$upstream_response_time trace=\$request_id';
    access_log $dir/access.log audit;
    keepalive_timeout 65s;
    keepalive_requests 1000000;
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    upstream bcss_gateway {
        server 127.0.0.1:$GATEWAY_PORT;
        keepalive $CONNECTIONS;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location /v1/bcss/demo/ {
            proxy_pass https://bcss_gateway/demo/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host localhost:$GATEWAY_PORT;
            proxy_set_header Authorization "Bearer $BCSS_TOKEN";
            proxy_set_header BelGov-Trace-Id \$request_id;
            proxy_ssl_certificate $dir/client.crt;
            proxy_ssl_certificate_key $dir/client.key;
            proxy_ssl_trusted_certificate $PKI/server.crt;
            proxy_ssl_verify on;
            proxy_ssl_verify_depth 2;
            proxy_ssl_name localhost;
            proxy_ssl_server_name on;
            proxy_ssl_protocols TLSv1.2 TLSv1.3;
            proxy_ssl_session_reuse on;
        }
        location / { return 404; }
    }
}
EON
}

PATH=$PATH:/usr/sbin # Debian's nginx, also for a caller without sbin on its PATH
NGX=$TMP/nginx
mkdir -p "$NGX"
# the client certificate and key of the PKCS#12 the direct path uses, as PEM for nginx
openssl pkcs12 -in "$PKI/bcss-signing-keystore.p12" -passin pass:changeit -nokeys -out "$NGX/client.crt" 2>"$TMP/logs/openssl.log" \
  && openssl pkcs12 -in "$PKI/bcss-signing-keystore.p12" -passin pass:changeit -nocerts -nodes -out "$NGX/client.key" 2>>"$TMP/logs/openssl.log" \
  || die "openssl cannot convert bcss-signing-keystore.p12: $(cat "$TMP/logs/openssl.log")"
chmod 600 "$NGX/client.key"
proxy_nginx_conf "$NGX"
start_nginx "$NGX" "$TMP/logs/nginx.log"
NGINX_WORKERS=$(ps -o pid= --ppid "$NGINX_PID" | tr -d ' ' | paste -sd+)
[[ -n "$NGINX_WORKERS" ]] || die "nginx has no worker processes"
NGINX_VERSION=$(nginx -v 2>&1 | sed 's/^nginx version: //')
log "nginx up (pid $NGINX_PID, workers ${NGINX_WORKERS//+/ })"
code=$(curl -s -o "$TMP/nginx.json" -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $APP_PROXY_TOKEN" "$NGINX_URL" || true)
[[ "$code" == 200 ]] && grep -qF "$EXPECTED_BODY" "$TMP/nginx.json" \
  || die "nginx check: HTTP ${code:-none}: $(cat "$TMP/nginx.json" 2>/dev/null); $(tail -5 "$NGX/error.log" 2>/dev/null)"
log "all three paths answer 200: $(cat "$TMP/proxied.json")"

# ---------------------------------------------------------------- 4. the runs
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
# CPU of the processes, and of some of the proxy's threads (names as in /proc/PID/task/*/comm, cut at 15 characters).
WATCH="simulators=$SIM_PID,broker=$BROKER_PID,nginx=$NGINX_PID+$NGINX_WORKERS,proxy=$PROXY_PID"
WATCH="$WATCH,proxy_eventloops=$PROXY_PID:vert\.x-eventloo.*,proxy_workers=$PROXY_PID:executor-thread.*"
WATCH="$WATCH,proxy_jit=$PROXY_PID:C[12] CompilerThre.*,proxy_gc=$PROXY_PID:(GC Thread|G1 ).*"
FAILURES=()
if [[ -n "${FAILURES_EARLY:-}" ]]; then FAILURES+=("$FAILURES_EARLY"); fi
RUN_NAMES=()
declare -A FIG=()
FLAME_DIR=$(flame_graph_dir bcss-proxy)
FLAME_GRAPH=$FLAME_DIR/bcss-proxy-$(date -u +%Y-%m-%d).html

# upstream_connections PID...: established TCP connections of those processes to the gateway simulator's port
upstream_connections() {
  local listing pid n=0
  listing=$(ss -Htnp state established "( dport = :$GATEWAY_PORT )" 2>/dev/null || true)
  for pid in "$@"; do n=$(( n + $(grep -c "pid=$pid," <<<"$listing" || true) )); done
  echo "$n"
}

run_client() { # run_client NAME URL BEARER [TLS OPTIONS...]: figures into FIG[NAME.key]
  local name=$1 url=$2 bearer=$3 out="$TMP/$1.txt" rc=0 before after key value client
  shift 3
  before=$(gateway_requests)
  log "$name: $CONNECTIONS connections, ${WARMUP_S} s warm-up + ${MEASURE_S} s measured"
  timeout $(( WARMUP_S + MEASURE_S + 60 )) "${CLIENT[@]}" --url "$url" --bearer "$bearer" \
    --connections "$CONNECTIONS" --warmup "$WARMUP_S" --duration "$MEASURE_S" \
    --watch "$WATCH" --clk-tck "$CLK_TCK" "$@" >"$out" 2>&1 &
  client=$!
  # the relays' upstream connections in the middle of the measured phase (connection reuse: as many as connections)
  sleep $(( WARMUP_S + MEASURE_S / 2 ))
  FIG[$name.upstream_nginx]=$(upstream_connections ${NGINX_WORKERS//+/ })
  FIG[$name.upstream_proxy]=$(upstream_connections "$PROXY_PID")
  if [[ "$name" == proxy-profiled ]]; then
    wait "$client" || rc=$?
    profile_stop "$PROXY_PID" "$FLAME_GRAPH" || FAILURES+=("no flame graph written")
  else
    wait "$client" || rc=$?
  fi
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
  log "$name: ${FIG[$name.measured_rps]:-?} req/s, p50 ${FIG[$name.measured_p50_ms]:-?} ms, p99 ${FIG[$name.measured_p99_ms]:-?} ms, non-2xx ${FIG[$name.measured_non2xx]:-?}, proxy $(cpu_per_request "$name" proxy) µs/req ($(without_jit "$name") without JIT), nginx $(cpu_per_request "$name" nginx) µs/req"
  kill -0 "$PROXY_PID" 2>/dev/null || FAILURES+=("the proxy process died during $name")
  kill -0 "$NGINX_PID" 2>/dev/null || FAILURES+=("nginx died during $name")
  sleep "$PAUSE_S"
}

calc() { awk "BEGIN { printf \"$1\", $2 }"; } # calc FORMAT EXPRESSION
f() { printf '%s' "${FIG[$1]:-?}"; }
num() { [[ "${FIG[$1]:-}" =~ ^-?[0-9.]+$ ]]; }
# cpu_per_request RUN PROCESS: CPU microseconds the watched PROCESS used per request measured in RUN
cpu_per_request() {
  if num "$1.cpu_$2_cores" && num "$1.measured_rps" && awk -v r="${FIG[$1.measured_rps]}" 'BEGIN { exit !(r > 0) }'; then
    calc '%.0f' "${FIG[$1.cpu_$2_cores]} * 1000000 / ${FIG[$1.measured_rps]}"
  else
    printf '?'
  fi
}

without_jit() { # without_jit RUN: the proxy's CPU microseconds per request less its JIT compiler threads' (warm-up left-overs)
  if num "$1.cpu_proxy_cores" && num "$1.cpu_proxy_jit_cores" && num "$1.measured_rps" \
    && awk -v r="${FIG[$1.measured_rps]}" 'BEGIN { exit !(r > 0) }'; then
    calc '%.0f' "(${FIG[$1.cpu_proxy_cores]} - ${FIG[$1.cpu_proxy_jit_cores]}) * 1000000 / ${FIG[$1.measured_rps]}"
  else
    printf '?'
  fi
}

DIRECT_TLS=(--keystore "$PKI/bcss-signing-keystore.p12" --truststore "$PKI/server-truststore.p12" --password changeit)
for round in $(seq 1 "$ROUNDS"); do
  if [[ " $PATHS " == *" direct "* ]]; then run_client "direct-$round" "$DIRECT_URL" "$BCSS_TOKEN" "${DIRECT_TLS[@]}"; fi
  # nginx replaces the caller's Authorization header
  if [[ " $PATHS " == *" nginx "* ]]; then run_client "nginx-$round" "$NGINX_URL" "$APP_PROXY_TOKEN"; fi
  if [[ " $PATHS " == *" proxy "* ]]; then
    run_client "proxy-$round" "$PROXY_URL" "$APP_PROXY_TOKEN"
    FIG[proxy-$round.rss_kib]=$(rss_kib "$PROXY_PID")
  fi
done
PROXY_HWM_KIB=$(hwm_kib "$PROXY_PID")
if [[ "$PROFILE" == 1 ]]; then
  async_profiler_lib # here, so that the sampler below only has to attach
  ( sleep "$(( WARMUP_S ))"; profile_start "$PROXY_PID" ) &
  PROFILER_STARTER=$!
  run_client proxy-profiled "$PROXY_URL" "$APP_PROXY_TOKEN"
  wait "$PROFILER_STARTER" || true
fi
NGINX_LOG_LINES=$(wc -l <"$NGX/access.log" 2>/dev/null || echo 0)

# ---------------------------------------------------------------- 5. proxy-side figures and logs
PROXY_METRICS=$(curl -s --max-time 10 "$PROXY_MGMT/q/metrics" \
  | grep -E '^proxy_(requests_seconds_count|refused_total|retries_total|upstream_in_flight|breaker_state)' || true)
BROKER_METRICS=$(curl -s --max-time 10 "$BROKER_MGMT/q/metrics" | grep -E '^broker_token_requests_total' || true)
SIM_OAUTH_STATS=$(curl -s --max-time 10 "$ADMIN/admin/oauth/stats" || true)
PROXY_PROBLEMS=$(problem_lines "$PROXY_LOG")
BROKER_PROBLEMS=$(problem_lines "$BROKER_LOG")
SIM_PROBLEMS=$(problem_lines "$SIM_LOG")
PROXY_PROBLEM_COUNT=$(warn_count "$PROXY_LOG")
PROXY_AUDIT_LINES=$(grep -c '"loggerName":"audit"' "$PROXY_LOG" || true)
PROXY_AUDIT_SAMPLE=$(grep -m1 '"loggerName":"audit"' "$PROXY_LOG" || true)
NGINX_LOG_SAMPLE=$(tail -1 "$NGX/access.log" 2>/dev/null || true)
kill -0 "$PROXY_PID" 2>/dev/null || FAILURES+=("the proxy process died during the run")
[[ "${BENCH_QUIET_LOGS:-0}" == 1 || "${PROXY_AUDIT_LINES:-0}" -gt 0 ]] || FAILURES+=("the proxy wrote no audit line: not its production logging")

# ---------------------------------------------------------------- 6. report
# Noise: CPU the machine spent on processes other than the client, the simulators, the broker, nginx and the proxy.
foreign_cores() { # foreign_cores RUN
  if num "$1.cpu_machine_busy_cores" && num "$1.cpu_client_cores" && num "$1.cpu_simulators_cores" \
    && num "$1.cpu_broker_cores" && num "$1.cpu_proxy_cores" && num "$1.cpu_nginx_cores"; then
    calc '%.2f' "${FIG[$1.cpu_machine_busy_cores]} - ${FIG[$1.cpu_client_cores]} - ${FIG[$1.cpu_simulators_cores]} - ${FIG[$1.cpu_broker_cores]} - ${FIG[$1.cpu_proxy_cores]} - ${FIG[$1.cpu_nginx_cores]}"
  else
    printf '?'
  fi
}
NOISY=()
for run in "${RUN_NAMES[@]}"; do
  fc=$(foreign_cores "$run")
  if [[ "$fc" != "?" ]] && awk -v c="$fc" 'BEGIN { exit !(c > 0.15) }'; then NOISY+=("$run ($fc cores)"); fi
done

# per round: ratios and added latencies; means over the rounds for the goal
declare -A SUM=()
N_ROUNDS=0
for round in $(seq 1 "$ROUNDS"); do
  d=direct-$round; g=nginx-$round; p=proxy-$round
  if num "$d.measured_rps" && num "$g.measured_rps" && num "$p.measured_rps" && num "$d.measured_p99_ms" \
    && num "$g.measured_p99_ms" && num "$p.measured_p99_ms"; then
    FIG[$round.proxy_nginx]=$(calc '%.3f' "${FIG[$p.measured_rps]} / ${FIG[$g.measured_rps]}")
    FIG[$round.proxy_direct]=$(calc '%.3f' "${FIG[$p.measured_rps]} / ${FIG[$d.measured_rps]}")
    FIG[$round.nginx_direct]=$(calc '%.3f' "${FIG[$g.measured_rps]} / ${FIG[$d.measured_rps]}")
    for q in p50 p90 p99; do
      FIG[$round.proxy_$q]=$(calc '%.2f' "${FIG[$p.measured_${q}_ms]} - ${FIG[$d.measured_${q}_ms]}")
      FIG[$round.nginx_$q]=$(calc '%.2f' "${FIG[$g.measured_${q}_ms]} - ${FIG[$d.measured_${q}_ms]}")
    done
    for k in proxy_nginx proxy_direct nginx_direct proxy_p50 proxy_p90 proxy_p99 nginx_p50 nginx_p90 nginx_p99; do
      SUM[$k]=$(calc '%.6f' "${SUM[$k]:-0} + ${FIG[$round.$k]}")
    done
    N_ROUNDS=$(( N_ROUNDS + 1 ))
  fi
done
mean() { if [[ "$N_ROUNDS" -gt 0 ]]; then calc "$2" "${SUM[$1]} / $N_ROUNDS"; else printf '?'; fi; } # mean KEY FORMAT
goal() { # goal VALUE OP LIMIT: "met" or "not met"
  if [[ "$1" != "?" ]] && awk -v v="$1" -v l="$3" "BEGIN { exit !(v $2 l) }"; then printf 'met'; else printf '**not met**'; fi
}
GOAL_RATIO=$(goal "$(mean proxy_nginx '%.3f')" '>=' 1.0)
GOAL_P50=$(goal "$(mean proxy_p50 '%.2f')" '<=' 0.5)
GOAL_P99=$(goal "$(mean proxy_p99 '%.2f')" '<=' 3)

start_report bcss-proxy
{
  report_head bcss-proxy
  echo "| Proxy build | \`bcss-proxy/target/quarkus-app\` of $(date -u -r bcss-proxy/target/quarkus-app/quarkus-run.jar +%Y-%m-%dT%H:%M:%SZ); git $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(git status --porcelain -- bcss-proxy/src common/src 2>/dev/null | wc -l | tr -d ' ') uncommitted file(s) under bcss-proxy/src, common/src at run time |"
  echo "| Proxy JVM options | ${PROFILER_JVM_OPTS[*]} ${PROXY_JAVA_OPTS:-} (otherwise defaults) |"
  echo "| Logging | $(logging_setting) |"
  echo "| nginx | $NGINX_VERSION (Debian's), $(nproc) worker processes, access log on (to a file), config below |"
  echo "| Load generator | bench/HttpLoad.java on the same machine: $CONNECTIONS platform threads, one blocking HTTP/1.1 keep-alive connection each, closed loop |"
  echo
  echo "## Set-up"
  echo
  echo "- Request: \`GET $RESOURCE\` (answer: $(awk -v b="${FIG[direct-1.measured_body_bytes]:-0}" -v n="${FIG[direct-1.measured_requests]:-0}" 'BEGIN { if (n > 0) printf "%.0f", b / n; else printf "?" }') bytes of JSON), $CONNECTIONS connections,"
  echo "  ${WARMUP_S} s warm-up then ${MEASURE_S} s measured per run (same connections), $ROUNDS round(s) of direct, nginx, proxy."
  echo "- **direct**: \`$DIRECT_URL\`, mutual TLS with the BCSS client certificate (bcss-signing-keystore.p12),"
  echo "  host name verification on, \`Authorization: Bearer <BCSS access token from the broker>\`."
  echo "- **nginx** (the anchor): \`$NGINX_URL\`, plain HTTP; nginx calls the same gateway simulator over mutual TLS"
  echo "  with the same client certificate (converted to PEM with openssl), verifies the server certificate and its name"
  echo "  (\`proxy_ssl_verify on\`, \`proxy_ssl_name localhost\`), sets \`Authorization: Bearer <BCSS access token>\` and"
  echo "  \`BelGov-Trace-Id: \$request_id\`, keeps a pool of up to $CONNECTIONS upstream connections (\`keepalive\`, HTTP/1.1,"
  echo "  TLS session reuse) and writes one access-log line per call to a file. It checks no caller token (the proxy does)."
  echo "- **proxy**: \`$PROXY_URL\`, plain HTTP, \`Authorization: Bearer <caller JWT, audience bcss-proxy>\`. The proxy"
  echo "  checks the JWT, gets the BCSS token from its local copy (the broker is asked once), calls the same gateway"
  echo "  simulator over mutual TLS and relays the answer; production settings: the audit line of every call"
  echo "  (JSON log lines at INFO, to a file), metrics, host name verification. Settings that differ from"
  echo "  local/bcss-proxy.properties: bench ports, \`proxy.apis.demo.max-concurrent=$PROXY_MAX_CONCURRENT\`."
  echo "- Everything (client, gateway simulator, OAuth simulator, broker, nginx, proxy) runs on the same $(nproc) CPUs, so"
  echo "  a relay's path also pays for the CPU the relay takes from the gateway and the client. Compare only runs on the same machine."
  echo
  echo "## Figures"
  echo
  echo "| Run | Requests/s | p50 | p90 | p99 | max | Requests (measured) | Non-2xx / I/O errors (all phases) | Gateway requests counted | Upstream connections (mid-run) |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for run in "${RUN_NAMES[@]}"; do
    bad="$(( ${FIG[$run.warmup_non2xx]:-0} + ${FIG[$run.measured_non2xx]:-0} + ${FIG[$run.tail_non2xx]:-0} )) / $(( ${FIG[$run.warmup_errors]:-0} + ${FIG[$run.measured_errors]:-0} + ${FIG[$run.tail_errors]:-0} ))"
    total=$(( ${FIG[$run.warmup_requests]:-0} + ${FIG[$run.measured_requests]:-0} + ${FIG[$run.tail_requests]:-0} ))
    case "$run" in nginx-*) up=$(f "$run.upstream_nginx") ;; proxy-*) up=$(f "$run.upstream_proxy") ;; *) up=- ;; esac
    echo "| $run | **$(f "$run.measured_rps")** | **$(f "$run.measured_p50_ms") ms** | $(f "$run.measured_p90_ms") ms | **$(f "$run.measured_p99_ms") ms** | $(f "$run.measured_max_ms") ms | $(f "$run.measured_requests") | $bad | $(f "$run.gateway") (client read $total answers) | $up |"
  done
  if [[ "$PROFILE" == 1 ]]; then
    echo
    echo "proxy-profiled: an extra proxy run with async-profiler sampling the proxy (flame graph below); not in the ratios."
  fi
  echo
  echo "| Round | Throughput proxy / nginx | proxy / direct | nginx / direct | Added latency proxy p50 / p90 / p99 | Added latency nginx p50 / p90 / p99 |"
  echo "|---|---|---|---|---|---|"
  for round in $(seq 1 "$ROUNDS"); do
    echo "| $round | **$(f "$round.proxy_nginx")** | $(f "$round.proxy_direct") | $(f "$round.nginx_direct") | **$(f "$round.proxy_p50") ms** / $(f "$round.proxy_p90") ms / **$(f "$round.proxy_p99") ms** | $(f "$round.nginx_p50") ms / $(f "$round.nginx_p90") ms / $(f "$round.nginx_p99") ms |"
  done
  echo "| mean of $N_ROUNDS | **$(mean proxy_nginx '%.3f')** | $(mean proxy_direct '%.3f') | $(mean nginx_direct '%.3f') | **$(mean proxy_p50 '%.2f') ms** / $(mean proxy_p90 '%.2f') ms / **$(mean proxy_p99 '%.2f') ms** | $(mean nginx_p50 '%.2f') ms / $(mean nginx_p90 '%.2f') ms / $(mean nginx_p99 '%.2f') ms |"
  echo
  echo "Added latency = the relay's percentile minus direct's in the same round (client-side, closed loop)."
  echo
  echo "| Goal, on the mean of the rounds | Value | |"
  echo "|---|---|---|"
  echo "| Throughput proxy / nginx ≥ 1.0 | $(mean proxy_nginx '%.3f') | $GOAL_RATIO |"
  echo "| Added latency p50 ≤ 0.5 ms | $(mean proxy_p50 '%.2f') ms | $GOAL_P50 |"
  echo "| Added latency p99 ≤ 3 ms | $(mean proxy_p99 '%.2f') ms | $GOAL_P99 |"
  echo
  echo "## CPU during the measured ${MEASURE_S} s (in cores: CPU seconds per second; the machine has $(nproc))"
  echo
  echo "| Run | Machine busy | Client | Gateway + OAuth simulators | Broker | nginx (master + workers) | Proxy (event loops / worker threads / JIT / GC) | Other processes | Relay CPU µs per request (proxy: all threads (without the JIT compiler threads)) | Gateway simulator CPU µs per request |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for run in "${RUN_NAMES[@]}"; do
    case "$run" in
      nginx-*) per="nginx $(cpu_per_request "$run" nginx)" ;;
      proxy-*) per="proxy $(cpu_per_request "$run" proxy) ($(without_jit "$run"))" ;;
      *) per=- ;;
    esac
    echo "| $run | $(f "$run.cpu_machine_busy_cores") | $(f "$run.cpu_client_cores") | $(f "$run.cpu_simulators_cores") | $(f "$run.cpu_broker_cores") | $(f "$run.cpu_nginx_cores") | $(f "$run.cpu_proxy_cores") ($(f "$run.cpu_proxy_eventloops_cores") / $(f "$run.cpu_proxy_workers_cores") / $(f "$run.cpu_proxy_jit_cores") / $(f "$run.cpu_proxy_gc_cores")) | $(foreign_cores "$run") | **$per** | $(cpu_per_request "$run" simulators) |"
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
  echo "measured request. The gateway simulator counts requests on arrival; its count for a relay run equals the"
  echo "client's when the relay made exactly one upstream call per call (no retries). Upstream connections: the relay's"
  echo "established TCP connections to the gateway in the middle of the measured phase (\`ss\`)."
  echo "BCSS access token lifetime: ${BCSS_TOKEN_TTL:-?} s, longer than the run, so no token is fetched during the measurements."
  echo
  echo "## Flame graph"
  echo
  if [[ "$PROFILE" == 1 && -s "$FLAME_GRAPH" ]]; then
    echo "- [proxy CPU, run proxy-profiled](flame-graphs/bcss-proxy/$(basename "$FLAME_GRAPH")) (async-profiler $ASYNC_PROFILER_VERSION,"
    echo "  event cpu, 1 ms, the measured phase only; JVM with ${PROFILER_JVM_OPTS[*]})."
  else
    echo "None (BENCH_PROFILE=0, or the profiler failed)."
  fi
  echo "- Earlier graphs of this service, before and after the performance work of 2026-11-29: [flame-graphs/bcss-proxy/](flame-graphs/bcss-proxy/)"
  echo "  (see bcss-proxy/README.md, Performance)."
  echo
  echo "## Logs"
  echo
  echo "Proxy audit lines written: ${PROXY_AUDIT_LINES:-0}; nginx access-log lines: ${NGINX_LOG_LINES:-0}. One of each:"
  echo '```'
  echo "${PROXY_AUDIT_SAMPLE:-(none)}"
  echo "${NGINX_LOG_SAMPLE:-(none)}"
  echo '```'
  echo
  echo "| Proxy figure | Value |"
  echo "|---|---|"
  echo "| Start time (Quarkus \"started in\") / launch to ready (measured by the script) | ${PROXY_START_S:-?} s / $PROXY_READY_S s |"
  echo "| RSS idle (after start-up, before any call) | $(mib "$PROXY_IDLE_RSS_KIB") MiB |"
  for round in $(seq 1 "$ROUNDS"); do
    echo "| RSS after round $round | $(mib "${FIG[proxy-$round.rss_kib]:-0}") MiB |"
  done
  echo "| Peak RSS (VmHWM) after the rounds | $(mib "$PROXY_HWM_KIB") MiB |"
  echo "| Proxy log lines at WARN or above | ${PROXY_PROBLEM_COUNT:-0} |"
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
  echo "nginx error log:"
  echo '```'
  if [[ -s "$NGX/error.log" ]]; then tail -20 "$NGX/error.log"; else echo "(empty)"; fi
  echo '```'
  echo
  echo "## nginx configuration (the BCSS token replaced by <token>)"
  echo
  echo '```nginx'
  sed "s|$BCSS_TOKEN|<token>|" "$NGX/nginx.conf"
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
