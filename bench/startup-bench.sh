#!/usr/bin/env bash
# Start-up time and idle footprint of the five services with the Helm chart's JVM settings, next to the anchor in the
# same run: the smallest Quarkus REST application (bench/startup-anchor: quarkus-rest, one @GET, the project's Quarkus
# version) started the same way.
#   bench/startup-bench.sh              build (./mvnw -B -q -pl <services>,simulators -am package -DskipTests), then measure
#   bench/startup-bench.sh --no-build   measure what was built before (the anchor is built if it is missing)
# Every JVM runs as in its pod: the image's entrypoint options (log manager, exit on OutOfMemoryError), the chart's
# JDK_JAVA_OPTIONS (templates/_helpers.tpl: ParallelGC, heap free ratios 10/20) with the service's javaOpts
# (values.yaml, e.g. -XX:MaxRAMPercentage=50),
# the container limits emulated: memory with -XX:MaxRAM=<limit> (no cgroup limit here), CPU with
# -XX:ActiveProcessorCount=<limit> and taskset on as many CPUs. Each JVM starts once unmeasured (page cache, Flyway's
# first migration, codelist-service's first fetch), then BENCH_STARTS times; for each start the script records
# Quarkus' "started in", launch to ready (services: management /q/health/ready = 200; anchor: GET /hello = 200;
# polled every 50 ms), the process CPU time to ready, the RSS 2 s after ready (idle) and after BENCH_REQUESTS
# requests on one keep-alive connection (a typical call of the service, see the report).
# Goal per service: median "started in" < 2 s and median idle RSS < 200 MiB; a missed goal is reported,
# not a failure. Writes bench/reports/startup-<UTC date>.md and startup-latest.md, then prints the report. Exits
# non-zero when a step fails or a run is invalid (a JVM not ready within 60 s, no "started in" line, a request not
# answered 2xx). About 5 minutes on 2 CPUs without the build; bounded by BENCH_TIME_LIMIT_S (1200).
# Settings: BENCH_STARTS (5), BENCH_REQUESTS (200), BENCH_SERVICES (all five, space-separated), BENCH_CPUS (the
# chart's CPU limit; 0 = no taskset/ActiveProcessorCount), BENCH_IMAGE_JAVA_OPTS (the image's defaults, see below),
# BENCH_STARTUP_JAVA_OPTS (extra options for every JVM, anchor included; for experiments), BENCH_APPCDS (auto: use
# quarkus-app/app-cds.jsa where the build made one; 0 = never), BENCH_PROFILE (1: one more start of each JVM, not
# counted, with async-profiler from launch to ready, flame graphs in reports/flame-graphs/startup/; 0 = none); ports BENCH_OAUTH_PORT, BENCH_ISSUER_PORT,
# BENCH_ADMIN_PORT, BENCH_GATEWAY_PORT, BENCH_WSRM_PORT, BENCH_CODELIST_PORT, BENCH_PG_PORT, BENCH_HTTP_PORT,
# BENCH_MGMT_PORT, BENCH_WEBHOOK_PORT, BENCH_BROKER_PORT, BENCH_BROKER_MGMT_PORT (33443, 33444, 33099, 33445, 33447,
# 33448, 33432, 33080, 33090, 33453, 33081, 33091); BENCH_TIME_LIMIT_S; BENCH_KEEP_TMP=1 keeps the temp dir (logs).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"

bench_build_args "$@"

OAUTH_PORT=${BENCH_OAUTH_PORT:-33443}
ISSUER_PORT=${BENCH_ISSUER_PORT:-33444}
ADMIN_PORT=${BENCH_ADMIN_PORT:-33099}
GATEWAY_PORT=${BENCH_GATEWAY_PORT:-33445}
WSRM_PORT=${BENCH_WSRM_PORT:-33447}
CODELIST_PORT=${BENCH_CODELIST_PORT:-33448}
PG_PORT=${BENCH_PG_PORT:-33432}
HTTP_PORT=${BENCH_HTTP_PORT:-33080}
MGMT_PORT=${BENCH_MGMT_PORT:-33090}
WEBHOOK_PORT=${BENCH_WEBHOOK_PORT:-33453}
BROKER_PORT=${BENCH_BROKER_PORT:-33081}
BROKER_MGMT_PORT=${BENCH_BROKER_MGMT_PORT:-33091}
STARTS=${BENCH_STARTS:-5}
REQUESTS=${BENCH_REQUESTS:-200}
SERVICES_LIST=${BENCH_SERVICES:-token-broker bcss-proxy wsb-receiver dfdg-poller codelist-service}
APPCDS=${BENCH_APPCDS:-auto}
PROFILE=${BENCH_PROFILE:-1}
read -r -a EXTRA_JAVA_OPTS <<<"${BENCH_STARTUP_JAVA_OPTS:-}"
read -r -a IMAGE_JAVA_OPTS <<<"${BENCH_IMAGE_JAVA_OPTS-$FOOTPRINT_IMAGE_JAVA_OPTS}" # lib.sh: the image's defaults
TIME_LIMIT_S=${BENCH_TIME_LIMIT_S:-1200}
GOAL_START_S=2.0
GOAL_RSS_MIB=200

