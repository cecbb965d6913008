#!/usr/bin/env bash
# Benchmark of codelist-service on 127.0.0.1 next to nginx serving the same JSON as static files: 64 concurrent
# callers (wrk, 2 threads, keep-alive) read one code (GET /v1/codelists/municipalities/101) and one whole list
# (GET /v1/codelists/municipalities), from the service (bearer JWT checked on every request) and from Debian's nginx
# (the service's exact answer bytes as files), in the same run: a warm-up then a measured run each.
#   bench/codelist-service-bench.sh              build (./mvnw -B -q -DskipTests install), then benchmark
#   bench/codelist-service-bench.sh --no-build   benchmark what was built before
# Reports requests/s and p50/p90/p99/max of the four measured runs, the ratio service/nginx (goal: >= 0.5 for the
# single code; a missed goal is reported, not a failure), the CPU each process used, the body sizes, the service's
# start time and RSS, the share of its sampled Java time in the JWT check (JFR, two extra runs), its WARN lines.
# Writes bench/reports/codelist-service-<UTC date>.md and -latest.md, then prints the report. Exits non-zero when a
# step fails or a run is invalid (a non-200 answer, a body of another length, a socket error, bodies not identical).
# Takes about 4.5 minutes without the build; bounded by BENCH_TIME_LIMIT_S (600). Installs wrk and nginx with apt-get
# if they are missing.
# Settings: BENCH_WARMUP (20s), BENCH_DURATION (20s), BENCH_CONNECTIONS (64), BENCH_THREADS (2), BENCH_PROFILE
# (20s, each JFR run; 0 = none), BENCH_SERVICE_JAVA_OPTS (none); ports BENCH_OAUTH_PORT, BENCH_ISSUER_PORT,
# BENCH_ADMIN_PORT, BENCH_GATEWAY_PORT, BENCH_CODELIST_PORT (fake DFDG), BENCH_PG_PORT, BENCH_HTTP_PORT,
# BENCH_MGMT_PORT, BENCH_NGINX_PORT (31443, 31444, 31099, 31445, 31448, 31432, 31085, 31005, 31080);
# BENCH_TIME_LIMIT_S (600); BENCH_KEEP_TMP=1 keeps the temp dir (logs).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"

bench_build_args "$@"

OAUTH_PORT=${BENCH_OAUTH_PORT:-31443}
ISSUER_PORT=${BENCH_ISSUER_PORT:-31444}
ADMIN_PORT=${BENCH_ADMIN_PORT:-31099}
GATEWAY_PORT=${BENCH_GATEWAY_PORT:-31445}
CODELIST_PORT=${BENCH_CODELIST_PORT:-31448}
PG_PORT=${BENCH_PG_PORT:-31432}
HTTP_PORT=${BENCH_HTTP_PORT:-31085}
MGMT_PORT=${BENCH_MGMT_PORT:-31005}
NGINX_PORT=${BENCH_NGINX_PORT:-31080}
WARMUP=${BENCH_WARMUP:-20s}
DURATION=${BENCH_DURATION:-20s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
PROFILE=${BENCH_PROFILE:-20s}
read -r -a SERVICE_JAVA_OPTS <<<"${BENCH_SERVICE_JAVA_OPTS:-}"
TIME_LIMIT_S=${BENCH_TIME_LIMIT_S:-600}

CALLER_SUBJECT=system:serviceaccount:bench:reader
LIST=municipalities
CODE=101
ADMIN=http://127.0.0.1:$ADMIN_PORT
SERVICE=http://127.0.0.1:$HTTP_PORT
MGMT=http://127.0.0.1:$MGMT_PORT
NGINX=http://127.0.0.1:$NGINX_PORT
CODE_PATH=/v1/codelists/$LIST/$CODE
LIST_PATH=/v1/codelists/$LIST
DFDG_URL=https://127.0.0.1:$CODELIST_PORT/PjakTassWCFtService/1/CodeListService.svc

# ---------------------------------------------------------------- preconditions
for d in "$WARMUP" "$DURATION"; do [[ "$d" =~ ^[1-9][0-9]*s$ ]] || die "BENCH_WARMUP and BENCH_DURATION are seconds, e.g. 20s"; done
[[ "$PROFILE" =~ ^(0|[1-9][0-9]*s)$ ]] || die "BENCH_PROFILE is seconds (e.g. 10s) or 0"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ && "$THREADS" =~ ^[1-9][0-9]*$ && "$THREADS" -le "$CONNECTIONS" ]] \
  || die "BENCH_CONNECTIONS and BENCH_THREADS are numbers, threads <= connections"
