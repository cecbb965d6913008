#!/usr/bin/env bash
# Benchmark of token-broker on 127.0.0.1 next to nginx, against the simulators (fake Smals OAuth server, fake cluster
# token issuer): 64 concurrent callers (wrk, 2 threads, plain HTTP/1.1 keep-alive, as bcss-proxy calls the broker)
# POST {"scopes":[...]} for a cached token, to the broker (caller JWT checked on every call, JSON logs at INFO,
# metrics) and to Debian's nginx serving the broker's exact answer as a static file (access log on, one worker per
# CPU), in the same run. Then a cold burst of 200 concurrent callers for a new scope set (upstream token requests it
# causes: expected 1), the broker's RSS and start time.
#   bench/token-broker-bench.sh              build (./mvnw -B -q -pl simulators,token-broker -am package -DskipTests)
#   bench/token-broker-bench.sh --no-build   benchmark what was built before
# Broker: warm-up rounds of BENCH_WARMUP (10s), every one reported (the first shows the cold JVM), until one where
# the JIT compiler threads took at most 5 % of its CPU (at least 2, at most BENCH_WARMUP_MAX_ROUNDS = 12), then the
# measured round of BENCH_DURATION (20s); nginx: one warm-up round, then its measured round. Then,
# unless BENCH_PROFILE=0, an extra BENCH_PROFILE (15s) round with async-profiler in the broker: flame graph
# bench/reports/flame-graphs/token-broker/BENCH_FLAME_NAME.html (default cached-token-<UTC date>).
# Reports req/s, p50/p90/p99/max, server CPU per request, the ratio broker/nginx and the goal (>= 0.5x nginx, p99 <=
# 5 ms; a missed goal is reported, not a failure). Writes bench/reports/token-broker-<UTC date>.md and -latest.md,
# then prints the report. Exits non-zero when a step fails or a result is invalid (a non-200 answer, a body of another
# length, a socket error, the cold burst not served by 1 upstream request). About 3 to 5 minutes without the build;
# bounded by BENCH_TIME_LIMIT_S (600).
# Other settings: BENCH_CONNECTIONS (64), BENCH_THREADS (2), BENCH_BROKER_JAVA_OPTS (none); ports BENCH_OAUTH_PORT,
# BENCH_ISSUER_PORT, BENCH_ADMIN_PORT, BENCH_HTTP_PORT, BENCH_MGMT_PORT, BENCH_NGINX_PORT (18443, 18444, 18099,
# 18081, 19001, 18080); BENCH_QUIET_LOGS=1 (broker logs plain at WARN, for a comparison figure only);
# BENCH_KEEP_TMP=1 keeps the temp dir (logs).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"

bench_build_args "$@"

OAUTH_PORT=${BENCH_OAUTH_PORT:-18443}
ISSUER_PORT=${BENCH_ISSUER_PORT:-18444}
ADMIN_PORT=${BENCH_ADMIN_PORT:-18099}
HTTP_PORT=${BENCH_HTTP_PORT:-18081}
MGMT_PORT=${BENCH_MGMT_PORT:-19001}
NGINX_PORT=${BENCH_NGINX_PORT:-18080}
WARMUP=${BENCH_WARMUP:-10s}
WARMUP_MAX_ROUNDS=${BENCH_WARMUP_MAX_ROUNDS:-12}
WARMUP_JIT_PERCENT=5
DURATION=${BENCH_DURATION:-20s}
PROFILE=${BENCH_PROFILE:-15s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
read -r -a BROKER_JAVA_OPTS <<<"${BENCH_BROKER_JAVA_OPTS:-}"
TIME_LIMIT_S=${BENCH_TIME_LIMIT_S:-600}
DAY=$(date -u +%Y-%m-%d)
FLAME_NAME=${BENCH_FLAME_NAME:-cached-token-$DAY}

GOAL_RATIO=0.5
GOAL_P99_MS=5
BURST_N=200
BURST_LATENCY_MS=300
CONSULT_BODY='{"scopes":["scope:cbss:api:demo:consult"]}'
BURST_BODY='{"scopes":["scope:cbss:api:demo:update"]}'
CALLER_SUBJECT=system:serviceaccount:local:demo-app

ADMIN=http://127.0.0.1:$ADMIN_PORT
BROKER=http://127.0.0.1:$HTTP_PORT
MGMT=http://127.0.0.1:$MGMT_PORT
NGINX=http://127.0.0.1:$NGINX_PORT
TOKENS_PATH=/v1/tokens

upstream_token_requests() { simulator_counter oauth tokenRequests; }

# ---------------------------------------------------------------- preconditions
for d in "$WARMUP" "$DURATION"; do [[ "$d" =~ ^[1-9][0-9]*s$ ]] || die "BENCH_WARMUP and BENCH_DURATION are seconds, e.g. 20s"; done
[[ "$PROFILE" =~ ^(0|[1-9][0-9]*s)$ ]] || die "BENCH_PROFILE is seconds (e.g. 15s) or 0"
[[ "$WARMUP_MAX_ROUNDS" =~ ^[1-9][0-9]?$ ]] || die "BENCH_WARMUP_MAX_ROUNDS is a number from 1 to 99"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ && "$THREADS" =~ ^[1-9][0-9]*$ && "$THREADS" -le "$CONNECTIONS" ]] \
  || die "BENCH_CONNECTIONS and BENCH_THREADS are numbers, threads <= connections"