CALLER_SUBJECT=system:serviceaccount:bench:reader
ADMIN=http://127.0.0.1:$ADMIN_PORT
MGMT=http://127.0.0.1:$MGMT_PORT

# ---------------------------------------------------------------- preconditions
[[ "$STARTS" =~ ^[1-9]$|^1[0-9]$|^20$ ]] || die "BENCH_STARTS must be 1-20"
[[ "$REQUESTS" =~ ^[1-9][0-9]*$ && "$REQUESTS" -le 5000 ]] || die "BENCH_REQUESTS must be 1-5000"
[[ "$APPCDS" =~ ^(auto|0)$ ]] || die "BENCH_APPCDS must be auto or 0"
[[ "$PROFILE" =~ ^[01]$ ]] || die "BENCH_PROFILE must be 0 or 1"
for s in $SERVICES_LIST; do
  [[ "$s" =~ ^(token-broker|bcss-proxy|wsb-receiver|dfdg-poller|codelist-service)$ ]] || die "unknown service in BENCH_SERVICES: $s"
done
require_commands java curl keytool awk ss
if [[ "${BENCH_CPUS:-}" != 0 ]]; then require_commands taskset; fi
if [[ "$PROFILE" == 1 ]]; then require_commands jcmd unzip; fi
require_free_ports "$OAUTH_PORT" "$ISSUER_PORT" "$ADMIN_PORT" "$GATEWAY_PORT" "$WSRM_PORT" "$CODELIST_PORT" "$PG_PORT" \
  "$HTTP_PORT" "$MGMT_PORT" "$WEBHOOK_PORT" "$BROKER_PORT" "$BROKER_MGMT_PORT"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- the chart's JVM settings (lib.sh footprint_*)
CHART=$FOOTPRINT_CHART
CHART_APPEND=$(sed -n 's/.*printf "\(-D[^%]*\) %s".*/\1/p' "$CHART/templates/_helpers.tpl" | head -1)
FOOTPRINT_SECTION["anchor"]=tokenBroker
declare -A JOPTS=() MEM_LIMIT=() CPU_LIMIT=() HEAP_MAX=() GC_NAME=()
# jvm_settings NAME: JOPTS[NAME] = the JVM options of NAME's pod (the anchor gets token-broker's: 512Mi, 1 CPU, 75 %).
jvm_settings() {
  local name=$1 section=${FOOTPRINT_SECTION[$1]} cpus flags
  MEM_LIMIT[$name]=$(footprint_chart_value "$section" limits.memory)
  CPU_LIMIT[$name]=$(footprint_chart_value "$section" limits.cpu)
  [[ -n "${CPU_LIMIT[$name]}" ]] || die "no resources.limits.cpu under $section in $CHART/values.yaml"
  cpus=${BENCH_CPUS:-$(footprint_cpus "${CPU_LIMIT[$name]}")}
  JOPTS[$name]="$(footprint_java_opts "$name" "$cpus")${EXTRA_JAVA_OPTS[*]:+ ${EXTRA_JAVA_OPTS[*]}}"
  # shellcheck disable=SC2086 # a list of options
  flags=$(java ${JOPTS[$name]} -XX:+PrintFlagsFinal -version 2>/dev/null)
  HEAP_MAX[$name]=$(awk '$2 == "MaxHeapSize" { printf "%.0f", $4 / 1048576 }' <<<"$flags")
  GC_NAME[$name]=$(awk '$2 ~ /^Use(Serial|Parallel|G1|Z|Shenandoah)GC$/ && $4 == "true" { sub(/^Use/, "", $2); print $2 }' <<<"$flags" | head -1)
}
taskset_prefix() { # the taskset command that emulates NAME's CPU limit (none with BENCH_CPUS=0)
  local cpus=${BENCH_CPUS:-$(footprint_cpus "${CPU_LIMIT[$1]}")}
  if [[ "$cpus" != 0 && "$cpus" -lt "$(nproc)" ]]; then echo "taskset -c 0-$(( cpus - 1 ))"; fi
}

