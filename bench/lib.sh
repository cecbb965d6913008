# shellcheck shell=bash
# Helpers shared by the bench scripts (token-broker, bcss-proxy, wsb-receiver). Sourced (not run) by each, after
# it has set BENCH_DIR and ROOT and changed to ROOT; sourcing installs the cleanup trap and sets START_NS. The functions
# read the scripts' settings where they say so (TMP, PKI, SIM_LOG, OAUTH_PORT, ISSUER_PORT, ADMIN_PORT, ADMIN,
# CALLER_SUBJECT, COMMAND, FAILURES, TIME_LIMIT_S, DRIVER_LOG).

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- cleanup: stop everything this script started
TMP=""
PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n "$TMP" && -d "$TMP" ]]; then
    if [[ "${BENCH_KEEP_TMP:-0}" == 1 ]]; then log "temp dir kept: $TMP"; else rm -rf "$TMP"; fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() {
  log "FAILED: $*"
  exit 1
}

# ---------------------------------------------------------------- arguments, settings
# bench_args "$@": sets COMMAND (the BENCH_* settings changed from the defaults, then the script and its arguments);
# -h/--help prints the script's header (its first comment block, line 2 on) and exits 0, any other argument exits 2.
bench_args() {
  local env arg script
  script=$(basename "$0")
  env=$(env | grep -E '^BENCH_[A-Z_]+=' | sort | tr '\n' ' ' || true)
  COMMAND="${env}bench/$script${*:+ $*}"
  for arg in "$@"; do
    case "$arg" in
      -h|--help) awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$BENCH_DIR/$script"; exit 0 ;;
      *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
    esac
  done
}

# receiver_ports PG ISSUER HTTP WEBHOOK MGMT: the default ports of the wsb-receiver scripts; sets PG_PORT, ISSUER_PORT,
# HTTP_PORT, WEBHOOK_PORT, MGMT_PORT (each overridden by BENCH_<NAME>), MGMT (the management URL) and CALLER_SUBJECT
# (the feed reader).
receiver_ports() {
  PG_PORT=${BENCH_PG_PORT:-$1}
  ISSUER_PORT=${BENCH_ISSUER_PORT:-$2}
  HTTP_PORT=${BENCH_HTTP_PORT:-$3}
  WEBHOOK_PORT=${BENCH_WEBHOOK_PORT:-$4}
  MGMT_PORT=${BENCH_MGMT_PORT:-$5}
  MGMT=http://127.0.0.1:$MGMT_PORT
  CALLER_SUBJECT=system:serviceaccount:bench:reader
}

START_NS=$(date +%s%N)
remaining_s() { echo $(( TIME_LIMIT_S - ($(date +%s%N) - START_NS) / 1000000000 )); } # of TIME_LIMIT_S

# ---------------------------------------------------------------- waiting, measuring, parsing
# Waits until a TCP port on 127.0.0.1 accepts connections (bounded: 60 s).
await_port() {
  local name=$1 port=$2 pid=$3 logfile=$4
  for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { tail -30 "$logfile" >&2; die "$name exited before opening port $port"; }
    sleep 0.5
  done
  tail -30 "$logfile" >&2
  die "$name did not open port $port within 60 s; see above"
}