# The answer's expires_in counts down from the simulator's 600 s: below 100 the body is a byte shorter.
[[ $(( ${WARMUP%s} * (WARMUP_MAX_ROUNDS + 1) + ${DURATION%s} * 2 + ${PROFILE%s} )) -le 420 ]] \
  || die "the wrk rounds would take more than 420 s; the token's expires_in (600 s) would drop below 100 s, changing the answer's length"
[[ "$FLAME_NAME" =~ ^[A-Za-z0-9._-]+$ ]] || die "BENCH_FLAME_NAME is a file name without .html (letters, digits, . _ -)"
require_commands java curl cmp jcmd unzip
require_apt_command wrk wrk
require_apt_command nginx nginx
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
require_free_ports "$OAUTH_PORT" "$ISSUER_PORT" "$ADMIN_PORT" "$HTTP_PORT" "$MGMT_PORT" "$NGINX_PORT"

# ---------------------------------------------------------------- 1. build and copy the artifacts
if [[ "$BUILD" == 1 ]]; then
  log "building: ./mvnw -B -q -pl simulators,token-broker -am package -DskipTests"
  ./mvnw -B -q -pl simulators,token-broker -am package -DskipTests || die "build failed"
fi
[[ -f token-broker/target/quarkus-app/quarkus-run.jar ]] || die "token-broker/target/quarkus-app/quarkus-run.jar missing; build first"
[[ -f simulators/target/simulators.jar && -d simulators/target/lib ]] || die "simulators/target/simulators.jar or lib/ missing; build first"
BROKER_JAR_TIME=$(date -u -r token-broker/target/quarkus-app/quarkus-run.jar +%Y-%m-%dT%H:%M:%SZ)
GIT_HEAD=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
GIT_DIRTY=$(git status --porcelain -- token-broker/src common/src 2>/dev/null | wc -l | tr -d ' ')

stage_simulators token-broker-bench
cp -a token-broker/target/quarkus-app "$TMP/quarkus-app"
log "artifacts copied to $TMP"

SIM_LOG=$TMP/logs/simulators.log
BROKER_LOG=$TMP/logs/token-broker.log
STARTUP_LOG=$TMP/logs/token-broker-startup.log
BROKER_PROPS=$TMP/token-broker.properties
PKI=$TMP/pki
NGX=$TMP/nginx

# ---------------------------------------------------------------- 2. simulators and broker
start_simulators
log "simulators up (pid $SIM_PID)"

write_broker_properties "$BROKER_PROPS" "$HTTP_PORT" "$MGMT_PORT" "$STARTUP_LOG"
# PROFILER_JVM_OPTS (-XX:+DebugNonSafepoints) for accurate flame graphs; -Dvertx.disableURIValidation=true as in the
# Helm chart.
start_quarkus "$TMP/quarkus-app" "$BROKER_PROPS" "$BROKER_LOG" "${PROFILER_JVM_OPTS[@]}" \
  -Dvertx.disableURIValidation=true "${BROKER_JAVA_OPTS[@]}"
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