# ---------------------------------------------------------------- 1. build and copy the artifacts
QUARKUS_VERSION=$(sed -n 's:.*<quarkus.platform.version>\(.*\)</quarkus.platform.version>.*:\1:p' pom.xml | head -1)
ANCHOR_VERSION=$(sed -n 's:.*<quarkus.platform.version>\(.*\)</quarkus.platform.version>.*:\1:p' bench/startup-anchor/pom.xml | head -1)
[[ "$QUARKUS_VERSION" == "$ANCHOR_VERSION" ]] \
  || die "bench/startup-anchor/pom.xml has Quarkus $ANCHOR_VERSION, the project $QUARKUS_VERSION: make them equal"
MODULES=$(tr ' ' ',' <<<"$SERVICES_LIST")
if [[ "$BUILD" == 1 ]]; then
  log "building: ./mvnw -B -q -pl $MODULES,simulators -am package -DskipTests"
  ./mvnw -B -q -pl "$MODULES,simulators" -am package -DskipTests || die "build failed"
fi
if [[ "$BUILD" == 1 || ! -f bench/startup-anchor/target/quarkus-app/quarkus-run.jar ]]; then
  log "building the anchor: ./mvnw -B -q -f bench/startup-anchor/pom.xml package"
  ./mvnw -B -q -f bench/startup-anchor/pom.xml package || die "anchor build failed"
fi
for s in $SERVICES_LIST; do
  [[ -f "$s/target/quarkus-app/quarkus-run.jar" ]] || die "$s/target/quarkus-app/quarkus-run.jar missing; build first (without --no-build)"
done
[[ -f simulators/target/simulators.jar && -d simulators/target/lib ]] || die "simulators/target/simulators.jar or lib/ missing; build first"
GIT_HEAD=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
GIT_DIRTY=$(git status --porcelain 2>/dev/null | wc -l | tr -d ' ')

stage_simulators startup-bench
cp -a bench/startup-anchor/target/quarkus-app "$TMP/anchor"
for s in $SERVICES_LIST; do cp -a "$s/target/quarkus-app" "$TMP/$s"; done
if [[ " $SERVICES_LIST " == *" bcss-proxy "* && ! -d "$TMP/token-broker" ]]; then
  [[ -f token-broker/target/quarkus-app/quarkus-run.jar ]] || die "bcss-proxy needs token-broker built"
  cp -a token-broker/target/quarkus-app "$TMP/token-broker"
fi
log "artifacts copied to $TMP"
PKI=$TMP/pki
SIM_LOG=$TMP/logs/simulators.log

for name in anchor $SERVICES_LIST; do jvm_settings "$name"; done

# ---------------------------------------------------------------- 2. simulators (PostgreSQL, fake DFDG), tokens
start_simulators "$GATEWAY_PORT" --wsrm-port "$WSRM_PORT" --codelist-port "$CODELIST_PORT" \
  --postgres-port "$PG_PORT" --postgres-dir "$TMP/postgres"
log "simulators up (pid $SIM_PID)"
STAR_PIN=$(keytool -printcert -file "$PKI/star-client.crt" | sed -n 's/^[[:space:]]*SHA256:[[:space:]]*//p' | head -1)
[[ -n "$STAR_PIN" ]] || die "cannot read the SHA-256 of $PKI/star-client.crt"
mint_caller_token system:serviceaccount:local:bcss-proxy token-broker 86400 >"$TMP/bcss-proxy.token"
mint_caller_token system:serviceaccount:local:dfdg-poller wsb-receiver 86400 >"$TMP/dfdg-poller.token"

# ---------------------------------------------------------------- 3. properties and the requests of each service
# Every file mirrors local/<service>.properties with the bench's ports and PKI, production logging (JSON at INFO).
write_broker_properties "$TMP/token-broker.properties" "$HTTP_PORT" "$MGMT_PORT"
write_broker_properties "$TMP/support-broker.properties" "$BROKER_PORT" "$BROKER_MGMT_PORT"
write_proxy_properties "$TMP/bcss-proxy.properties" "$HTTP_PORT" "$MGMT_PORT" "http://127.0.0.1:$BROKER_PORT" "$TMP/bcss-proxy.token"
write_receiver_properties "$TMP/wsb-receiver.properties" "$HTTP_PORT" "$WEBHOOK_PORT" "$MGMT_PORT" \
  "jdbc:postgresql://127.0.0.1:$PG_PORT/wsb" "$STAR_PIN"