require_commands java curl cmp
require_apt_command wrk wrk
require_apt_command nginx nginx
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
require_free_ports "$OAUTH_PORT" "$ISSUER_PORT" "$ADMIN_PORT" "$GATEWAY_PORT" "$CODELIST_PORT" "$PG_PORT" \
  "$HTTP_PORT" "$MGMT_PORT" "$NGINX_PORT"

# ---------------------------------------------------------------- 1. build and copy the artifacts
if [[ "$BUILD" == 1 ]]; then
  log "building: ./mvnw -B -q -DskipTests install"
  ./mvnw -B -q -DskipTests install || die "build failed"
fi
[[ -f codelist-service/target/quarkus-app/quarkus-run.jar ]] \
  || die "codelist-service/target/quarkus-app/quarkus-run.jar missing; build first: ./mvnw -B -q -DskipTests install"
[[ -f simulators/target/simulators.jar && -d simulators/target/lib ]] \
  || die "simulators/target/simulators.jar or lib/ missing; build first: ./mvnw -B -q -DskipTests install"
SERVICE_JAR_TIME=$(date -u -r codelist-service/target/quarkus-app/quarkus-run.jar +%Y-%m-%dT%H:%M:%SZ)
GIT_HEAD=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
GIT_DIRTY=$(git status --porcelain -- codelist-service/src dfdg-soap/src common/src 2>/dev/null | wc -l | tr -d ' ')

stage_simulators codelist-service-bench
cp -a codelist-service/target/quarkus-app "$TMP/codelist-service"
log "artifacts copied to $TMP"
PKI=$TMP/pki
SIM_LOG=$TMP/logs/simulators.log
SERVICE_LOG=$TMP/logs/codelist-service.log
STARTUP_LOG=$TMP/logs/codelist-service-startup.log
NGX=$TMP/nginx

# ---------------------------------------------------------------- 2. simulators (fake DFDG, PostgreSQL), service
start_simulators "$GATEWAY_PORT" --wsrm-port 0 --codelist-port "$CODELIST_PORT" \
  --postgres-port "$PG_PORT" --postgres-dir "$TMP/postgres"
log "simulators up (pid $SIM_PID)"

write_codelist_properties "$TMP/codelist-service.properties" "$HTTP_PORT" "$MGMT_PORT" "$DFDG_URL" \
  "jdbc:postgresql://127.0.0.1:$PG_PORT/wsb?currentSchema=codelist" "$STARTUP_LOG"
# -Dvertx.disableURIValidation=true as in the Helm chart and local-stack.sh
start_quarkus "$TMP/codelist-service" "$TMP/codelist-service.properties" "$SERVICE_LOG" \
  -Dvertx.disableURIValidation=true "${SERVICE_JAVA_OPTS[@]}"
SERVICE_PID=$QUARKUS_PID
await_port codelist-service "$MGMT_PORT" "$SERVICE_PID" "$SERVICE_LOG"
# ready = every configured list has a snapshot (fetched from the fake DFDG at this first start)
await_ready codelist-service "$MGMT" "$SERVICE_LOG" 120
READY_WALL_S=$(seconds_since "$QUARKUS_LAUNCHED_NS")
START_S=$(started_in "$STARTUP_LOG" "$SERVICE_LOG")
log "codelist-service ready (pid $SERVICE_PID; Quarkus start ${START_S:-?} s; launch to ready, every list fetched: $READY_WALL_S s)"
sleep 2 # let start-up work settle before the idle figure
IDLE_RSS_KIB=$(rss_kib "$SERVICE_PID")