# ---------------------------------------------------------------- 3. caller token, the broker's answer, nginx
CALLER_TOKEN=$(mint_caller_token "$CALLER_SUBJECT" token-broker 3600)
mkdir -p "$NGX/html"
post_token() { # post_token URL BODY_FILE HEADERS_FILE: the cached-token request; dies unless 200
  local code
  code=$(curl -s -o "$2" -D "$3" -w '%{http_code}' --max-time 30 -X POST "$1" -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $CALLER_TOKEN" -d "$CONSULT_BODY" || true)
  [[ "$code" == 200 ]] || die "POST $1 answered ${code:-nothing}: $(head -c 300 "$2" 2>/dev/null)"
}
post_token "$BROKER$TOKENS_PATH" "$NGX/html/token.json" "$TMP/broker.headers" # also fills the cache
grep -q '"access_token":"' "$NGX/html/token.json" || die "the broker's answer has no access_token: $(head -c 300 "$NGX/html/token.json")"
ANSWER_BYTES=$(wc -c <"$NGX/html/token.json")

# broker_nginx_conf DIR PORT: DIR/nginx.conf for Debian's nginx answering POST /v1/tokens with the static file
# DIR/html/token.json on 127.0.0.1:PORT: one worker per CPU, access log on (the default combined format, to
# DIR/access.log), keep-alive without a cap on requests per connection. The static module refuses POST (405);
# error_page turns that into a GET of the file (an internal redirect: a little more work than a plain GET).
broker_nginx_conf() {
  local dir=$1 port=$2 user_line=""
  mkdir -p "$dir/html" "$dir/temp"
  if [[ $EUID == 0 ]]; then user_line="user $(id -un) $(id -gn);"; fi # as root, workers would run as nobody
  cat >"$dir/nginx.conf" <<EON
$user_line
worker_processes $(nproc);
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log $dir/access.log combined;
    default_type application/json;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65s;
    keepalive_requests 1000000;
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    server {
        listen 127.0.0.1:$port;
        root $dir/html;
        location = $TOKENS_PATH { try_files /token.json =404; error_page 405 =200 /token.json; }
        location = /token.json { internal; }
        location / { return 404; }
    }
}
EON
}
broker_nginx_conf "$NGX" "$NGINX_PORT"
start_nginx "$NGX" "$TMP/logs/nginx.log"
log "nginx up (pid $NGINX_PID, $(nproc) workers, access log on); answer $ANSWER_BYTES bytes"

FAILURES=()
post_token "$NGINX$TOKENS_PATH" "$TMP/nginx-answer.json" "$TMP/nginx.headers"
cmp -s "$NGX/html/token.json" "$TMP/nginx-answer.json" || FAILURES+=("nginx's answer differs from the broker's")