# ingest URL: nothing is queued at the fake DFDG, so the poller's drains find the queue empty and never ingest
write_poller_properties "$TMP/dfdg-poller.properties" "$HTTP_PORT" "$MGMT_PORT" \
  "https://127.0.0.1:$WSRM_PORT/PjakTassWCFtService/1/WsrmService.svc" \
  "CVR:12345678-UUID:5f1c2c3e-8d1a-4c55-9f43-0c7a2e6b9d10" "http://127.0.0.1:$BROKER_PORT" "$TMP/dfdg-poller.token" 30s 2s
write_codelist_properties "$TMP/codelist-service.properties" "$HTTP_PORT" "$MGMT_PORT" \
  "https://127.0.0.1:$CODELIST_PORT/PjakTassWCFtService/1/CodeListService.svc" \
  "jdbc:postgresql://127.0.0.1:$PG_PORT/wsb?currentSchema=codelist"
printf '%s\n' "quarkus.http.host=127.0.0.1" "quarkus.http.port=$HTTP_PORT" >"$TMP/anchor.properties"

# requests_config NAME START: a curl config (-K) of REQUESTS typical calls of NAME, on one keep-alive connection.
declare -A REQUEST_WHAT=(
  [anchor]="GET /hello"
  [token-broker]="POST /v1/tokens (cached token; caller JWT verified)"
  [bcss-proxy]="GET /v1/bcss/demo/v1/organizations/42 through the gateway simulator (caller JWT, broker token, mutual TLS)"
  [wsb-receiver]="STAR webhooks over mutual TLS (each a new MeddelelseId, stored in PostgreSQL), then as many GET /v1/events pages"
  [dfdg-poller]="GET /q/metrics on the management port (the poller has no API; its drains find the fake DFDG queue empty)"
  [codelist-service]="GET /v1/codelists/municipalities/101 (caller JWT)"
)
requests_config() {
  local name=$1 start=$2 i token=""
  case "$name" in
    token-broker|bcss-proxy|codelist-service|wsb-receiver) token=$(mint_caller_token "$CALLER_SUBJECT" "$name" 3600) ;;
  esac
  for (( i = 1; i <= REQUESTS; i++ )); do
    case "$name" in
      anchor) echo "url = \"http://127.0.0.1:$HTTP_PORT/hello\"" ;;
      token-broker)
        echo "url = \"http://127.0.0.1:$HTTP_PORT/v1/tokens\""
        echo "header = \"Authorization: Bearer $token\""
        echo "header = \"Content-Type: application/json\""
        echo 'data = "{\"scopes\":[\"scope:cbss:api:demo:consult\"]}"' ;;
      bcss-proxy)
        echo "url = \"http://127.0.0.1:$HTTP_PORT/v1/bcss/demo/v1/organizations/42\""
        echo "header = \"Authorization: Bearer $token\"" ;;
      wsb-receiver)
        if (( i % 2 == 1 )); then
          echo "url = \"https://localhost:$WEBHOOK_PORT/wsb/akasse-58\""
          echo "cacert = \"$PKI/server.crt\""
          echo "cert = \"$PKI/star-client.crt\""
          echo "key = \"$PKI/star-client.key\""
          echo "header = \"Content-Type: application/json\""
          printf 'data = "{\\"MeddelelseId\\":\\"%08x-0000-4000-8000-%012x\\",\\"EntitetId\\":60010,\\"EntitetNavn\\":\\"Akassemedlemskab\\",\\"Subjekt\\":{\\"IdentifikationType\\":1,\\"Identifikation\\":\\"0103851234\\"},\\"AendringType\\":1,\\"Tidspunkt\\":\\"2025-03-03T08:01:05+01:00\\"}"\n' "$start" "$i"
        else
          echo "url = \"http://127.0.0.1:$HTTP_PORT/v1/events?after=0&limit=100\""
          echo "header = \"Authorization: Bearer $token\""
        fi ;;
      dfdg-poller) echo "url = \"$MGMT/q/metrics\"" ;;
      codelist-service)
        echo "url = \"http://127.0.0.1:$HTTP_PORT/v1/codelists/municipalities/101\""
        echo "header = \"Authorization: Bearer $token\"" ;;
    esac
    echo 'output = "/dev/null"'
    echo 'write-out = "%{http_code}\n"'
    [[ $i == "$REQUESTS" ]] || echo "next"
  done
}