# ---------------------------------------------------------------- 3. token, the two answers, nginx
TOKEN=$(mint_caller_token "$CALLER_SUBJECT" codelist-service 3600)
SUMMARY=$(curl -s --max-time 10 -H "Authorization: Bearer $TOKEN" "$SERVICE/v1/codelists" || true)
LIST_ITEMS=$(tr '{' '\n' <<<"$SUMMARY" | sed -n 's/.*"name":"\([^"]*\)".*"items":\([0-9]*\).*/\1 \2/p' | tr '\n' ',' | sed 's/,$//; s/,/, /g')

write_nginx_conf "$NGX" "$NGINX_PORT"
fetch() { # fetch URL BODY_FILE HEADERS_FILE: GET with the token; dies unless 200
  local code
  code=$(curl -s -o "$2" -D "$3" -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $TOKEN" "$1" || true)
  [[ "$code" == 200 ]] || die "GET $1 answered ${code:-nothing}: $(head -c 300 "$2" 2>/dev/null)"
}
fetch "$SERVICE$CODE_PATH" "$NGX/html/code" "$TMP/service-code.headers"
fetch "$SERVICE$LIST_PATH" "$NGX/html/list" "$TMP/service-list.headers"
grep -q "\"identifier\":${CODE}[,}]" "$NGX/html/code" || die "the code answer is not code $CODE: $(head -c 300 "$NGX/html/code")"
CODE_BYTES=$(wc -c <"$NGX/html/code")
LIST_BYTES=$(wc -c <"$NGX/html/list")
LIST_CODES=$(grep -o '"identifier":' "$NGX/html/list" | wc -l | tr -d ' ')
start_nginx "$NGX" "$TMP/logs/nginx.log"
log "nginx up (pid $NGINX_PID, $(nproc) workers); bodies: code $CODE_BYTES bytes, list $LIST_BYTES bytes ($LIST_CODES codes)"

FAILURES=()
same_bodies() { # same_bodies WHEN: the service's and nginx's answers are byte-identical to the files
  local what
  for what in code list; do
    local path=$CODE_PATH
    [[ "$what" == list ]] && path=$LIST_PATH
    fetch "$NGINX$path" "$TMP/nginx-$what.$1" "$TMP/nginx-$what.headers"
    fetch "$SERVICE$path" "$TMP/service-$what.$1" "$TMP/service-$what.headers.$1"
    cmp -s "$NGX/html/$what" "$TMP/nginx-$what.$1" || FAILURES+=("$1: nginx's $what answer differs from the service's")
    cmp -s "$NGX/html/$what" "$TMP/service-$what.$1" || FAILURES+=("$1: the service's $what answer changed during the run")
  done
}
same_bodies before

# ---------------------------------------------------------------- 4. four runs: warm-up, then measured
# The same requests to both servers (nginx ignores the Authorization header).
export BENCH_CALLER_TOKEN=$TOKEN
declare -A CPU=()
run() { # run RUN URL EXPECT_BYTES SERVER_PID: warm-up, then the measured run with the CPU figures of it
  local name=$1 url=$2 bytes=$3 pid=$4 phase out m0 m1 s0 s1 w0 w1
  export BENCH_EXPECT_BYTES=$bytes
  for phase in warmup measured; do
    local d=$WARMUP
    [[ "$phase" == measured ]] && d=$DURATION
    [[ $(remaining_s) -gt $(( ${d%s} + 30 )) ]] || die "time limit of $TIME_LIMIT_S s reached (before $name $phase)"
    out=$TMP/wrk-$name-$phase.txt
    log "$name: $phase run ($d, $CONNECTIONS connections) GET $url"
    m0=$(machine_ticks); s0=$(tree_ticks "$pid"); children_ticks; w0=$CHILDREN_TICKS
    timeout $(( ${d%s} + 60 )) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$d" --timeout 5s --latency \
      -s "$BENCH_DIR/bearer-get.lua" "$url" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed ($name $phase)"; }
    m1=$(machine_ticks); s1=$(tree_ticks "$pid"); children_ticks; w1=$CHILDREN_TICKS
    wrk_figures "$name-$phase" "$out"
    wrk_check "$name-$phase" "$name $phase run"
  done
  # the measured run's CPU: the server (with its children), wrk, the whole machine and the rest
  CPU[$name.server]=$(( s1 - s0 ))
  CPU[$name.wrk]=$(( w1 - w0 ))
  CPU[$name.busy]=$(( ${m1% *} - ${m0% *} ))
  CPU[$name.total]=$(( ${m1#* } - ${m0#* } ))
  CPU[$name.other]=$(( CPU[$name.busy] - CPU[$name.server] - CPU[$name.wrk] ))
  log "$name: $(r "$name-measured.rps") req/s, p50 $(r "$name-measured.p50"), p99 $(r "$name-measured.p99")"
}
run service-code "$SERVICE$CODE_PATH" "$CODE_BYTES" "$SERVICE_PID"
run service-list "$SERVICE$LIST_PATH" "$LIST_BYTES" "$SERVICE_PID"
RSS_AFTER_KIB=$(rss_kib "$SERVICE_PID")
run nginx-code "$NGINX$CODE_PATH" "$CODE_BYTES" "$NGINX_PID"
run nginx-list "$NGINX$LIST_PATH" "$LIST_BYTES" "$NGINX_PID"
same_bodies after

# ---------------------------------------------------------------- 5. where the service's time goes (JFR, extra runs)
# profile RUN URL BYTES: an extra wrk run of PROFILE against the service with a JFR recording (settings=profile); sets
# R[RUN.*] (its wrk figures), CPU[RUN.*] (as run does) and PROF[RUN.*]: samples (Java execution samples), jwt (those
# with a frame of the JWT check among their top 64), tops (the most frequent top frames), app (the most frequent
# topmost frames of the service's own code, org.socsecgateway).
declare -A PROF=()
profile() {
  local name=$1 url=$2 bytes=$3 jfr=$TMP/$1.jfr m0 m1 s0 s1 w0 w1 out
  log "$name: JFR (settings=profile) during an extra $PROFILE run, GET $url"
  [[ $(remaining_s) -gt $(( ${PROFILE%s} + 60 )) ]] || die "time limit of $TIME_LIMIT_S s reached (before $name)"
  if ! jcmd "$SERVICE_PID" JFR.start name="$name" settings=profile filename="$jfr" >"$TMP/$name-start.txt" 2>&1; then
    PROF[$name.error]="jcmd JFR.start failed: $(head -c 200 "$TMP/$name-start.txt")"
    return
  fi
  export BENCH_EXPECT_BYTES=$bytes
  m0=$(machine_ticks); s0=$(tree_ticks "$SERVICE_PID"); children_ticks; w0=$CHILDREN_TICKS
  timeout $(( ${PROFILE%s} + 60 )) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$PROFILE" --timeout 5s --latency \
    -s "$BENCH_DIR/bearer-get.lua" "$url" >"$TMP/wrk-$name.txt" 2>&1 || true
  m1=$(machine_ticks); s1=$(tree_ticks "$SERVICE_PID"); children_ticks; w1=$CHILDREN_TICKS
  jcmd "$SERVICE_PID" JFR.stop name="$name" >"$TMP/$name-stop.txt" 2>&1 || true
  wrk_figures "$name" "$TMP/wrk-$name.txt"
  wrk_check "$name" "$name run (JFR)"
  CPU[$name.server]=$(( s1 - s0 ))
  CPU[$name.wrk]=$(( w1 - w0 ))
  CPU[$name.busy]=$(( ${m1% *} - ${m0% *} ))
  CPU[$name.other]=$(( CPU[$name.busy] - CPU[$name.server] - CPU[$name.wrk] ))
  out=$(jfr print --events jdk.ExecutionSample --stack-depth 64 "$jfr" 2>/dev/null | awk '
    /^jdk.ExecutionSample/ { n++; inside = 0; jwt = 0; top = ""; app = "" }
    /stackTrace = \[/ { inside = 1; next }
    inside && /^[[:space:]]*\]/ {
      inside = 0
      if (jwt) j++
      tops[top]++
      if (app != "") apps[app]++
      next
    }
    inside {
      f = $1
      sub(/\(.*/, "", f)
      if (top == "") top = f
      if (app == "" && f ~ /^org\.socsecgateway\./) app = f
      if (f ~ /^(org\.jose4j\.|io\.smallrye\.jwt\.|io\.quarkus\.smallrye\.jwt\.)/) jwt = 1
    }
    END {
      printf "samples %d\njwt %d\n", n, j
      for (t in tops) printf "top %d %s\n", tops[t], t
      for (a in apps) printf "app %d %s\n", apps[a], a
    }' || true)
  PROF[$name.samples]=$(awk '$1 == "samples" {print $2}' <<<"$out")
  PROF[$name.jwt]=$(awk '$1 == "jwt" {print $2}' <<<"$out")
  PROF[$name.tops]=$(awk '$1 == "top" {print $2, $3}' <<<"$out" | sort -k1,1nr | head -12 || true)
  PROF[$name.app]=$(awk '$1 == "app" {print $2, $3}' <<<"$out" | sort -k1,1nr | head -8 || true)
}
if [[ "$PROFILE" != 0 ]]; then
  profile profile-code "$SERVICE$CODE_PATH" "$CODE_BYTES"
  profile profile-list "$SERVICE$LIST_PATH" "$LIST_BYTES"
fi

# ---------------------------------------------------------------- 6. service-side figures, checks
HWM_KIB=$(hwm_kib "$SERVICE_PID")
kill -0 "$SERVICE_PID" 2>/dev/null || FAILURES+=("codelist-service died during the run")
kill -0 "$NGINX_PID" 2>/dev/null || FAILURES+=("nginx died during the run")
METRICS=$(metric_lines "$MGMT" 'codelist_items|codelist_stale_lists|codelist_fetches_total|http_server_requests_seconds_(count|sum|max)' \
  | grep -v '^codelist_fetches_total.* 0\.0$' || true)
PROBLEM_COUNT=$(warn_count "$SERVICE_LOG")
QUARKUS_VERSION=$(sed -n 's/.*(powered by Quarkus \([^)]*\)).*/\1/p' "$STARTUP_LOG" "$SERVICE_LOG" 2>/dev/null | head -1)
ratio() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "?" }'; }
CODE_RATIO=$(ratio "$(r service-code-measured.rps)" "$(r nginx-code-measured.rps)")
LIST_RATIO=$(ratio "$(r service-list-measured.rps)" "$(r nginx-list-measured.rps)")
if awk -v x="$CODE_RATIO" 'BEGIN { exit !(x + 0 >= 0.5) }'; then GOAL="**met**"; else GOAL="**not met**"; fi

# ---------------------------------------------------------------- 7. report
start_report codelist-service
WRK_VERSION=$(wrk -v 2>&1 | awk 'NR == 1 {print $1, $2}' || true) # wrk -v exits 1
NGINX_VERSION=$(nginx -v 2>&1 | sed 's/^nginx version: //')
row() { # row RUN LABEL
  local m=$1-measured
  echo "| $2 | **$(r "$m.rps")** | **$(r "$m.p50")** | $(r "$m.p90") | **$(r "$m.p99")** | $(r "$m.max") | $(r "$m.requests") | $(r "$m.non200") / $(r "$m.wrong_length") / $(r "$m.socket_errors") | $(r "$1-warmup.rps") |"
}
cpu_row() { # cpu_row RUN LABEL
  local s=${R[$1-measured.seconds]:-0} n=${R[$1-measured.requests]:-0}
  echo "| $2 | $(cores "${CPU[$1.server]}" "$s") | $(cores "${CPU[$1.wrk]}" "$s") | $(cores "${CPU[$1.other]}" "$s") | $(cores "${CPU[$1.busy]}" "$s") of $(nproc) | $(awk -v t="${CPU[$1.server]}" -v n="$n" -v hz="$(clk_tck)" 'BEGIN { if (n > 0) printf "%.0f", t / hz / n * 1e6; else print "?" }') µs |"
}
{
  report_head codelist-service
  echo "| Service build | \`codelist-service/target/quarkus-app\` of $SERVICE_JAR_TIME; git $GIT_HEAD, $GIT_DIRTY uncommitted file(s) under codelist-service/src, dfdg-soap/src, common/src at run time |"
  echo "| Quarkus | ${QUARKUS_VERSION:-?} |"
  echo "| Service JVM options | -Dvertx.disableURIValidation=true ${BENCH_SERVICE_JAVA_OPTS:-} (otherwise defaults) |"
  echo "| nginx | $NGINX_VERSION (Debian's), $(nproc) worker processes, config below |"
  echo "| Load generator | $WRK_VERSION, $THREADS threads, $CONNECTIONS keep-alive connections, \`bench/bearer-get.lua\` |"
  echo "| Load average before / after | $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo
  echo "## Set-up"
  echo
  echo "- The simulators (one JVM): the fake DFDG CodeListService (mutual TLS requiring foces-client), the caller-token"
  echo "  issuer and PostgreSQL (embedded, data in the temp dir; the service in schema \`codelist\` of its database \`wsb\`)."
  echo "- The packaged codelist-service, configured like \`local/codelist-service.properties\` (the six lists, the schedule"
  echo "  checked every 5 s, console at WARN), on http://127.0.0.1:$HTTP_PORT; at this first start it fetches every list"
  echo "  from the fake DFDG, then serves them from memory: $LIST_ITEMS (codes per list, expired ones included)."
  echo "- One reader token (audience \`codelist-service\`, subject \`$CALLER_SUBJECT\`, RS256) for every request."
  echo "  **The service checks the JWT (signature, issuer, audience, expiry) on every request; nginx checks nothing.**"
  echo "- nginx serves the exact bytes the service answered, as static files at the same paths on 127.0.0.1:$NGINX_PORT,"
  echo "  and gets the same requests (the Authorization header too, which it ignores)."
  echo "- Each of the four: a $WARMUP warm-up run, then a $DURATION measured run (\`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --timeout 5s --latency\`), in this order:"
  echo "  service code, service list, nginx code, nginx list. Every answer must be 200 with a body of the expected length."
  echo "- **wrk, the service and nginx share the $(nproc) CPUs** (and the idle simulators and PostgreSQL): the figures are those"
  echo "  of one busy machine, not of separate hosts. Compare runs only on the same machine."
  echo
  echo "## Figures (measured runs)"
  echo
  echo "| Run | req/s | p50 | p90 | p99 | max | requests | non-200 / wrong length / socket errors | warm-up req/s |"
  echo "|---|---|---|---|---|---|---|---|---|"
  row service-code "service, one code \`GET $CODE_PATH\` ($CODE_BYTES bytes)"
  row nginx-code "nginx, the same code ($CODE_BYTES bytes, static file)"
  row service-list "service, whole list \`GET $LIST_PATH\` ($LIST_BYTES bytes, $LIST_CODES codes)"
  row nginx-list "nginx, the same list ($LIST_BYTES bytes, static file)"
  echo
  echo "| Ratio service / nginx (req/s) | Value |"
  echo "|---|---|"
  echo "| One code | **$CODE_RATIO** — goal ≥ 0.5: $GOAL |"
  echo "| Whole list | **$LIST_RATIO** |"
  echo
  echo "Latencies are measured by wrk on the client side, HTTP/1.1 keep-alive on 127.0.0.1."
  echo
  echo "CPU during each measured run (from /proc; cores = CPU seconds / run seconds; \"other\" = the machine's busy time"
  echo "less the server and wrk: the idle simulators and PostgreSQL, and anything else running on the machine):"
  echo
  echo "| Run | server | wrk | other | machine busy | server CPU per request |"
  echo "|---|---|---|---|---|---|"
  cpu_row service-code "service, one code"
  cpu_row nginx-code "nginx, one code"
  cpu_row service-list "service, whole list"
  cpu_row nginx-list "nginx, whole list"
  echo
  echo "## The JWT check"
  echo
  if [[ "$PROFILE" == 0 ]]; then
    echo "Not measured (BENCH_PROFILE=0)."
    echo
  else
    echo "Two extra $PROFILE runs (not the measured runs; same wrk settings), one code then the whole list, each with a JFR"
    echo "recording (\`jcmd JFR.start settings=profile\`) in the service. A sample counts as the JWT check when one of its top 64"
    echo "frames is in \`org.jose4j\`, \`io.smallrye.jwt\` or \`io.quarkus.smallrye.jwt\`. JFR samples the threads running Java"
    echo "code only: time in native code (socket reads and writes), the GC and the JIT compiler are not in these samples, so"
    echo "the share is one of the sampled Java time, not of the service's CPU. The recording itself costs the service CPU:"
    echo "compare the req/s with the measured runs."
    echo
    echo "| Extra run | req/s | p50 | p99 | non-200 | service / wrk / other (cores) | Java samples | **with a JWT-check frame** |"
    echo "|---|---|---|---|---|---|---|---|"
    for name in profile-code profile-list; do
      secs=${R[$name.seconds]:-0}
      echo "| ${name#profile-} | $(r "$name.rps") | $(r "$name.p50") | $(r "$name.p99") | $(r "$name.non200") | $(cores "${CPU[$name.server]:-0}" "$secs") / $(cores "${CPU[$name.wrk]:-0}" "$secs") / $(cores "${CPU[$name.other]:-0}" "$secs") | ${PROF[$name.samples]:-${PROF[$name.error]:-?}} | **${PROF[$name.jwt]:-?} ($(percent "${PROF[$name.jwt]:-0}" "${PROF[$name.samples]:-0}") %)** |"
    done
    for name in profile-code profile-list; do
      echo
      echo "${name#profile-}: the most frequent top frames (samples, method), then the topmost frame of the service's own code"
      echo "(org.socsecgateway) where a sample has one:"
      echo
      echo '```'
      echo "${PROF[$name.tops]:-(none)}"
      echo "--"
      echo "${PROF[$name.app]:-(none)}"
      echo '```'
    done
    echo
  fi
  echo "## Service"
  echo
  echo "| Figure | Value |"
  echo "|---|---|"
  echo "| Start time (Quarkus \"started in\") | ${START_S:-?} s |"
  echo "| Launch to ready (/q/health/ready 200 = every list fetched from the fake DFDG and stored) | $READY_WALL_S s |"
  echo "| RSS idle (after start-up) / after the service runs / peak (VmHWM, end) | $(mib "$IDLE_RSS_KIB") / $(mib "$RSS_AFTER_KIB") / $(mib "$HWM_KIB") MiB |"
  echo "| Log lines at WARN or above | ${PROBLEM_COUNT:-0} |"
  echo
  echo '```'
  echo "${METRICS:-(no metrics)}"
  echo "(the requests counted include the warm-up and profile runs; _sum / _count is the service-side mean time of a request)"
  echo '```'
  echo
  echo "Answer headers (body identical; checked with cmp before and after the runs):"
  echo
  echo '```'
  echo "service $CODE_PATH:"; tr -d '\r' <"$TMP/service-code.headers"
  echo "nginx $CODE_PATH:"; tr -d '\r' <"$TMP/nginx-code.headers"
  echo '```'
  echo
  logs_section "$SERVICE_LOG" "$NGX/error.log"
  echo
  echo "## nginx.conf"
  echo
  echo '```'
  sed "s|$TMP|\$TMP|g" "$NGX/nginx.conf"
  echo '```'
  echo
  echo "## Raw wrk output (measured runs)"
  for name in service-code service-list nginx-code nginx-list; do
    echo
    echo "$name:"
    echo '```'
    cat "$TMP/wrk-$name-measured.txt"
    echo '```'
  done
} >"$REPORT"
finish_report codelist-service