# ---------------------------------------------------------------- 4. wrk rounds
# The same requests to both servers (nginx ignores the Authorization header and the body).
export BENCH_CALLER_TOKEN=$CALLER_TOKEN BENCH_POST_BODY=$CONSULT_BODY BENCH_EXPECT_BYTES=$ANSWER_BYTES
declare -A CPU=()
# jit_ticks PID: CPU ticks of the JVM's JIT compiler threads (named "C1 CompilerThre…", "C2 CompilerThre…"), 0 if none.
jit_ticks() {
  local f sum=0
  for f in /proc/"$1"/task/*/stat; do
    sum=$(( sum + $(awk '$2 ~ /^\(C[12]$/ && $3 == "CompilerThre)" { print $15 + $16; exit } { print 0; exit }' "$f" 2>/dev/null || echo 0) ))
  done
  echo "$sum"
}
round() { # round NAME URL DURATION SERVER_PID: one wrk round with the CPU figures of it (wrk_figures, CPU[NAME.*])
  local name=$1 url=$2 d=$3 pid=$4 out=$TMP/wrk-$1.txt m0 m1 s0 s1 w0 w1 j0 j1
  [[ $(remaining_s) -gt $(( ${d%s} + 30 )) ]] || die "time limit of $TIME_LIMIT_S s reached (before $name)"
  log "$name: $d, $CONNECTIONS connections, POST $url"
  m0=$(machine_ticks); s0=$(tree_ticks "$pid"); j0=$(jit_ticks "$pid"); children_ticks; w0=$CHILDREN_TICKS
  timeout $(( ${d%s} + 60 )) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$d" --timeout 5s --latency \
    -s "$BENCH_DIR/bearer-get.lua" "$url" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed ($name)"; }
  m1=$(machine_ticks); s1=$(tree_ticks "$pid"); j1=$(jit_ticks "$pid"); children_ticks; w1=$CHILDREN_TICKS
  wrk_figures "$name" "$out"
  wrk_check "$name" "$name round"
  CPU[$name.server]=$(( s1 - s0 ))
  CPU[$name.jit]=$(( j1 - j0 ))
  CPU[$name.wrk]=$(( w1 - w0 ))
  CPU[$name.busy]=$(( ${m1% *} - ${m0% *} ))
  CPU[$name.other]=$(( CPU[$name.busy] - CPU[$name.server] - CPU[$name.wrk] ))
  log "$name: $(r "$name.rps") req/s, p50 $(r "$name.p50"), p99 $(r "$name.p99"), server CPU $(us_per_request "$name") µs/request ($(percent "${CPU[$name.jit]}" "${CPU[$name.server]}") % JIT compiler)"
}
us_per_request() { # us_per_request NAME: the server's CPU per request of a round, in µs
  awk -v t="${CPU[$1.server]:-0}" -v n="${R[$1.requests]:-0}" -v hz="$(clk_tck)" \
    'BEGIN { if (n > 0) printf "%.0f", t / hz / n * 1e6; else print "?" }'
}
to_ms() { # to_ms WRK_DURATION: 850.00us, 5.23ms, 1.02s, 2.00m in milliseconds
  awk -v v="${1:-}" 'BEGIN {
    if (v == "" || v == "?") { print "?"; exit }
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1
    if (f < 0) print "?"; else printf "%.2f", n * f }'
}

# Warm-up until the JIT has done its work: rounds until one where the compiler threads took at most
# WARMUP_JIT_PERCENT of the broker's CPU (at least 2 rounds, at most WARMUP_MAX_ROUNDS).
jit_percent() { percent "${CPU[$1.jit]:-0}" "${CPU[$1.server]:-0}"; }
BROKER_ROUNDS=()
for i in $(seq 1 "$WARMUP_MAX_ROUNDS"); do
  round "broker-warmup-$i" "$BROKER$TOKENS_PATH" "$WARMUP" "$BROKER_PID"
  BROKER_ROUNDS+=("broker-warmup-$i")
  if [[ $i -ge 2 ]] && awk -v j="$(jit_percent "broker-warmup-$i")" -v m="$WARMUP_JIT_PERCENT" 'BEGIN { exit !(j != "?" && j + 0 <= m) }'; then
    break
  fi
done
WARMED=${#BROKER_ROUNDS[@]}
round broker "$BROKER$TOKENS_PATH" "$DURATION" "$BROKER_PID"
RSS_AFTER_WRK_KIB=$(rss_kib "$BROKER_PID")
round nginx-warmup "$NGINX$TOKENS_PATH" "$WARMUP" "$NGINX_PID"
round nginx "$NGINX$TOKENS_PATH" "$DURATION" "$NGINX_PID"
post_token "$NGINX$TOKENS_PATH" "$TMP/nginx-answer.after.json" "$TMP/nginx.headers.after"
cmp -s "$NGX/html/token.json" "$TMP/nginx-answer.after.json" || FAILURES+=("nginx's answer changed during the run")
NGINX_LOG_LINES=$(wc -l <"$NGX/access.log" | tr -d ' ')

# ---------------------------------------------------------------- 5. flame graph (extra round, profiler on)
FLAME_FILE=""
PROFILE_NOTE=""
if [[ "$PROFILE" != 0 ]]; then
  FLAME_FILE=$(flame_graph_dir token-broker)/$FLAME_NAME.html
  if profile_start "$BROKER_PID" cpu || profile_start "$BROKER_PID" itimer; then
    round broker-profiled "$BROKER$TOKENS_PATH" "$PROFILE" "$BROKER_PID"
    profile_stop "$BROKER_PID" "$FLAME_FILE" || { PROFILE_NOTE="the profiler wrote no flame graph"; FLAME_FILE=""; }
  else
    PROFILE_NOTE="the profiler did not start (see the log)"
    FLAME_FILE=""
  fi
fi

# ---------------------------------------------------------------- 6. cold burst
log "cold burst: $BURST_N concurrent callers, new scope set, ${BURST_LATENCY_MS} ms upstream latency"
curl -sf --max-time 10 -X PUT "$ADMIN/admin/oauth/faults" -H 'Content-Type: application/json' \
  -d "{\"latencyMs\":$BURST_LATENCY_MS}" >/dev/null || die "cannot set the simulator latency"
UPSTREAM_BEFORE=$(upstream_token_requests)
burst_rc=0
timeout 120 java "$BENCH_DIR/ColdBurst.java" "$BROKER$TOKENS_PATH" "$CALLER_TOKEN" "$BURST_N" "$BURST_BODY" \
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

# ---------------------------------------------------------------- 7. broker-side figures, verdict
METRICS=$(metric_lines "$MGMT" 'broker_token_requests_total|broker_token_cache_entries|http_server_requests_seconds_(count|sum|max)')
SIM_STATS=$(curl -s --max-time 10 "$ADMIN/admin/oauth/stats" || true)
PROBLEM_COUNT=$(warn_count "$BROKER_LOG")
kill -0 "$BROKER_PID" 2>/dev/null || FAILURES+=("the broker process died during the run")
kill -0 "$NGINX_PID" 2>/dev/null || FAILURES+=("nginx died during the run")
QUARKUS_VERSION=$(sed -n 's/.*(powered by Quarkus \([^)]*\)).*/\1/p' "$STARTUP_LOG" "$BROKER_LOG" 2>/dev/null | head -1)
RATIO=$(awk -v a="${R[broker.rps]:-0}" -v b="${R[nginx.rps]:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "?" }')
BROKER_P99_MS=$(to_ms "${R[broker.p99]:-}")
NGINX_P99_MS=$(to_ms "${R[nginx.p99]:-}")
RATIO_MET=no
P99_MET=no
awk -v x="$RATIO" -v g="$GOAL_RATIO" 'BEGIN { exit !(x + 0 >= g) }' && RATIO_MET=yes
awk -v x="$BROKER_P99_MS" -v g="$GOAL_P99_MS" 'BEGIN { exit !(x != "?" && x + 0 <= g) }' && P99_MET=yes
if [[ "$RATIO_MET" == yes && "$P99_MET" == yes ]]; then GOAL="**met**"; else GOAL="**not met**"; fi

# ---------------------------------------------------------------- 8. report
start_report token-broker
WRK_VERSION=$(wrk -v 2>&1 | awk 'NR == 1 {print $1, $2}' || true) # wrk -v exits 1
NGINX_VERSION=$(nginx -v 2>&1 | sed 's/^nginx version: //')
row() { # row NAME LABEL
  echo "| $2 | **$(r "$1.rps")** | $(r "$1.p50") | $(r "$1.p90") | **$(r "$1.p99")** | $(r "$1.max") | $(r "$1.requests") | $(r "$1.non200") / $(r "$1.wrong_length") / $(r "$1.socket_errors") | **$(us_per_request "$1") µs** | $(jit_percent "$1") % | $(cores "${CPU[$1.server]:-0}" "${R[$1.seconds]:-0}") / $(cores "${CPU[$1.wrk]:-0}" "${R[$1.seconds]:-0}") / $(cores "${CPU[$1.other]:-0}" "${R[$1.seconds]:-0}") |"
}
{
  report_head token-broker
  echo "| Broker build | \`token-broker/target/quarkus-app\` of $BROKER_JAR_TIME; git $GIT_HEAD, $GIT_DIRTY uncommitted file(s) under token-broker/src, common/src at run time |"
  echo "| Quarkus | ${QUARKUS_VERSION:-?} |"
  echo "| Broker JVM options | ${PROFILER_JVM_OPTS[*]} -Dvertx.disableURIValidation=true ${BENCH_BROKER_JAVA_OPTS:-} (otherwise defaults) |"
  echo "| Broker logging | $(logging_setting) |"
  echo "| nginx | $NGINX_VERSION (Debian's), $(nproc) worker processes, access log on, config below |"
  echo "| Load generator | $WRK_VERSION, $THREADS threads, $CONNECTIONS keep-alive connections, \`bench/bearer-get.lua\` |"
  echo "| Load average before / after | $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo
  echo "## Result"
  echo
  echo "| | broker | nginx | goal |"
  echo "|---|---|---|---|"
  echo "| req/s (measured rounds, $DURATION) | **$(r broker.rps)** | $(r nginx.rps) | ratio **$RATIO** ≥ $GOAL_RATIO: $RATIO_MET |"
  echo "| p99 | **$BROKER_P99_MS ms** | $NGINX_P99_MS ms | ≤ $GOAL_P99_MS ms: $P99_MET |"
  echo
  echo "Goal (≥ ${GOAL_RATIO}× nginx and p99 ≤ $GOAL_P99_MS ms): $GOAL."
  echo
  echo "## Set-up"
  echo
  echo "- The simulators (one JVM): the fake Smals OAuth server and the caller-token issuer."
  echo "- The packaged broker, configured like \`local/token-broker.properties\`, on http://127.0.0.1:$HTTP_PORT, with the"
  echo "  production settings: JSON log lines at INFO, metrics, **the caller's JWT checked on every call** (RS256"
  echo "  signature, issuer, audience, expiry; a token accepted before may be remembered until its exp, see the README)."
  echo "- One caller token (audience \`token-broker\`, subject \`$CALLER_SUBJECT\`) for every request;"
  echo "  \`POST $TOKENS_PATH\` with \`$CONSULT_BODY\`: the cache is filled by one request before the rounds."
  echo "- nginx answers the same POST with the broker's exact answer ($ANSWER_BYTES bytes) as a static file, on"
  echo "  127.0.0.1:$NGINX_PORT, with its access log on ($NGINX_LOG_LINES lines written). It checks nothing."
  echo "- Both over plain HTTP/1.1 keep-alive on 127.0.0.1 — what bcss-proxy uses to call the broker in the cluster"
  echo "  (\`proxy.broker.url=http://token-broker:8081\`)."
  echo "- Rounds, in this order: broker warm-up $WARMED × $WARMUP (until a round where the JIT compiler threads took at most"
  echo "  $WARMUP_JIT_PERCENT % of the broker's CPU, at least 2, at most $WARMUP_MAX_ROUNDS), broker measured $DURATION, nginx warm-up $WARMUP, nginx"
  echo "  measured $DURATION$([[ "$PROFILE" != 0 ]] && echo ", then a broker round of $PROFILE with the profiler on (not measured)")."
  echo "  \`wrk -t$THREADS -c$CONNECTIONS -d<duration> --timeout 5s --latency\`. Every answer must be 200 with a body of $ANSWER_BYTES bytes."
  echo "- **wrk, the broker and nginx share the $(nproc) CPUs** (and the idle simulators): the figures are those of one busy"
  echo "  machine, not of separate hosts. Server CPU per request (from /proc) is the figure that changes least with load."
  echo
  echo "## Rounds"
  echo
  echo "| Round | req/s | p50 | p90 | p99 | max | requests | non-200 / wrong length / socket errors | server CPU per request | of it JIT compiler threads | server / wrk / other (cores) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for name in "${BROKER_ROUNDS[@]}"; do row "$name" "broker, warm-up ${name##*-} ($WARMUP)"; done
  row broker "**broker, measured** ($DURATION)"
  row nginx-warmup "nginx, warm-up ($WARMUP)"
  row nginx "**nginx, measured** ($DURATION)"
  if [[ -n "${R[broker-profiled.rps]:-}" ]]; then row broker-profiled "broker, profiler on ($PROFILE)"; fi
  echo
  echo "The first warm-up round starts on a cold JVM: the code runs interpreted or C1-compiled while the JIT compiler"
  echo "threads (C1, C2; their CPU from /proc/PID/task) compile it, on the same $(nproc) CPUs. nginx has no JIT (0 %)."
  echo "\"other\" = the machine's busy time less the server and wrk (the idle simulators, anything else on the machine)."
  if awk -v j="$(jit_percent broker)" -v m="$WARMUP_JIT_PERCENT" 'BEGIN { exit !(j + 0 > m) }'; then
    echo
    echo "**Note:** the JIT compiler threads still took more than $WARMUP_JIT_PERCENT % of the broker's CPU in its measured round: the"
    echo "warm-up was too short for this machine to reach the steady state (raise BENCH_WARMUP_MAX_ROUNDS or BENCH_WARMUP)."
  fi
  echo
  echo "## Flame graph"
  echo
  if [[ -n "$FLAME_FILE" ]]; then
    echo "async-profiler (cpu), broker, the round with the profiler on: [flame-graphs/token-broker/$FLAME_NAME.html](flame-graphs/token-broker/$FLAME_NAME.html)"
  else
    echo "None: ${PROFILE_NOTE:-BENCH_PROFILE=0}."
  fi
  echo
  echo "## Cold burst and footprint"
  echo
  echo "| Figure | Value |"
  echo "|---|---|"
  echo "| Cold burst: concurrent callers (new scope set, ${BURST_LATENCY_MS} ms upstream latency) | $BURST_N |"
  echo "| Cold burst: **upstream token requests caused** (expected 1) | **$BURST_UPSTREAM** |"
  echo "| Cold burst: 200 answers / other statuses / client errors | ${BURST_OK:-?} / ${BURST_OTHER:-?} / ${BURST_ERRORS:-?} (statuses ${BURST_STATUSES:-?}) |"
  echo "| Cold burst: distinct access tokens handed out | ${BURST_TOKENS:-?} |"
  echo "| Cold burst: wall time / p50 latency / max latency | ${BURST_WALL:-?} ms / ${BURST_P50:-?} ms / ${BURST_MAX:-?} ms |"
  echo "| Broker start time (Quarkus \"started in\") | ${START_S:-?} s |"
  echo "| Broker launch to ready (/q/health/ready 200, as measured by the script) | $READY_WALL_S s |"
  echo "| Broker RSS idle / after the wrk rounds / end / peak (VmHWM) | $(mib "$IDLE_RSS_KIB") / $(mib "$RSS_AFTER_WRK_KIB") / $(mib "$RSS_AFTER_KIB") / $(mib "$HWM_KIB") MiB |"
  echo "| Broker log lines at WARN or above | ${PROBLEM_COUNT:-0} |"
  echo
  echo "## Broker and simulator counters at the end"
  echo
  echo '```'
  echo "${METRICS:-(no metrics found)}"
  echo "simulator /admin/oauth/stats: $SIM_STATS"
  echo '```'
  echo
  echo "Answer headers (the bodies are identical, checked with cmp before and after the rounds):"
  echo
  echo '```'
  echo "broker:"; tr -d '\r' <"$TMP/broker.headers"
  echo "nginx:"; tr -d '\r' <"$TMP/nginx.headers"
  echo '```'
  echo
  logs_section "$BROKER_LOG" "$NGX/error.log"
  echo
  echo "## nginx.conf"
  echo
  echo '```'
  sed "s|$TMP|\$TMP|g" "$NGX/nginx.conf"
  echo '```'
  echo
  echo "## Raw wrk output (measured rounds)"
  for name in broker nginx; do
    echo
    echo "$name:"
    echo '```'
    cat "$TMP/wrk-$name.txt"
    echo '```'
  done
  echo
  echo "## Raw cold-burst output (bench/ColdBurst.java)"
  echo
  echo '```'
  echo "$BURST_OUT"
  echo "upstream tokenRequests before=$UPSTREAM_BEFORE after=$UPSTREAM_AFTER"
  echo '```'
} >"$REPORT"
finish_report token-broker