# ---------------------------------------------------------------- 4. starts
FAILURES=()
declare -A M=() # M[name.i.key]: started, ready, cpu, idle, after, hwm
# launch NAME LOGFILE [OPTION...]: starts NAME's packaged app from its directory (a relative -jar, as an AppCDS archive
# requires), with its pod's JVM options (and the options given); sets LAUNCH_PID and LAUNCHED_NS.
launch() {
  local name=$1 logfile=$2 dir=$TMP/$1 props=$TMP/$1.properties cds=() prefix
  shift 2
  if [[ "$name" == support-broker ]]; then dir=$TMP/token-broker; name="token-broker"; fi
  if [[ "$APPCDS" == auto && -f "$dir/app-cds.jsa" ]]; then cds=(-XX:SharedArchiveFile=app-cds.jsa); fi
  prefix=$(taskset_prefix "$name")
  # shellcheck disable=SC2086 # option lists
  (cd "$dir" && exec $prefix java ${JOPTS[$name]} "${cds[@]}" "$@" -Dquarkus.config.locations="$props" -jar quarkus-run.jar) \
    >"$logfile" 2>&1 &
  LAUNCH_PID=$!
  LAUNCHED_NS=$(date +%s%N)
  PIDS+=("$LAUNCH_PID")
}
# ready_url NAME: what "ready" means for NAME.
ready_url() { if [[ "$1" == anchor ]]; then echo "http://127.0.0.1:$HTTP_PORT/hello"; else echo "$MGMT/q/health/ready"; fi; }
# await_ready_fast NAME PID URL LOGFILE [SECONDS]: polls URL every 50 ms until 200 (bounded: SECONDS, 60); READY_S =
# launch to 200. Otherwise adds to FAILURES (unless NOTE_ONLY=1: then only to NOTES) and returns 1.
NOTES=()
await_ready_fast() {
  local name=$1 pid=$2 url=$3 logfile=$4 limit=${5:-60} code deadline
  deadline=$(( $(date +%s) + limit ))
  while (( $(date +%s) < deadline )); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null || true)
    if [[ "$code" == 200 ]]; then READY_S=$(seconds_since "$LAUNCHED_NS"); return 0; fi
    kill -0 "$pid" 2>/dev/null || { tail -20 "$logfile" >&2; problem "$name exited before it was ready"; return 1; }
    sleep 0.05
  done
  tail -20 "$logfile" >&2
  problem "$name: $url not 200 within $limit s (last ${code:-none})"
  return 1
}
problem() { if [[ "${NOTE_ONLY:-0}" == 1 ]]; then NOTES+=("$1"); else FAILURES+=("$1"); fi; }
stop_pid() { # TERM, then up to 15 s
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
# one_start NAME I: start I of NAME (0 = the unmeasured first), its figures into M.
one_start() {
  local name=$1 i=$2 logfile=$TMP/logs/$1-$2.log pid codes bad
  [[ $(remaining_s) -gt 30 ]] || { FAILURES+=("time limit of $TIME_LIMIT_S s reached before $name start $i"); return 1; }
  footprint_await_unbound "$HTTP_PORT" "$MGMT_PORT" "$WEBHOOK_PORT" || true
  launch "$name" "$logfile"
  pid=$LAUNCH_PID
  if ! await_ready_fast "$name" "$pid" "$(ready_url "$name")" "$logfile"; then stop_pid "$pid"; return 1; fi
  M[$name.$i.ready]=$READY_S
  M[$name.$i.cpu]=$(ticks_s "$(cpu_ticks "$pid")")
  M[$name.$i.started]=$(started_in "$logfile")
  [[ -n "${M[$name.$i.started]}" ]] || FAILURES+=("$name start $i: no \"started in\" line in its log")
  sleep 2
  M[$name.$i.idle]=$(mib "$(rss_kib "$pid")")
  # a first call, up to 5 tries: the first call of a JVM fetches tokens and JWKS, which a loaded machine may time out
  REQUESTS=1 requests_config "$name" "$(( 100 + i ))" >"$TMP/first-$name.cfg"
  for try in 1 2 3 4 5; do
    [[ "$(curl -s -K "$TMP/first-$name.cfg" 2>/dev/null)" == 2* ]] && break
    NOTES+=("$name start $i: first call not answered 2xx (try $try)")
    sleep 2
  done
  requests_config "$name" "$i" >"$TMP/requests-$name.cfg"
  codes=$(curl -s -K "$TMP/requests-$name.cfg" 2>"$TMP/logs/requests-$name-$i.err" || true)
  bad=$(grep -cv '^2[0-9][0-9]$' <<<"$codes" || true)
  if [[ $(grep -c . <<<"$codes") != "$REQUESTS" || "$bad" != 0 ]]; then
    FAILURES+=("$name start $i: $bad of $REQUESTS requests not answered 2xx (codes: $(sort <<<"$codes" | uniq -c | tr '\n' ' '))")
  fi
  sleep 1
  M[$name.$i.after]=$(mib "$(rss_kib "$pid")")
  M[$name.$i.hwm]=$(mib "$(hwm_kib "$pid")")
  log "$name start $i: started in ${M[$name.$i.started]:-?} s, ready ${M[$name.$i.ready]} s, CPU ${M[$name.$i.cpu]} s, RSS idle ${M[$name.$i.idle]} MiB, after $REQUESTS requests ${M[$name.$i.after]} MiB"
  stop_pid "$pid"
}

# profiled_start NAME: one more start (not counted) with async-profiler sampling CPU from the launch to ready; the flame
# graph goes to bench/reports/flame-graphs/startup/NAME-<UTC date>.html.
declare -A FLAME=()
profiled_start() {
  local name=$1 logfile=$TMP/logs/$1-profiled.log file pid
  file=$(flame_graph_dir startup)/$name-$(date -u +%Y-%m-%d).html
  async_profiler_lib
  footprint_await_unbound "$HTTP_PORT" "$MGMT_PORT" "$WEBHOOK_PORT" || true
  launch "$name" "$logfile" "${PROFILER_JVM_OPTS[@]}" "-agentpath:$ASYNC_PROFILER_LIB=start,event=cpu,interval=1ms"
  pid=$LAUNCH_PID
  if NOTE_ONLY=1 await_ready_fast "$name (profiled)" "$pid" "$(ready_url "$name")" "$logfile" 120; then
    # the same samples as text (one stack per line), for the table of where the CPU went
    jcmd "$pid" JVMTI.agent_load "$ASYNC_PROFILER_LIB" "\"dump,collapsed,file=$TMP/logs/$name.collapsed\"" \
      >>"$TMP/logs/profile-$pid.log" 2>&1 || true
    if profile_stop "$pid" "$file"; then FLAME[$name]=$file; else log "no flame graph for $name"; fi
  fi
  stop_pid "$pid"
}
# cpu_shares NAME: a table row of the shares of NAME's start-up CPU samples (collapsed stacks) in the JIT compiler
# threads, the GC threads, and stacks that hold a frame of each area (inclusive, so areas overlap).
SHARE_AREAS=("JIT compiler threads|CompileBroker" "GC threads|GangWorker|GCTaskThread|ParallelScavenge|PSScavenge"
  "class loading|ClassLoader.loadClass|defineClass|RunnerClassLoader" "Hibernate Validator|org/hibernate/validator"
  "SmallRye Config|io/smallrye/config" "Vert.x/Netty|io/vertx/|io/netty/" "CXF/JAXB/WSDL|org/apache/cxf|jakarta/xml/bind|org/glassfish/jaxb|com/ibm/wsdl|javax/wsdl"
  "Flyway|org/flywaydb" "JDBC/Agroal|io/agroal|org/postgresql" "TLS, keys|sun/security|javax/net/ssl|io/quarkus/tls"
  "Micrometer|io/micrometer" "logging|org/jboss/logmanager|io/quarkus/logging" "JWT|io/smallrye/jwt|org/jose4j")
cpu_shares() {
  local file=$TMP/logs/$1.collapsed area
  [[ -s "$file" ]] || { echo "| $1 | (no profile) |"; return; }
  printf '| %s | %s |' "$1" "$(awk '{ t += $NF } END { print t }' "$file")"
  for area in "${SHARE_AREAS[@]}"; do
    awk -v re="${area#*|}" '{ n = $NF; t += n; $NF = ""; if ($0 ~ re) s += n } END { printf " %.0f %% |", t ? 100 * s / t : 0 }' "$file"
  done
  echo
}

SUPPORT_PID=""
for name in anchor $SERVICES_LIST; do
  if [[ "$name" == bcss-proxy ]]; then # the proxy's calls need a broker: one on other ports, started as in its pod
    launch support-broker "$TMP/logs/support-broker.log"
    SUPPORT_PID=$LAUNCH_PID
    MGMT_SAVED=$MGMT; MGMT=http://127.0.0.1:$BROKER_MGMT_PORT
    await_ready_fast support-broker "$SUPPORT_PID" "$MGMT/q/health/ready" "$TMP/logs/support-broker.log" || die "support broker not ready"
    MGMT=$MGMT_SAVED
  fi
  for (( i = 0; i <= STARTS; i++ )); do one_start "$name" "$i" || break; done
  if [[ "$PROFILE" == 1 && $(remaining_s) -gt 60 ]]; then profiled_start "$name"; fi
  if [[ -n "$SUPPORT_PID" ]]; then stop_pid "$SUPPORT_PID"; SUPPORT_PID=""; fi
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- 5. report
# stats NAME KEY: "median min max" over the measured starts 1..STARTS (empty when none).
stats() {
  local i vals=()
  for (( i = 1; i <= STARTS; i++ )); do [[ -n "${M[$1.$i.$2]:-}" ]] && vals+=("${M[$1.$i.$2]}"); done
  [[ ${#vals[@]} -gt 0 ]] || return 0
  printf '%s\n' "${vals[@]}" | sort -g | awk '{ v[NR] = $1 } END {
    med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.4g %.4g %.4g\n", med, v[1], v[NR] }'
}
med() { local s; s=$(stats "$1" "$2"); echo "${s%% *}"; }
range() { local s; s=$(stats "$1" "$2"); [[ -n "$s" ]] && awk '{ printf "%s (%s–%s)", $1, $2, $3 }' <<<"$s" || echo "?"; }
ratio() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a != "" && b > 0) printf "%.2f×", a / b; else print "?" }'; }
below() { awk -v a="${1:-}" -v g="$2" 'BEGIN { exit !(a != "" && a < g) }'; }
for name in anchor $SERVICES_LIST; do
  [[ -n "$(med "$name" started)" ]] || FAILURES+=("$name: no measured start")
done

start_report startup
{
  report_head "Start-up and footprint"
  echo "| Build | git HEAD $GIT_HEAD, $GIT_DIRTY uncommitted file(s) at run time; Quarkus $QUARKUS_VERSION |"
  echo "| Load average before / after | $LOAD_BEFORE / $LOAD_AFTER |"
  echo "| Logging | $(logging_setting) |"
  echo
  echo "## Result"
  echo
  echo "Median of $STARTS starts (min–max), after one unmeasured start of each. **started** = Quarkus' \"started in\";"
  echo "**ready** = launch of \`java\` to the first 200 of the readiness URL (polled every 50 ms); **CPU** = the process'"
  echo "user+system CPU time at that moment (robust when the machine is shared); **idle RSS** = 2 s after ready;"
  echo "**after requests** = after $REQUESTS requests (below). Goal: started < $GOAL_START_S s and idle RSS < $GOAL_RSS_MIB MiB."
  echo
  echo "| JVM | started (s) | ready (s) | CPU to ready (s) | idle RSS (MiB) | RSS after requests (MiB) | peak RSS (MiB) | started / anchor | CPU / anchor | idle RSS / anchor | goal |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  a_started=$(med anchor started)
  a_cpu=$(med anchor cpu)
  a_idle=$(med anchor idle)
  for name in anchor $SERVICES_LIST; do
    s=$(med "$name" started); r=$(med "$name" idle)
    if [[ "$name" == anchor ]]; then goal="(anchor)"
    elif below "$s" "$GOAL_START_S" && below "$r" "$GOAL_RSS_MIB"; then goal="**met**"
    else goal="**not met**"; fi
    echo "| $name | $(range "$name" started) | $(range "$name" ready) | $(range "$name" cpu) | $(range "$name" idle) | $(range "$name" after) | $(range "$name" hwm) | $(ratio "$s" "$a_started") | $(ratio "$(med "$name" cpu)" "$a_cpu") | $(ratio "$r" "$a_idle") | $goal |"
  done
  echo
  echo "## JVM settings (as in the pods)"
  echo
  echo "Each JVM: the image's entrypoint options \`${IMAGE_JAVA_OPTS[*]}\`, then the chart's JDK_JAVA_OPTIONS"
  echo "(\`$CHART_APPEND\` + the service's \`javaOpts\`), then the container limits emulated: \`-XX:MaxRAM=<memory limit>\`"
  echo "(no cgroup limit on this machine) and \`-XX:ActiveProcessorCount=<CPU limit>\` with \`taskset\` on as many CPUs."
  echo "The anchor runs with token-broker's settings. AppCDS: ${APPCDS/auto/used where quarkus-app/app-cds.jsa exists (none = not built with it)}."
  [[ -z "${BENCH_STARTUP_JAVA_OPTS:-}" ]] || echo "Extra options (BENCH_STARTUP_JAVA_OPTS): \`${BENCH_STARTUP_JAVA_OPTS}\`."
  echo
  echo "| JVM | memory limit | CPU limit | command line options | max heap (MiB) | GC | AppCDS archive |"
  echo "|---|---|---|---|---|---|---|"
  for name in anchor $SERVICES_LIST; do
    archive=no; [[ "$APPCDS" == auto && -f "$TMP/$name/app-cds.jsa" ]] && archive=yes
    echo "| $name | ${MEM_LIMIT[$name]} | ${CPU_LIMIT[$name]} | \`$(taskset_prefix "$name")${JOPTS[$name]:+ }${JOPTS[$name]}\` | ${HEAP_MAX[$name]} | ${GC_NAME[$name]} | $archive |"
  done
  echo
  echo "## Set-up"
  echo
  echo "- One simulators JVM (not pinned) for everything: fake Smals OAuth, caller-token issuer, BCSS REST gateway,"
  echo "  fake DFDG WSRM and CodeListService, embedded PostgreSQL 16 (data on disk in the temp dir). Each service's"
  echo "  properties mirror \`local/<service>.properties\` with the bench's ports and PKI; production logging (JSON at INFO)."
  echo "- The anchor is \`bench/startup-anchor\` (quarkus-rest, one \`@GET /hello\`, Quarkus $ANCHOR_VERSION), ready = \`GET /hello\` 200."
  echo "- Start 0 of each JVM is not counted: it fills the page cache, makes wsb-receiver's and codelist-service's"
  echo "  Flyway migrations (later starts find the schema), and codelist-service's first fetch of its lists from the fake DFDG"
  echo "  (later starts load the snapshots from PostgreSQL). Readiness of the services includes what their health checks wait for."
  echo "- Requests after the idle figure, per JVM ($REQUESTS, one \`curl -K\` process, one keep-alive connection per host):"
  for name in anchor $SERVICES_LIST; do echo "  - $name: ${REQUEST_WHAT[$name]}"; done
  [[ " $SERVICES_LIST " != *" bcss-proxy "* ]] || echo "- While bcss-proxy is measured, a token-broker (same JVM settings) runs on $BROKER_PORT for its calls."
  echo
  if [[ "$PROFILE" == 1 ]]; then
    echo "## Where start-up CPU goes"
    echo
    echo "async-profiler (\`event=cpu\`, 1 ms), loaded at launch (\`-agentpath\`) in one extra start of each JVM (not counted"
    echo "above), stopped when it was ready: flame graphs"
    for name in anchor $SERVICES_LIST; do
      if [[ -n "${FLAME[$name]:-}" ]]; then echo "[$name](${FLAME[$name]#"$REPORT_DIR"/})"; else echo "$name (none)"; fi
    done | paste -sd, - | sed 's/,/, /g'
    echo
    echo "Share of each JVM's start-up CPU samples (1 ms each) per area: stacks that run in the JIT compiler or GC threads,"
    echo "or hold a frame of that area (inclusive: an area's share includes the class loading and JIT-less interpretation"
    echo "of its code, and areas overlap)."
    echo
    printf '| JVM | samples |'; for area in "${SHARE_AREAS[@]}"; do printf ' %s |' "${area%%|*}"; done; echo
    printf '|---|---|'; for area in "${SHARE_AREAS[@]}"; do printf -- '---|'; done; echo
    for name in anchor $SERVICES_LIST; do cpu_shares "$name"; done
    echo
  fi
  for note in "${NOTES[@]}"; do echo "- note: $note"; done
  [[ ${#NOTES[@]} -eq 0 ]] || echo
  echo "## Every start"
  echo
  echo "| JVM | start | started (s) | ready (s) | CPU (s) | idle RSS (MiB) | after requests (MiB) | peak (MiB) |"
  echo "|---|---|---|---|---|---|---|---|"
  for name in anchor $SERVICES_LIST; do
    for (( i = 0; i <= STARTS; i++ )); do
      [[ -n "${M[$name.$i.ready]:-}" ]] || continue
      echo "| $name | $i$([[ $i == 0 ]] && echo ' (not counted)') | ${M[$name.$i.started]:-?} | ${M[$name.$i.ready]} | ${M[$name.$i.cpu]} | ${M[$name.$i.idle]} | ${M[$name.$i.after]:-?} | ${M[$name.$i.hwm]:-?} |"
    done
  done
  echo
  logs=()
  for name in anchor $SERVICES_LIST; do [[ -f "$TMP/logs/$name-1.log" ]] && logs+=("$TMP/logs/$name-1.log"); done
  logs_section "${logs[@]}"
} >"$REPORT"
finish_report startup