# Waits until a management port answers /q/health/ready with 200 (bounded: 30 s).
await_ready() {
  local name=$1 url=$2 logfile=$3 code=""
  for _ in $(seq 1 60); do
    code=$(curl -s -o "$TMP/ready.json" -w '%{http_code}' --max-time 5 "$url/q/health/ready" || true)
    if [[ "$code" == 200 ]]; then return 0; fi
    sleep 0.5
  done
  cat "$TMP/ready.json" >&2 2>/dev/null || true
  tail -30 "$logfile" >&2
  die "$name readiness $url/q/health/ready is not 200 (last: ${code:-none}) after 30 s"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
mib() { awk -v k="${1:-0}" 'BEGIN { printf "%.0f", k / 1024 }'; }

seconds_since() { # seconds_since NANOSECONDS: time since that `date +%s%N`, in seconds with 2 decimals
  awk -v ns=$(( $(date +%s%N) - $1 )) 'BEGIN { printf "%.2f", ns / 1e9 }'
}
started_in() { # started_in LOGFILE...: the seconds of the first Quarkus "started in" line
  sed -n 's/.* started in \([0-9.]*\)s.*/\1/p' "$@" 2>/dev/null | head -1
}
problem_lines() { grep -hE '(^|[[:space:]])(WARN|WARNING|ERROR|SEVERE)[[:space:]:]|Exception' "$@" || true; } # and exceptions
warn_count() { grep -cE '(^|[[:space:]])(WARN|ERROR|SEVERE)[[:space:]]' "$1" || true; } # log lines at WARN or above

json_field() { # json_field NAME JSON: value of a top-level string or number field (flat JSON only)
  printf '%s' "$2" | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\{0,1\}\([^\",}]*\)\"\{0,1\}.*/\1/p"
}

# ---------------------------------------------------------------- preconditions
require_commands() { local c; for c in "$@"; do command -v "$c" >/dev/null || die "$c not found"; done; }
require_free_ports() {
  local p
  for p in "$@"; do
    if port_in_use "$p"; then die "port $p on 127.0.0.1 is already in use (set BENCH_*_PORT)"; fi
  done
}
# receiver_preconditions: the receiver_ports are free and the receiver and the simulators are built; sets
# RECEIVER_JAR_TIME, GIT_HEAD and GIT_DIRTY (uncommitted files under wsb-receiver/src) for the report.
receiver_preconditions() {
  local f
  require_free_ports "$PG_PORT" "$ISSUER_PORT" "$HTTP_PORT" "$WEBHOOK_PORT" "$MGMT_PORT"
  for f in wsb-receiver/target/quarkus-app/quarkus-run.jar simulators/target/simulators.jar; do
    [[ -f "$f" ]] || die "$f missing; build first: ./mvnw -B -q -DskipTests install"
  done
  [[ -d simulators/target/lib ]] || die "simulators/target/lib missing; build first: ./mvnw -B -q -DskipTests install"
  RECEIVER_JAR_TIME=$(date -u -r wsb-receiver/target/quarkus-app/quarkus-run.jar +%Y-%m-%dT%H:%M:%SZ)
  GIT_HEAD=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  GIT_DIRTY=$(git status --porcelain -- wsb-receiver/src 2>/dev/null | wc -l | tr -d ' ')
}

# ---------------------------------------------------------------- temp dir, simulators, Quarkus applications
# stage_simulators NAME: TMP = a new temp dir NAME.XXXXXX with logs/ and a copy of the simulators (simulators/), so a
# rebuild during the run cannot affect it. The caller copies its own artifacts there.
stage_simulators() {
  TMP=$(mktemp -d -t "$1.XXXXXX")
  mkdir -p "$TMP/simulators" "$TMP/logs"
  cp -a simulators/target/simulators.jar "$TMP/simulators/"
  cp -a simulators/target/lib "$TMP/simulators/lib"
}

# start_simulators [GATEWAY_PORT]: starts the simulators (PKI in $PKI, output to $SIM_LOG) on OAUTH_PORT,
# ISSUER_PORT, ADMIN_PORT (and the REST gateway on GATEWAY_PORT); sets SIM_PID; returns once every port is open.
start_simulators() {
  local ports=("$OAUTH_PORT" "$ISSUER_PORT" "$ADMIN_PORT") extra=() p
  if [[ $# -gt 0 ]]; then ports+=("$1"); extra=(--gateway-port "$1"); fi
  java -jar "$TMP/simulators/simulators.jar" --pki "$PKI" \
    --oauth-port "$OAUTH_PORT" --issuer-port "$ISSUER_PORT" --admin-port "$ADMIN_PORT" "${extra[@]}" \
    >"$SIM_LOG" 2>&1 &
  SIM_PID=$!
  PIDS+=("$SIM_PID")
  for p in "${ports[@]}"; do await_port simulators "$p" "$SIM_PID" "$SIM_LOG"; done
}

# start_quarkus APP_DIR PROPERTIES LOGFILE [JAVA OPTION...]: launches APP_DIR/quarkus-run.jar with that properties
# file, output to LOGFILE; sets QUARKUS_PID and QUARKUS_LAUNCHED_NS (for seconds_since).
start_quarkus() {
  local app=$1 props=$2 logfile=$3
  shift 3
  java "$@" -Dquarkus.config.locations="$props" -jar "$app/quarkus-run.jar" >"$logfile" 2>&1 &
  QUARKUS_PID=$!
  PIDS+=("$QUARKUS_PID")
  QUARKUS_LAUNCHED_NS=$(date +%s%N)
}

# listen_properties HTTP_PORT MGMT_PORT: Quarkus properties for listening on 127.0.0.1, console logging at WARN.
listen_properties() {
  # config_ordinal: as in local/*.properties, -D and environment variables override a file given by
  # -Dquarkus.config.locations (otherwise it takes the system properties' ordinal, 400)
  cat <<EOF
config_ordinal=260
quarkus.http.host=127.0.0.1
quarkus.http.port=$1
quarkus.management.host=127.0.0.1
quarkus.management.port=$2
quarkus.log.console.json.enabled=false
quarkus.log.console.level=WARN
EOF
}

# startup_log_properties FILE: the io.quarkus category also goes to FILE at INFO, for the "started in" line
# (nothing per request is logged there).
startup_log_properties() {
  cat <<EOF
quarkus.log.handler.file."startup".enabled=true
quarkus.log.handler.file."startup".path=$1
quarkus.log.handler.file."startup".level=INFO
quarkus.log.category."io.quarkus".handlers=startup
EOF
}

# write_broker_properties FILE HTTP_PORT MGMT_PORT [STARTUP_LOG]: mirrors local/token-broker.properties with the
# bench ports and absolute PKI paths. URLs the broker connects to use 127.0.0.1 (the simulators' certificate has
# IP:127.0.0.1); the issuer claim stays https://localhost:PORT. The console logs WARN and above only; with
# STARTUP_LOG, see startup_log_properties.
write_broker_properties() {
  local file=$1 http_port=$2 mgmt_port=$3 startup_log=${4:-}
  {
    cat <<EOF
broker.environment=test
broker.client.id=partenaire:federal:service:bus:client:confidential
broker.client.scopes=scope:cbss:api:demo:consult,scope:cbss:api:demo:update
broker.endpoints.metadata=https://127.0.0.1:$OAUTH_PORT/.well-known/oauth-authorization-server
broker.endpoints.token=https://127.0.0.1:$OAUTH_PORT/REST/oauth/v5/token
broker.key.pem-key=$PKI/bcss-signing.key
broker.key.pem-cert=$PKI/bcss-signing.crt
broker.key.reload-interval=5s
quarkus.tls.bcss-oauth.trust-store.pem.certs=$PKI/server.crt

mp.jwt.verify.publickey.location=https://127.0.0.1:$ISSUER_PORT/openid/v1/jwks
mp.jwt.verify.issuer=https://localhost:$ISSUER_PORT
smallrye.jwt.client.tls.certificate.path=$PKI/server.crt

broker.callers[0].subject=$CALLER_SUBJECT
broker.callers[0].scopes=scope:cbss:api:demo:consult,scope:cbss:api:demo:update
broker.callers[0].default-scopes=true
broker.callers[1].subject=system:serviceaccount:local:bcss-proxy
broker.callers[1].scopes=scope:cbss:api:demo:consult,scope:cbss:api:demo:update

EOF
    listen_properties "$http_port" "$mgmt_port"
    if [[ -n "$startup_log" ]]; then startup_log_properties "$startup_log"; fi
  } >"$file"
}

# write_receiver_properties FILE HTTP_PORT WEBHOOK_PORT MGMT_PORT JDBC_URL PIN [STARTUP_LOG]: mirrors
# local/wsb-receiver.properties with the bench ports, the bench's PostgreSQL and absolute PKI paths (reads PKI,
# ISSUER_PORT, CALLER_SUBJECT): the webhook /wsb/akasse-58 (authority AKASSE:58) over mutual TLS with STAR's
# certificate trusted and pinned (PIN = its SHA-256 in hex); CALLER_SUBJECT may read the whole feed. Console at WARN;
# with STARTUP_LOG, see startup_log_properties.
write_receiver_properties() {
  local file=$1 http_port=$2 webhook_port=$3 mgmt_port=$4 jdbc_url=$5 pin=$6 startup_log=${7:-}
  {
    cat <<EOF
quarkus.datasource.jdbc.url=$jdbc_url
quarkus.datasource.username=postgres
quarkus.datasource.password=local
quarkus.http.ssl-port=$webhook_port
quarkus.tls.webhook.key-store.pem.0.cert=$PKI/server.crt
quarkus.tls.webhook.key-store.pem.0.key=$PKI/server.key
quarkus.tls.webhook.trust-store.pem.certs=$PKI/star-client.crt
wsb.webhook.pinned-sha256=$pin
wsb.webhook.endpoints[0].path=/wsb/akasse-58
wsb.webhook.endpoints[0].authority=AKASSE:58
wsb.readers[0].subject=$CALLER_SUBJECT
wsb.ingest.callers=system:serviceaccount:local:dfdg-poller

mp.jwt.verify.publickey.location=https://127.0.0.1:$ISSUER_PORT/openid/v1/jwks
mp.jwt.verify.issuer=https://localhost:$ISSUER_PORT
mp.jwt.verify.audiences=wsb-receiver
smallrye.jwt.client.tls.certificate.path=$PKI/server.crt

EOF
    listen_properties "$http_port" "$mgmt_port"
    if [[ -n "$startup_log" ]]; then startup_log_properties "$startup_log"; fi
  } >"$file"
}

# stage_receiver_driver NAME DRIVER.java: TMP as stage_simulators NAME, plus a copy of the packaged receiver
# (wsb-receiver/) and DRIVER compiled together with WsbBenchSupport.java against the simulators (client/); sets DRIVER
# (the command that runs it), PKI (the driver creates it) and DRIVER_LOG.
stage_receiver_driver() {
  local name=$1 source=$2 cp sources
  stage_simulators "$name"
  cp -a wsb-receiver/target/quarkus-app "$TMP/wsb-receiver"
  mkdir -p "$TMP/client"
  cp -a "$BENCH_DIR/$source" "$BENCH_DIR/WsbBenchSupport.java" "$TMP/client/"
  sources=("$TMP/client/$source" "$TMP/client/WsbBenchSupport.java")
  cp="$TMP/simulators/simulators.jar:$TMP/simulators/lib/*"
  if command -v javac >/dev/null; then
    javac -cp "$cp" -d "$TMP/client" "${sources[@]}" || die "cannot compile bench/$source"
  else # no javac on the PATH: the compiler in the JDK that runs java (which its source-file mode uses)
    java -m jdk.compiler/com.sun.tools.javac.Main -cp "$cp" -d "$TMP/client" "${sources[@]}" \
      || die "cannot compile bench/$source (no javac, and java has no jdk.compiler module: a JDK 17+ is needed)"
  fi
  DRIVER=(java -cp "$TMP/client:$cp" "${source%.java}")
  PKI=$TMP/pki
  DRIVER_LOG=$TMP/logs/driver.log
  log "artifacts copied to $TMP"
}

# start_driver TIMEOUT_S ARG...: runs DRIVER with those arguments in the background, bounded by TIMEOUT_S (output to
# $TMP/driver.out, log to DRIVER_LOG); returns once it has started PostgreSQL; sets DRIVER_PID, PG_PID and JDBC_URL.
start_driver() {
  local timeout_s=$1
  shift
  timeout "$timeout_s" "${DRIVER[@]}" "$@" >"$TMP/driver.out" 2>"$DRIVER_LOG" &
  DRIVER_PID=$!
  PIDS+=("$DRIVER_PID")
  await_driver_env "$DRIVER_PID" "$DRIVER_LOG"
  PG_PID=$(postmaster_pid)
  if [[ -n "$PG_PID" ]]; then PIDS+=("$PG_PID"); fi # stopped by cleanup too, should the driver die first
  JDBC_URL=$(driver_env JDBC_URL)
  log "PostgreSQL up (pid ${PG_PID:-?}): $JDBC_URL"
}

# driver_env NAME: a value the driver wrote to $TMP/driver.env (KEY=value lines).
driver_env() { sed -n "s/^$1=//p" "$TMP/driver.env" 2>/dev/null | head -1 || true; }

# await_driver_env PID LOGFILE: waits until the driver has written $TMP/driver.env (bounded: 120 s; initdb and the
# PKI take a few seconds the first time).
await_driver_env() {
  local pid=$1 logfile=$2
  for _ in $(seq 1 240); do
    if [[ "$(driver_env READY)" == 1 ]]; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { tail -30 "$logfile" >&2; die "the driver exited before PostgreSQL was up"; }
    sleep 0.5
  done
  tail -30 "$logfile" >&2
  die "the driver did not start PostgreSQL within 120 s"
}

# postmaster_pid: the PostgreSQL server the driver started (data in $TMP/pg), so that cleanup can stop it by its id
# even if the driver dies first.
postmaster_pid() { head -1 "$TMP/pg/postmaster.pid" 2>/dev/null || true; }

# stop_receiver_for_driver PID: stops the receiver (TERM, up to 10 s) if it still runs, then creates $TMP/stop, after
# which the driver exits and so stops PostgreSQL.
stop_receiver_for_driver() {
  if kill -0 "$1" 2>/dev/null; then
    kill -TERM "$1"
    for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  fi
  touch "$TMP/stop"
}

# read_driver_figures: FIG[key] = value of each key=value line of $TMP/driver.out; f KEY prints one ("?" if none).
read_driver_figures() {
  local key value
  declare -gA FIG=()
  while IFS='=' read -r key value; do
    if [[ "$key" =~ ^[a-z_0-9]+$ ]]; then FIG[$key]=$value; fi
  done <"$TMP/driver.out"
}
f() { printf '%s' "${FIG[$1]:-?}"; }

# receiver_build_row: the report's machine-table row of the receiver build (RECEIVER_JAR_TIME, GIT_HEAD, GIT_DIRTY).
receiver_build_row() {
  echo "| Receiver build | \`wsb-receiver/target/quarkus-app\` of $RECEIVER_JAR_TIME; git HEAD $GIT_HEAD, $GIT_DIRTY uncommitted file(s) under wsb-receiver/src at run time |"
}

# driver_output_section: the report's last section, the driver's key=value lines and its [driver] log lines.
driver_output_section() {
  echo "## Driver output"
  echo
  echo '```'
  cat "$TMP/driver.out"
  grep -h '^\[driver' "$DRIVER_LOG" || true
  echo '```'
}

# ---------------------------------------------------------------- simulator admin API
mint_caller_token() { # mint_caller_token SUBJECT AUDIENCE TTL_SECONDS
  local answer token
  answer=$(curl -s --max-time 10 -X POST "$ADMIN/admin/caller-tokens" -H 'Content-Type: application/json' \
    -d "{\"subject\":\"$1\",\"audience\":\"$2\",\"ttlSeconds\":$3}") || die "cannot mint a caller token ($1, $2)"
  token=$(json_field access_token "$answer")
  [[ -n "$token" ]] || die "no access_token in the caller-token answer: $answer"
  printf '%s' "$token"
}

simulator_counter() { # simulator_counter SIMULATOR FIELD: a counter of $ADMIN/admin/SIMULATOR/stats (oauth, gateway)
  local stats
  stats=$(curl -s --max-time 10 "$ADMIN/admin/$1/stats") || die "cannot read $ADMIN/admin/$1/stats"
  json_field "$2" "$stats"
}

# ---------------------------------------------------------------- report
# start_report NAME: sets NOW_UTC, DAY_UTC, CPU_MODEL, MEM_TOTAL_G, JAVA_VERSION, VERDICT (from FAILURES), REPORT_DIR
# and REPORT (bench/reports/NAME-<UTC date>.md).
start_report() {
  NOW_UTC=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  DAY_UTC=$(date -u +%Y-%m-%d)
  CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  MEM_TOTAL_G=$(free -g | awk '/^Mem:/ {print $2}')
  JAVA_VERSION=$(java -version 2>&1 | head -1)
  if [[ ${#FAILURES[@]} -eq 0 ]]; then VERDICT="VALID"; else VERDICT="INVALID"; fi
  REPORT_DIR=$BENCH_DIR/reports
  mkdir -p "$REPORT_DIR"
  REPORT=$REPORT_DIR/$1-$DAY_UTC.md
}

# report_head NAME: the report's title, command, verdict with the failures, and the machine table up to the Java row.
report_head() {
  local failure
  echo "# $1 benchmark, $NOW_UTC"
  echo
  echo "Command (from the repository root): \`$COMMAND\`"
  echo
  echo "Result: **$VERDICT**"
  for failure in "${FAILURES[@]}"; do echo "- $failure"; done
  echo
  echo "## Machine"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| Date (UTC) | $NOW_UTC |"
  echo "| CPUs (nproc) | $(nproc) |"
  echo "| CPU model | ${CPU_MODEL:-unknown} |"
  echo "| Memory (free -g total) | ${MEM_TOTAL_G} GiB |"
  echo "| Kernel | $(uname -sr) |"
  echo "| Java | $JAVA_VERSION |"
}

# finish_report NAME: copies the report to NAME-latest.md, prints it, and exits 1 if the run is invalid.
finish_report() {
  cp "$REPORT" "$REPORT_DIR/$1-latest.md"
  cat "$REPORT"
  echo
  log "report: ${REPORT#"$ROOT"/} (also bench/reports/$1-latest.md)"
  if [[ ${#FAILURES[@]} -gt 0 ]]; then
    log "INVALID run: ${FAILURES[*]}"
    exit 1
  fi
}
