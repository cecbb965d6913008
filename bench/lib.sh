# shellcheck shell=bash
# Helpers shared by the bench scripts (token-broker, bcss-proxy, wsb-receiver, dfdg-poller, codelist-service). Sourced (not run) by
# each, after it has set BENCH_DIR and ROOT and changed to ROOT; sourcing installs the cleanup trap and sets START_NS. The functions
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

# bench_build_args "$@": as bench_args, for the scripts that build first; --no-build sets BUILD=0 (else BUILD=1) and is
# kept in COMMAND.
bench_build_args() {
  local arg args=()
  BUILD=1
  for arg in "$@"; do
    if [[ "$arg" == --no-build ]]; then BUILD=0; else args+=("$arg"); fi
  done
  bench_args "${args[@]}"
  [[ "$BUILD" == 1 ]] || COMMAND="$COMMAND --no-build"
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

# await_ready NAME MGMT_URL LOGFILE [SECONDS]: waits until the management port answers /q/health/ready with 200
# (bounded: SECONDS, default 30).
await_ready() {
  local name=$1 url=$2 logfile=$3 limit_s=${4:-30} code=""
  for _ in $(seq 1 $(( limit_s * 2 ))); do
    code=$(curl -s -o "$TMP/ready.json" -w '%{http_code}' --max-time 5 "$url/q/health/ready" || true)
    if [[ "$code" == 200 ]]; then return 0; fi
    sleep 0.5
  done
  cat "$TMP/ready.json" >&2 2>/dev/null || true
  tail -30 "$logfile" >&2
  die "$name readiness $url/q/health/ready is not 200 (last: ${code:-none}) after $limit_s s"
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
# Log lines at WARN or above, plain or JSON ("level":"WARN"), and exceptions.
PROBLEM_RE='(^|[[:space:]])(WARN|WARNING|ERROR|SEVERE)[[:space:]:]|"level":"(WARN|WARNING|ERROR|SEVERE)"|Exception'
problem_lines() { grep -hE "$PROBLEM_RE" "$@" || true; }
warn_count() { grep -cE '(^|[[:space:]])(WARN|ERROR|SEVERE)[[:space:]]|"level":"(WARN|WARNING|ERROR|SEVERE)"' "$1" || true; }

json_field() { # json_field NAME JSON: value of a top-level string or number field (flat JSON only)
  printf '%s' "$2" | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\{0,1\}\([^\",}]*\)\"\{0,1\}.*/\1/p"
}

# ---------------------------------------------------------------- preconditions
require_commands() { local c; for c in "$@"; do command -v "$c" >/dev/null || die "$c not found"; done; }
# require_apt_command COMMAND PACKAGE: installs Debian's PACKAGE with apt-get when COMMAND is not on the PATH.
require_apt_command() {
  command -v "$1" >/dev/null && return 0
  log "$1 not found; installing it with apt-get install $2"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2"; } >&2 || die "cannot install $2"
  command -v "$1" >/dev/null || die "$1 still not found after installing $2"
}
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

# start_simulators [GATEWAY_PORT] [OPTION VALUE]...: starts the simulators (PKI in $PKI, output to $SIM_LOG) on
# OAUTH_PORT, ISSUER_PORT, ADMIN_PORT (and the REST gateway on GATEWAY_PORT), with the further options given (e.g.
# --codelist-port 31448 --postgres-port 31432 --postgres-dir DIR); sets SIM_PID; returns once every port is open
# (those of the --*-port options too, 0 = not started). The fake DFDG services and PostgreSQL start only when asked
# for: their defaults are the local stack's ports (8447, 8448, 5433) and data dir (.local-stack/postgres).
start_simulators() {
  local ports=("$OAUTH_PORT" "$ISSUER_PORT" "$ADMIN_PORT") extra=(--wsrm-port 0 --codelist-port 0 --postgres-port 0) p
  if [[ $# -gt 0 && "$1" != --* ]]; then ports+=("$1"); extra+=(--gateway-port "$1"); shift; fi
  while [[ $# -ge 2 ]]; do
    extra+=("$1" "$2")
    if [[ "$1" == --*-port && "$2" != 0 ]]; then ports+=("$2"); fi
    shift 2
  done
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

# listen_properties HTTP_PORT MGMT_PORT: Quarkus properties for listening on 127.0.0.1, with the production logging: JSON
# lines at INFO (audit lines included) to the console, which the scripts send to a file. BENCH_QUIET_LOGS=1 turns that
# into plain lines at WARN (to see what logging costs; a report made so says it).
listen_properties() {
  # config_ordinal: as in local/*.properties, -D and environment variables override a file given by
  # -Dquarkus.config.locations (otherwise it takes the system properties' ordinal, 400)
  cat <<EOF
config_ordinal=260
quarkus.http.host=127.0.0.1
quarkus.http.port=$1
quarkus.management.host=127.0.0.1
quarkus.management.port=$2
EOF
  if [[ "${BENCH_QUIET_LOGS:-0}" == 1 ]]; then
    printf '%s\n' quarkus.log.console.json.enabled=false quarkus.log.console.level=WARN
  else
    printf '%s\n' quarkus.log.console.json.enabled=true
  fi
}

# logging_setting: one line for a report's settings table, saying how the services logged during the run.
logging_setting() {
  if [[ "${BENCH_QUIET_LOGS:-0}" == 1 ]]; then echo "plain lines at WARN (BENCH_QUIET_LOGS=1; production logs JSON at INFO)"
  else echo "production: JSON lines at INFO to a file, audit lines included"; fi
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

# caller_jwt_properties [AUDIENCE]: Quarkus properties for verifying caller JWTs of the simulators' cluster issuer
# (reads ISSUER_PORT, PKI): JWKS fetched from 127.0.0.1 (the certificate has IP:127.0.0.1), issuer claim
# https://localhost:ISSUER_PORT, and the audience when given.
caller_jwt_properties() {
  echo "mp.jwt.verify.publickey.location=https://127.0.0.1:$ISSUER_PORT/openid/v1/jwks"
  echo "mp.jwt.verify.issuer=https://localhost:$ISSUER_PORT"
  if [[ $# -gt 0 ]]; then echo "mp.jwt.verify.audiences=$1"; fi
  echo "smallrye.jwt.client.tls.certificate.path=$PKI/server.crt"
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

broker.callers[0].subject=$CALLER_SUBJECT
broker.callers[0].scopes=scope:cbss:api:demo:consult,scope:cbss:api:demo:update
broker.callers[0].default-scopes=true
broker.callers[1].subject=system:serviceaccount:local:bcss-proxy
broker.callers[1].scopes=scope:cbss:api:demo:consult,scope:cbss:api:demo:update
EOF
    caller_jwt_properties
    echo
    listen_properties "$http_port" "$mgmt_port"
    if [[ -n "$startup_log" ]]; then startup_log_properties "$startup_log"; fi
  } >"$file"
}

# write_proxy_properties FILE HTTP_PORT MGMT_PORT BROKER_URL TOKEN_FILE: mirrors local/bcss-proxy.properties with the
# bench ports and absolute PKI paths (reads PKI, GATEWAY_PORT, ISSUER_PORT, CALLER_SUBJECT): the demo API at the gateway
# simulator over mutual TLS with the BCSS client certificate, CALLER_SUBJECT may call it, the broker at BROKER_URL with
# the proxy's own caller token from TOKEN_FILE.
write_proxy_properties() {
  local file=$1 http_port=$2 mgmt_port=$3 broker_url=$4 token_file=$5
  {
    cat <<EOF
proxy.environment=test
proxy.apis.demo.base-url=https://localhost:$GATEWAY_PORT/demo
proxy.apis.demo.scopes=scope:cbss:api:demo:consult,scope:cbss:api:demo:update
proxy.callers[0].subject=$CALLER_SUBJECT
proxy.callers[0].apis=demo
proxy.broker.url=$broker_url
proxy.broker.token-file=$token_file
quarkus.tls.bcss-gateway.trust-store.pem.certs=$PKI/server.crt
quarkus.tls.bcss-gateway.key-store.pem.0.cert=$PKI/bcss-signing.crt
quarkus.tls.bcss-gateway.key-store.pem.0.key=$PKI/bcss-signing.key
EOF
    caller_jwt_properties
    listen_properties "$http_port" "$mgmt_port"
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
EOF
    caller_jwt_properties wsb-receiver
    echo
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

# ---------------------------------------------------------------- dfdg-poller (dfdg-poller-bench.sh, dfdg-poller-crash.sh)
# write_poller_properties FILE HTTP_PORT MGMT_PORT WSRM_URL USER_IDENTIFIER INGEST_URL TOKEN_FILE EVERY INITIAL_DELAY:
# mirrors local/dfdg-poller.properties with the bench ports, the driver's fake DFDG and absolute PKI paths (reads PKI):
# mutual TLS with foces-client, the simulators' server certificate trusted, subscriber 8:58. Console at WARN.
write_poller_properties() {
  local file=$1 http_port=$2 mgmt_port=$3 wsrm_url=$4 user_identifier=$5 ingest_url=$6 token_file=$7 every=$8 delay=$9
  {
    cat <<EOP
poller.schedule.every=$every
poller.schedule.initial-delay=$delay
poller.dfdg.wsrm-service-url=$wsrm_url
poller.ingest.url=$ingest_url
poller.ingest.token-file=$token_file
dfdg.caller.organisation-type=8
dfdg.caller.organisation-code=58
dfdg.caller.user-full-name=socsec-gateway dfdg-poller (bench)
dfdg.caller.user-identifier=$user_identifier
quarkus.tls.dfdg.key-store.pem.0.cert=$PKI/foces-client.crt
quarkus.tls.dfdg.key-store.pem.0.key=$PKI/foces-client.key
quarkus.tls.dfdg.trust-store.pem.certs=$PKI/server.crt

EOP
    listen_properties "$http_port" "$mgmt_port"
  } >"$file"
}

clk_tck() { getconf CLK_TCK 2>/dev/null || echo 100; }
# cpu_ticks PID: user + system CPU time of a process in clock ticks (fields 14 and 15 of /proc/PID/stat), 0 if gone.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
ticks_s() { awk -v t="${1:-0}" -v hz="$(clk_tck)" 'BEGIN { printf "%.2f", t / hz }'; } # ticks_s TICKS: in seconds
percent() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { if (b > 0) printf "%.0f", 100 * a / b; else print "?" }'; }

# progress_value KEY: a value of the key=value lines the driver writes to $TMP/progress every 200 ms.
progress_value() { sed -n "s/^$1=//p" "$TMP/progress" 2>/dev/null | head -1 || true; }

# metric_lines URL REGEX: the Prometheus lines of URL/q/metrics whose name matches REGEX (none when it does not answer).
metric_lines() { curl -s --max-time 10 "$1/q/metrics" | grep -E "^($2)" || true; }

# dfdg_settings: the ports and settings both dfdg-poller scripts share (each overridden by BENCH_<NAME>): the
# receiver_ports, WSRM_PORT, POLLER_HTTP_PORT, POLLER_MGMT_PORT, POLLER_MGMT, COUNT, SERVICES, SEED, MAX_INVENTORY,
# EVERY, INITIAL_DELAY, INGEST_BATCH, POLLER_JAVA_OPTS, TIME_LIMIT_S.
dfdg_settings() {
  #              PostgreSQL issuer HTTP  webhook management
  receiver_ports 27432      27444  27083 27453   27003
  WSRM_PORT=${BENCH_WSRM_PORT:-27447}
  POLLER_HTTP_PORT=${BENCH_POLLER_HTTP_PORT:-27084}
  POLLER_MGMT_PORT=${BENCH_POLLER_MGMT_PORT:-27004}
  POLLER_MGMT=http://127.0.0.1:$POLLER_MGMT_PORT
  COUNT=${BENCH_COUNT:-50000}
  SERVICES=${BENCH_SERVICES:-5}
  SEED=${BENCH_SEED:-42}
  MAX_INVENTORY=${BENCH_MAX_INVENTORY:-10000}
  EVERY=${BENCH_EVERY:-10s}
  INITIAL_DELAY=${BENCH_INITIAL_DELAY:-2s}
  INGEST_BATCH=${BENCH_INGEST_BATCH:-500}
  read -r -a POLLER_JAVA_OPTS <<<"${BENCH_POLLER_JAVA_OPTS:-}"
  TIME_LIMIT_S=${BENCH_TIME_LIMIT_S:-600}
}

# dfdg_preconditions: the settings are valid, the ports free and the receiver, poller and simulators built; sets
# POLLER_JAR_TIME and POLLER_DIRTY for the report (and what receiver_preconditions sets).
dfdg_preconditions() {
  require_commands java curl
  [[ "$COUNT" =~ ^[0-9]+$ && "$COUNT" -ge 100 && "$COUNT" -le 200000 ]] || die "BENCH_COUNT must be 100-200000"
  [[ "$SERVICES" =~ ^[1-5]$ ]] || die "BENCH_SERVICES must be 1-5"
  receiver_preconditions
  require_free_ports "$WSRM_PORT" "$POLLER_HTTP_PORT" "$POLLER_MGMT_PORT"
  [[ -f dfdg-poller/target/quarkus-app/quarkus-run.jar ]] \
    || die "dfdg-poller/target/quarkus-app/quarkus-run.jar missing; build first: ./mvnw -B -q -DskipTests install"
  POLLER_JAR_TIME=$(date -u -r dfdg-poller/target/quarkus-app/quarkus-run.jar +%Y-%m-%dT%H:%M:%SZ)
  POLLER_DIRTY=$(git status --porcelain -- dfdg-poller/src dfdg-soap/src 2>/dev/null | wc -l | tr -d ' ')
}

# start_dfdg_stack NAME SEQUENCE_EXPIRY_S: copies the artifacts (TMP, with the poller in $TMP/dfdg-poller), starts
# bench/DfdgPollerBench.java (PostgreSQL, issuer, fake DFDG with COUNT messages queued; sets DRIVER_PID, DRIVER_JAVA_PID,
# JDBC_URL) and the receiver (RECEIVER_PID, ready), and writes the poller's properties ($TMP/dfdg-poller.properties).
start_dfdg_stack() {
  local name=$1 expiry_s=$2
  stage_receiver_driver "$name" DfdgPollerBench.java
  cp -a dfdg-poller/target/quarkus-app "$TMP/dfdg-poller"
  start_driver "$(( TIME_LIMIT_S - 30 ))" --dir "$TMP" --pg-port "$PG_PORT" --issuer-port "$ISSUER_PORT" \
    --wsrm-port "$WSRM_PORT" --http-port "$HTTP_PORT" --count "$COUNT" --services "$SERVICES" --seed "$SEED" \
    --max-inventory "$MAX_INVENTORY" --sequence-expiry-s "$expiry_s" --timeout "$(( TIME_LIMIT_S - 60 ))"
  DRIVER_JAVA_PID=$(ps -o pid= --ppid "$DRIVER_PID" | head -1 | tr -d ' ') # the JVM under timeout(1)
  write_receiver_properties "$TMP/wsb-receiver.properties" "$HTTP_PORT" "$WEBHOOK_PORT" "$MGMT_PORT" "$JDBC_URL" \
    "$(driver_env PIN)"
  start_quarkus "$TMP/wsb-receiver" "$TMP/wsb-receiver.properties" "$TMP/logs/wsb-receiver.log"
  RECEIVER_PID=$QUARKUS_PID
  await_ready wsb-receiver "$MGMT" "$TMP/logs/wsb-receiver.log"
  log "wsb-receiver ready (pid $RECEIVER_PID)"
  write_poller_properties "$TMP/dfdg-poller.properties" "$POLLER_HTTP_PORT" "$POLLER_MGMT_PORT" "$(driver_env WSRM_URL)" \
    "$(driver_env USER_IDENTIFIER)" "http://127.0.0.1:$HTTP_PORT" "$TMP/dfdg-poller.token" "$EVERY" "$INITIAL_DELAY"
  echo "poller.wsrm.ingest-batch=$INGEST_BATCH" >>"$TMP/dfdg-poller.properties"
}

# start_poller LOGFILE STARTUP_LOG: launches the packaged poller with $TMP/dfdg-poller.properties (and io.quarkus at
# INFO to STARTUP_LOG, for the "started in" line); sets POLLER_PID and POLLER_LAUNCHED_MS.
start_poller() {
  cp "$TMP/dfdg-poller.properties" "$TMP/dfdg-poller-run.properties"
  startup_log_properties "$2" >>"$TMP/dfdg-poller-run.properties"
  start_quarkus "$TMP/dfdg-poller" "$TMP/dfdg-poller-run.properties" "$1" "${POLLER_JAVA_OPTS[@]}"
  POLLER_PID=$QUARKUS_PID
  POLLER_LAUNCHED_MS=$(( QUARKUS_LAUNCHED_NS / 1000000 ))
}

# dfdg_setup_lines: the report's set-up items both dfdg-poller scripts share.
dfdg_setup_lines() {
  echo "- \`bench/DfdgPollerBench.java\` (one JVM) runs PostgreSQL 16 (embedded, fsync on, data on disk in the temp dir), the"
  echo "  caller-token issuer and the fake DFDG WSRM service (\`wsrm.DfdgWsrmSimulator\`, mutual TLS requiring foces-client,"
  echo "  maxInventory $MAX_INVENTORY messages per CreateSequence, at most 500 per Get answer, acknowledgements on, sequence"
  echo "  expiry $1 s without a call), and enqueues $COUNT messages for subscriber 8:58 over $SERVICES Get operations"
  echo "  (\`WsrmLoad\`, seed $SEED, $(( COUNT / 4 )) citizens)."
  echo "- The packaged wsb-receiver (\`quarkus-run.jar\`, default JVM options), \`POST /v1/ingest\` on http://127.0.0.1:$HTTP_PORT."
  echo "- The packaged dfdg-poller (\`quarkus-run.jar\`, JVM options: ${BENCH_POLLER_JAVA_OPTS:-default}), configured like"
  echo "  \`local/dfdg-poller.properties\`: \`poller.schedule.every=$EVERY\`, \`initial-delay=$INITIAL_DELAY\`,"
  echo "  \`poller.wsrm.ingest-batch=$INGEST_BATCH\`, \`acknowledge=auto\`, console at WARN."
  echo "- At the end the driver reads the whole feed with \`GET /v1/events?after=<next>&limit=1000\` from cursor 0 (reader"
  echo "  token, audience wsb-receiver) and compares it with every MessageIdentifier it enqueued and with what DFDG deleted."
}

# dfdg_check_figures: adds to FAILURES what the driver's figures (read_driver_figures) say is wrong.
dfdg_check_figures() {
  is_ok() { [[ "${FIG[$1]:-}" == "$2" ]]; }
  is_ok enqueued "$COUNT" || FAILURES+=("$(f enqueued) messages enqueued, not $COUNT")
  is_ok lost 0 || FAILURES+=("$(f lost) message(s) lost (enqueued, not stored): $(f lost_ids)")
  is_ok db_duplicated_ids 0 || FAILURES+=("$(f db_duplicated_ids) message id(s) stored more than once")
  is_ok db_unexpected_ids 0 || FAILURES+=("$(f db_unexpected_ids) stored id(s) DFDG never enqueued")
  is_ok feed_duplicated_ids 0 || FAILURES+=("$(f feed_duplicated_ids) message id(s) more than once in the feed")
  is_ok feed_missing_ids 0 || FAILURES+=("$(f feed_missing_ids) enqueued message id(s) not in the feed")
  is_ok feed_not_enqueued 0 || FAILURES+=("$(f feed_not_enqueued) feed event(s) with an id DFDG never enqueued")
  is_ok feed_events "$COUNT" || FAILURES+=("$(f feed_events) feed events, not $COUNT")
  is_ok dfdg_deleted "$COUNT" || FAILURES+=("$(f dfdg_deleted) messages deleted at DFDG, not $COUNT")
  is_ok dfdg_deleted_not_enqueued 0 || FAILURES+=("$(f dfdg_deleted_not_enqueued) deleted id(s) never enqueued")
  is_ok dfdg_queued 0 || FAILURES+=("$(f dfdg_queued) messages still queued at DFDG")
  is_ok feed_cursor_strictly_increasing true || FAILURES+=("the feed cursors are not strictly increasing")
  is_ok feed_message_id_mismatch 0 || FAILURES+=("$(f feed_message_id_mismatch) event(s) whose message carries another MessageIdentifier")
}

# dfdg_check_rows: the report's table rows of the checks both dfdg-poller scripts share.
dfdg_check_rows() {
  echo "| Deleted at DFDG (TerminateSequence) / still queued / in flight | $(f dfdg_deleted) / $(f dfdg_queued) / $(f dfdg_in_flight) | $COUNT / 0 / 0 |"
  echo "| **Lost** (enqueued, not stored) | **$(f lost)** | **0** |"
  echo "| Stored unique ids / ids stored more than once / stored ids never enqueued | $(f db_stored_unique_ids) / $(f db_duplicated_ids) / $(f db_unexpected_ids) | $COUNT / 0 / 0 |"
  echo "| Feed read from cursor 0: events / pages | $(f feed_events) / $(f feed_pages) | $COUNT |"
  echo "| **Duplicated in the feed** (ids more than once) | **$(f feed_duplicated_ids)** | **0** |"
  echo "| Enqueued but missing from the feed / in the feed but never enqueued | $(f feed_missing_ids) / $(f feed_not_enqueued) | 0 / 0 |"
  echo "| Feed events per MessageType / enqueued per service | $(f feed_per_type) / $(f enqueued_per_service) | equal |"
  echo "| Feed cursors strictly increasing | $(f feed_cursor_strictly_increasing) | true |"
}

# logs_section LOGFILE...: the report's "Logs at WARN and above" section (at most 20 lines per log).
logs_section() {
  local logfile lines
  echo "## Logs at WARN and above"
  for logfile in "$@"; do
    echo
    echo "$(basename "$logfile"):"
    echo '```'
    lines=$(problem_lines "$logfile")
    if [[ -n "$lines" ]]; then head -20 <<<"$lines"; [[ $(wc -l <<<"$lines") -le 20 ]] || echo "... ($(wc -l <<<"$lines") lines)"; else echo "(none)"; fi
    echo '```'
  done
}

# poller_metric NAME_WITH_LABELS: its value in POLLER_METRICS (0 if absent).
poller_metric() {
  awk -v n="$1" '$1 == n { printf "%.0f", $2; found = 1 } END { if (!found) print 0 }' <<<"$POLLER_METRICS"
}

# read_final_counters: waits (bounded: 20 s) until the poller counts a drain that emptied the queue (the drain ends
# with a CreateSequence that finds it empty), then sets POLLER_METRICS and RECEIVER_METRICS.
read_final_counters() {
  POLLER_METRICS=""
  for _ in $(seq 1 100); do
    POLLER_METRICS=$(metric_lines "$POLLER_MGMT" 'dfdg_wsrm_|dfdg_soap_faults_total')
    grep -qE '^dfdg_wsrm_last_success_timestamp_seconds [1-9]' <<<"$POLLER_METRICS" && break
    sleep 0.2
  done
  RECEIVER_METRICS=$(metric_lines "$MGMT" 'wsb_messages_received_total\{channel="wsrm"|wsb_wsrm_sequences_recorded_total')
}

# finish_dfdg_driver: waits for the driver's checks, stops the poller and the receiver, lets the driver exit; sets
# DRIVER_RC and the driver's figures (read_driver_figures).
finish_dfdg_driver() {
  DRIVER_RC=0
  while kill -0 "$DRIVER_PID" 2>/dev/null && [[ ! -f "$TMP/finished" ]]; do
    [[ $(remaining_s) -gt 0 ]] || die "time limit of $TIME_LIMIT_S s reached (waiting for the driver's checks)"
    sleep 0.5
  done
  kill -TERM "$POLLER_PID" 2>/dev/null || true
  stop_receiver_for_driver "$RECEIVER_PID"
  wait "$DRIVER_PID" || DRIVER_RC=$?
  log "driver exited $DRIVER_RC"
  read_driver_figures
  [[ "$DRIVER_RC" == 0 ]] || FAILURES+=("the driver exited $DRIVER_RC ($(grep -h '^fatal=' "$TMP/driver.out" || echo 'a check failed'))")
}

# ---------------------------------------------------------------- wrk runs, CPU figures (codelist-service-bench.sh)
# wrk_figures RUN FILE: R[RUN.key] = the figures of a wrk output using bearer-get.lua: rps, p50, p75, p90, p99, max,
# requests, seconds, non200, wrong_length, socket_errors (empty when missing).
declare -A R=()
wrk_figures() {
  local run=$1 out
  out=$(cat "$2" 2>/dev/null || true)
  R[$run.rps]=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  R[$run.p50]=$(awk '$1 == "50%" {print $2}' <<<"$out")
  R[$run.p75]=$(awk '$1 == "75%" {print $2}' <<<"$out")
  R[$run.p90]=$(awk '$1 == "90%" {print $2}' <<<"$out")
  R[$run.p99]=$(awk '$1 == "99%" {print $2}' <<<"$out")
  R[$run.max]=$(awk '$1 == "Latency" && NF >= 4 {print $4; exit}' <<<"$out")
  R[$run.requests]=$(sed -n 's/^ *\([0-9]*\) requests in \([0-9.]*\)\(m\{0,1\}s\).*/\1/p' <<<"$out")
  R[$run.seconds]=$(sed -n 's/^ *[0-9]* requests in \([0-9.]*\)\(m\{0,1\}s\).*/\1 \2/p' <<<"$out" \
    | awk '{ print ($2 == "ms") ? $1 / 1000 : $1 }')
  R[$run.non200]=$(sed -n 's/^bench: .* non200=\([0-9]*\).*/\1/p' <<<"$out")
  R[$run.wrong_length]=$(sed -n 's/^bench: .* wrong_length=\([0-9]*\).*/\1/p' <<<"$out")
  R[$run.socket_errors]=$(sed -n 's/^bench: .* socket_errors=\([0-9]*\).*/\1/p' <<<"$out")
}
r() { printf '%s' "${R[$1]:-?}"; } # r RUN.key: a figure of wrk_figures ("?" if none)

# wrk_check RUN WHAT: adds to FAILURES what makes a wrk run invalid: no figures, non-200 answers, bodies of another
# length, socket errors.
wrk_check() {
  local run=$1 what=$2
  if [[ -z "${R[$run.rps]:-}" || -z "${R[$run.non200]:-}" ]]; then FAILURES+=("$what: cannot parse the wrk output"); return; fi
  [[ "${R[$run.non200]}" == 0 ]] || FAILURES+=("$what: ${R[$run.non200]} non-200 answers")
  [[ "${R[$run.wrong_length]:-0}" == 0 ]] || FAILURES+=("$what: ${R[$run.wrong_length]} 200 answers with a body of another length")
  [[ "${R[$run.socket_errors]:-0}" == 0 ]] || FAILURES+=("$what: ${R[$run.socket_errors]} socket errors")
}

# machine_ticks: "BUSY TOTAL" clock ticks of all CPUs since boot (/proc/stat; busy = user nice system irq softirq steal).
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat; }
# tree_ticks PID: cpu_ticks of PID and its children (e.g. an nginx master and its workers).
tree_ticks() {
  local pid sum=0
  for pid in "$1" $(ps -o pid= --ppid "$1" 2>/dev/null); do sum=$(( sum + $(cpu_ticks "$pid") )); done
  echo "$sum"
}
# children_ticks: sets CHILDREN_TICKS = user + system CPU of the waited-for children of this shell so far (bash
# times), in clock ticks. Call it plainly, not in $(...): times must run in this shell, not in a subshell.
children_ticks() {
  times >"$TMP/times"
  CHILDREN_TICKS=$(awk -v hz="$(clk_tck)" 'NR == 2 {
    t = 0
    for (i = 1; i <= 2; i++) { split($i, a, "m"); sub(/s$/, "", a[2]); t += a[1] * 60 + a[2] }
    printf "%.0f", t * hz }' "$TMP/times")
}
cores() { awk -v t="${1:-0}" -v s="${2:-0}" -v hz="$(clk_tck)" 'BEGIN { if (s > 0) printf "%.2f", t / hz / s; else print "?" }'; } # cores TICKS SECONDS

# ---------------------------------------------------------------- codelist-service (codelist-service-bench.sh)
# write_codelist_properties FILE HTTP_PORT MGMT_PORT DFDG_URL JDBC_URL [STARTUP_LOG]: mirrors
# local/codelist-service.properties with the bench ports, the bench's fake DFDG CodeListService and PostgreSQL (schema
# codelist) and absolute PKI paths (reads PKI, ISSUER_PORT, CALLER_SUBJECT, the only reader). As there, the schedule
# is checked every 5 s (production: 1m), so that the first fetch of every list follows the start within seconds (the
# first check comes check-every after the start). Console at WARN; with STARTUP_LOG, see startup_log_properties, and
# the service's own INFO lines (one per fetch, nothing per request) go there too.
write_codelist_properties() {
  local file=$1 http_port=$2 mgmt_port=$3 dfdg_url=$4 jdbc_url=$5 startup_log=${6:-}
  {
    cat <<EOP
codelist.lists.client-system-types.operation=GetClientSystemTypeIdentifierTypeCodeList
codelist.lists.activation-types.operation=GetActivationTypeIdentifierCodeList
codelist.lists.jobcentres.operation=GetJobcenterIdentifierCodeList
codelist.lists.unemployment-funds.operation=GetUnemploymentFundIdentifierCodeList
codelist.lists.municipalities.operation=GetMunicipalityIdentifierCodeList
codelist.lists.client-categories.operation=GetClientCategoryIdentifierCodeList
codelist.dfdg.code-list-service-url=$dfdg_url
codelist.schedule.check-every=5s
codelist.access.readers=$CALLER_SUBJECT
dfdg.caller.organisation-type=8
dfdg.caller.organisation-code=58
dfdg.caller.user-full-name=socsec-gateway codelist-service (bench)
# the identity in the simulators' foces-client certificate (LocalPki.FOCES_CLIENT_USER_IDENTIFIER)
dfdg.caller.user-identifier=CVR:12345678-UUID:5f1c2c3e-8d1a-4c55-9f43-0c7a2e6b9d10
quarkus.tls.dfdg.key-store.pem.0.cert=$PKI/foces-client.crt
quarkus.tls.dfdg.key-store.pem.0.key=$PKI/foces-client.key
quarkus.tls.dfdg.trust-store.pem.certs=$PKI/server.crt
quarkus.datasource.jdbc.url=$jdbc_url
quarkus.datasource.username=postgres
quarkus.datasource.password=bench
quarkus.flyway.schemas=codelist
EOP
    caller_jwt_properties codelist-service
    echo
    listen_properties "$http_port" "$mgmt_port"
    if [[ -n "$startup_log" ]]; then
      startup_log_properties "$startup_log"
      echo 'quarkus.log.category."org.socsecgateway".handlers=startup'
    fi
  } >"$file"
}

# write_nginx_conf DIR PORT: DIR/nginx.conf for Debian's nginx serving DIR/html on 127.0.0.1:PORT: one worker per
# CPU, no access log, keep-alive (no cap on requests per connection), default_type application/json; pid, error log
# and temp paths in DIR. Run it with start_nginx. Exact-match locations map the codelist-service URLs to files:
# /v1/codelists/municipalities/101 to html/code, /v1/codelists/municipalities to html/list.
write_nginx_conf() {
  local dir=$1 port=$2 user_line=""
  mkdir -p "$dir/html" "$dir/temp"
  # as root, the workers would switch to nobody, who cannot read the temp dir (mode 700)
  if [[ $EUID == 0 ]]; then user_line="user $(id -un) $(id -gn);"; fi
  cat >"$dir/nginx.conf" <<EON
$user_line
worker_processes $(nproc);
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
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
        location = /v1/codelists/municipalities/101 { try_files /code =404; }
        location = /v1/codelists/municipalities { try_files /list =404; }
        location / { return 404; }
    }
}
EON
}

# start_nginx DIR LOGFILE: runs nginx with DIR/nginx.conf in the foreground (daemon off) as a child, so cleanup
# stops it; sets NGINX_PID (the master) and returns once its port is open.
start_nginx() {
  local dir=$1 logfile=$2 port
  nginx -t -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" >"$logfile" 2>&1 \
    || { cat "$logfile" >&2; die "nginx rejects $dir/nginx.conf"; }
  nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' >>"$logfile" 2>&1 &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  port=$(sed -n 's/^ *listen 127\.0\.0\.1:\([0-9]*\);/\1/p' "$dir/nginx.conf")
  await_port nginx "$port" "$NGINX_PID" "$logfile"
}

# ---------------------------------------------------------------- flame graphs (async-profiler from Maven Central)
# async-profiler's agent (tools.profiler:async-profiler, the jar carries libasyncProfiler.so) is loaded into a running
# JVM with jcmd for the measured phase only, so start-up and warm-up stay out of the graph. Start the JVM with
# PROFILER_JVM_OPTS for accurate frames between safepoints.
ASYNC_PROFILER_VERSION=${ASYNC_PROFILER_VERSION:-4.1}
PROFILER_JVM_OPTS=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints)
ASYNC_PROFILER_LIB=""

# async_profiler_lib: sets ASYNC_PROFILER_LIB to the extracted libasyncProfiler.so (in TMP), fetching the jar into
# ~/.m2 with ./mvnw dependency:get when it is not there yet.
async_profiler_lib() {
  [[ -n "$ASYNC_PROFILER_LIB" ]] && return 0
  local jar=$HOME/.m2/repository/tools/profiler/async-profiler/$ASYNC_PROFILER_VERSION/async-profiler-$ASYNC_PROFILER_VERSION.jar
  if [[ ! -f "$jar" ]]; then
    ./mvnw -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION" -Dtransitive=false \
      >"$TMP/logs/async-profiler-get.log" 2>&1 || die "cannot fetch async-profiler $ASYNC_PROFILER_VERSION (see $TMP/logs)"
  fi
  mkdir -p "$TMP/async-profiler"
  unzip -o -q "$jar" linux-x64/libasyncProfiler.so -d "$TMP/async-profiler" || die "no linux-x64 library in $jar"
  ASYNC_PROFILER_LIB=$TMP/async-profiler/linux-x64/libasyncProfiler.so
}

# profile_start PID [EVENT]: starts sampling PID (EVENT cpu by default, 1 ms interval; itimer where perf events are
# refused). jcmd passes the agent's options as one quoted argument, or it would parse them as its own key=value pairs.
profile_start() {
  async_profiler_lib
  jcmd "$1" JVMTI.agent_load "$ASYNC_PROFILER_LIB" "\"start,event=${2:-cpu},interval=1ms\"" >"$TMP/logs/profile-$1.log" 2>&1 \
    || { log "profiler did not start on $1: $(tail -c 300 "$TMP/logs/profile-$1.log")"; return 1; }
}

# profile_stop PID FILE.html: stops sampling PID and writes the flame graph (self-contained HTML) to FILE.
profile_stop() {
  jcmd "$1" JVMTI.agent_load "$ASYNC_PROFILER_LIB" "\"stop,file=$2\"" >>"$TMP/logs/profile-$1.log" 2>&1 && [[ -s "$2" ]] \
    || { log "profiler did not write $2: $(tail -c 300 "$TMP/logs/profile-$1.log")"; return 1; }
}

# flame_graph_dir SERVICE: bench/reports/flame-graphs/SERVICE (created); the graphs of a run are named after its report.
flame_graph_dir() { mkdir -p "$BENCH_DIR/reports/flame-graphs/$1" && echo "$BENCH_DIR/reports/flame-graphs/$1"; }

# ---------------------------------------------------------------- the pods' JVM settings (startup-bench.sh, soak.sh)
# What a pod's JVM gets besides the chart's JDK_JAVA_OPTIONS (templates/_helpers.tpl, which replaces the image's own
# JDK_JAVA_OPTIONS as a whole): the options fixed in the Dockerfile.jvm ENTRYPOINT. BENCH_IMAGE_JAVA_OPTS replaces them.
FOOTPRINT_IMAGE_JAVA_OPTS="-Djava.util.logging.manager=org.jboss.logmanager.LogManager -XX:+ExitOnOutOfMemoryError"
FOOTPRINT_CHART=deploy/charts/socsec-gateway
declare -A FOOTPRINT_SECTION=([token-broker]=tokenBroker [bcss-proxy]=bcssProxy [wsb-receiver]=wsbReceiver
  [dfdg-poller]=dfdgPoller [codelist-service]=codelistService)

# footprint_chart_value SECTION KEY: a scalar of the chart's values.yaml under the top-level SECTION (e.g. tokenBroker
# javaOpts; "limits.memory", "limits.cpu" for resources.limits), quotes removed.
footprint_chart_value() {
  awk -v section="$1:" -v key="$2" '
    function unquote(v) { gsub(/^[ "]+|[ "]+$/, "", v); return v }
    /^[^ #]/ { in_section = ($1 == section); in_limits = 0; next }
    !in_section { next }
    /^    limits:/ { in_limits = 1; next }
    /^    [a-z]/ { in_limits = 0 }
    key !~ /^limits\./ && $1 == key ":" && /^  [a-zA-Z]/ { sub(/^[^:]*:/, ""); print unquote($0); exit }
    in_limits && key ~ /^limits\./ && $1 == substr(key, 8) ":" { sub(/^[^:]*:/, ""); print unquote($0); exit }
  ' "$FOOTPRINT_CHART/values.yaml"
}
# footprint_bytes 512Mi: bytes of a Kubernetes quantity (Ki, Mi, Gi, k, M, G, plain).
footprint_bytes() {
  awk -v q="$1" 'BEGIN {
    n = q + 0; u = q; sub(/^[0-9.]+/, "", u)
    m = (u == "Ki") ? 1024 : (u == "Mi") ? 1048576 : (u == "Gi") ? 1073741824 : (u == "k") ? 1e3 : (u == "M") ? 1e6 : (u == "G") ? 1e9 : 1
    printf "%.0f", n * m }'
}
# footprint_cpus 1 | 500m: whole CPUs, at least 1 (the JVM rounds a CPU quota up the same way).
footprint_cpus() {
  awk -v q="$1" 'BEGIN { n = (q ~ /m$/) ? (q + 0) / 1000 : q + 0; c = int(n); if (c < n) c++; if (c < 1) c = 1; print c }'
}
# footprint_chart_jvm_options: the options the chart puts into every pod's JDK_JAVA_OPTIONS before the service's
# javaOpts (templates/_helpers.tpl, socsec.jvmOptions). Dies when the chart does not have them.
footprint_chart_jvm_options() {
  local options
  options=$(sed -n 's/.*printf "\(-D[^%]*\) %s".*/\1/p' "$FOOTPRINT_CHART/templates/_helpers.tpl" | head -1)
  [[ "$options" == *-Djava.util.logging.manager=* ]] \
    || die "cannot read the JVM options (socsec.jvmOptions) from $FOOTPRINT_CHART/templates/_helpers.tpl"
  printf '%s' "$options"
}
# footprint_java_opts SERVICE CPUS: the JVM options of SERVICE's pod: the image's entrypoint options, the chart's JDK_JAVA_OPTIONS
# (templates/_helpers.tpl, then the service's javaOpts), the memory limit as -XX:MaxRAM (no cgroup limit here) and,
# unless CPUS is 0, -XX:ActiveProcessorCount=CPUS. Dies when the chart does not have them.
footprint_java_opts() {
  local section=${FOOTPRINT_SECTION[$1]} append java_opts mem
  append=$(footprint_chart_jvm_options)
  java_opts=$(footprint_chart_value "$section" javaOpts)
  mem=$(footprint_chart_value "$section" limits.memory)
  [[ -n "$mem" ]] || die "no resources.limits.memory under $section in $FOOTPRINT_CHART/values.yaml"
  printf '%s' "${BENCH_IMAGE_JAVA_OPTS-$FOOTPRINT_IMAGE_JAVA_OPTS} $append $java_opts -XX:MaxRAM=$(footprint_bytes "$mem")"
  if [[ "$2" != 0 ]]; then printf ' -XX:ActiveProcessorCount=%s' "$2"; fi
}

# footprint_await_unbound PORT...: waits (10 s at most) until no TCP socket of this machine (TIME-WAIT aside, which
# does not stop a bind with SO_REUSEADDR) has one of these local ports.
# The bench ports lie in Linux's ephemeral range (32768-60999): a client connection of any process may briefly hold
# one, and a server started then cannot bind it. Returns 1 if one is still taken.
footprint_await_unbound() {
  local p busy
  for _ in $(seq 1 50); do
    busy=""
    for p in "$@"; do
      if [[ -n "$(ss -Htan exclude time-wait "sport = :$p" 2>/dev/null)" ]]; then busy=$p; break; fi
    done
    [[ -n "$busy" ]] || return 0
    sleep 0.2
  done
  log "port $busy is still taken by another socket: $(ss -Htanp "sport = :$busy" 2>/dev/null | head -1)"
  return 1
}
