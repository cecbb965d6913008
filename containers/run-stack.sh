#!/usr/bin/env bash
# Builds the five services' images and runs the whole stack as containers, the way the Helm chart runs the pods, then
# checks the main flows through the containers and a SIGTERM of each container under load:
#   containers/run-stack.sh              ./mvnw package (services, simulators), build the images, run
#   containers/run-stack.sh --no-build   use what ./mvnw packaged before (the images are built again: seconds)
# Each container runs with the chart's pod security settings (deploy/charts/socsec-gateway/values.yaml): uid 185 (gid
# 0, supplementary group 185 as fsGroup), read-only root file system with a tmpfs only at /tmp (the chart's one
# emptyDir, tmpSizeLimit 64Mi), all capabilities dropped, no privilege escalation, podman's default seccomp profile
# (RuntimeDefault), the chart's memory limit; configuration as the chart mounts it (QUARKUS_CONFIG_LOCATIONS, a
# read-only application.properties), key material as read-only mounted files owned by the pod's user, JVM options in
# JDK_JAVA_OPTIONS (the chart's options with its javaOpts). Host network, every port on 127.0.0.1 in
# 24000-24999 (below Linux's ephemeral ports, 32768-60999, so no outgoing connection holds one). The simulators (fake Smals OAuth, cluster token issuer, BCSS gateway, DFDG WSRM and CodeListService,
# embedded PostgreSQL 16) run on the host, as the benches start them (bench/lib.sh).
# Steps: start each container and wait for its readiness probe (/q/health/ready); the main flows (a BCSS call through
# bcss-proxy with a caller token, a token from token-broker, STAR webhooks to the feed, a WSRM drain by dfdg-poller, a
# code-list lookup); then, per service, load on it, SIGTERM, the time to exit, what happened to the requests in flight
# (all must be answered) and after (refused, never half-done), restart and readiness again; at the end every webhook
# answered 2xx and every WSRM message must be in the feed exactly once.
# Writes bench/reports/containers-<UTC date>.md and containers-latest.md (image sizes, start and stop times), prints
# the report. Exits non-zero on any failure; stops and removes every container and process it started. Bounded by
# CONTAINERS_TIME_LIMIT_S (1800). Needs root (podman as set up here, containers/lib.sh), a JDK 17, curl.
set -euo pipefail

CONTAINERS_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$CONTAINERS_DIR/.." && pwd)
BENCH_DIR=$ROOT/bench
cd "$ROOT"
# shellcheck source=../bench/lib.sh
. "$BENCH_DIR/lib.sh"
# shellcheck source=lib.sh
. "$CONTAINERS_DIR/lib.sh"

BUILD=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    -h|--help) awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done
COMMAND="containers/run-stack.sh${*:+ $*}"
TIME_LIMIT_S=${CONTAINERS_TIME_LIMIT_S:-1800}

# ---------------------------------------------------------------- ports (127.0.0.1, 24000-24999)
OAUTH_PORT=24443
ISSUER_PORT=24444
ADMIN_PORT=24099
GATEWAY_PORT=24445
WSRM_PORT=24447
CODELIST_SIM_PORT=24448
PG_PORT=24432
declare -A HTTP_PORT=([token-broker]=24081 [bcss-proxy]=24082 [wsb-receiver]=24083 [dfdg-poller]=24084 [codelist-service]=24085)
declare -A MGMT_PORT=([token-broker]=24091 [bcss-proxy]=24092 [wsb-receiver]=24093 [dfdg-poller]=24094 [codelist-service]=24095)
WEBHOOK_PORT=24453
ADMIN=http://127.0.0.1:$ADMIN_PORT
CALLER_SUBJECT=system:serviceaccount:containers:reader
SERVICES=("${CONTAINER_SERVICES[@]}")
# The chart: terminationGracePeriodSeconds 40 with a preStop pause of 5 s: the JVM must be gone 35 s after SIGTERM.
GRACE_S=40
PRESTOP_S=5
CONFIG_DIR=/etc/socsec-gateway/config   # the chart's socsec.configDir
SECRETS_DIR=/etc/socsec-gateway/pki     # where the key material is mounted in the containers
TMP_SIZE=$(awk '$1 == "tmpSizeLimit:" { print $2 }' "$FOOTPRINT_CHART/values.yaml")

# ---------------------------------------------------------------- containers: started here, removed at the end
STARTED_CONTAINERS=()
cname() { echo "socsec-run-$1"; }
stop_containers() {
  local rc=$? c
  for (( i = ${#STARTED_CONTAINERS[@]} - 1; i >= 0; i-- )); do
    c=${STARTED_CONTAINERS[i]}
    pm rm --force --time 10 "$c" >/dev/null 2>&1 || true
  done
  set +e # else the next line would end this trap under set -e before cleanup runs
  (exit "$rc") # cleanup (bench/lib.sh) takes the exit status from $?
  cleanup
}
trap stop_containers EXIT

FAILURES=()
fail() { log "FAILURE: $*"; FAILURES+=("$*"); }

# ---------------------------------------------------------------- 0. preconditions, build
require_container_tools
require_commands java curl keytool awk
[[ -n "$TMP_SIZE" ]] || die "no tmpSizeLimit in $FOOTPRINT_CHART/values.yaml"
require_free_ports "$OAUTH_PORT" "$ISSUER_PORT" "$ADMIN_PORT" "$GATEWAY_PORT" "$WSRM_PORT" "$CODELIST_SIM_PORT" "$PG_PORT" \
  "${HTTP_PORT[@]}" "${MGMT_PORT[@]}" "$WEBHOOK_PORT"
for s in "${SERVICES[@]}"; do
  if pm container exists "$(cname "$s")"; then die "a container $(cname "$s") exists (an earlier run?): podman rm -f $(cname "$s")"; fi
done
if [[ "$BUILD" == 1 ]]; then
  MODULES="$(IFS=,; echo "${SERVICES[*]}"),simulators"
  log "building: ./mvnw -B -q -pl $MODULES -am package -DskipTests"
  ./mvnw -B -q -pl "$MODULES" -am package -DskipTests || die "Maven build failed"
fi
[[ -f simulators/target/simulators.jar && -d simulators/target/lib ]] || die "simulators/target/simulators.jar missing; build first"
GIT_HEAD=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
GIT_DIRTY=$(git status --porcelain 2>/dev/null | wc -l | tr -d ' ')
stage_simulators containers
mkdir -p "$TMP/client" "$TMP/config" "$TMP/secrets" "$TMP/load"
CP="$TMP/simulators/simulators.jar:$TMP/simulators/lib/*"
javac -cp "$CP" -d "$TMP/client" "$CONTAINERS_DIR/ContainerLoad.java" 2>"$TMP/logs/javac.log" \
  || java -m jdk.compiler/com.sun.tools.javac.Main -cp "$CP" -d "$TMP/client" "$CONTAINERS_DIR/ContainerLoad.java" \
  || die "cannot compile containers/ContainerLoad.java (a JDK 17+ is needed)"
LOAD=(java -cp "$TMP/client:$CP" ContainerLoad)

log "building the images (containers/build-images.sh --no-build)"
CONTAINERS_SIZES_FILE=$TMP/sizes "$CONTAINERS_DIR/build-images.sh" --no-build || die "image build failed"
BASE_SIZE=$(pm image inspect --format '{{.Size}}' "$BASE_IMAGE_LOCAL")
IMAGE_JAVA=$(pm run --rm --network none "$BASE_IMAGE_LOCAL" java -version 2>&1 || true)
IMAGE_JAVA=${IMAGE_JAVA%%$'\n'*}
IMAGE_OPTS=$(pm image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE_PREFIX/token-broker:$IMAGE_TAG" \
  | sed -n 's/^JDK_JAVA_OPTIONS=//p')
[[ "$IMAGE_OPTS" == *MaxRAMPercentage* ]] || die "no JDK_JAVA_OPTIONS in the image"

# ---------------------------------------------------------------- 1. simulators (PostgreSQL, fake partners)
PKI=$TMP/pki
SIM_LOG=$TMP/logs/simulators.log
# the ports lie in Linux's ephemeral range: a client socket of any process may hold one for a moment (bench/lib.sh)
footprint_await_unbound "$OAUTH_PORT" "$ISSUER_PORT" "$ADMIN_PORT" "$GATEWAY_PORT" "$WSRM_PORT" "$CODELIST_SIM_PORT" \
  "$PG_PORT" "${HTTP_PORT[@]}" "${MGMT_PORT[@]}" "$WEBHOOK_PORT" || true
start_simulators "$GATEWAY_PORT" --postgres-port "$PG_PORT" --postgres-dir "$TMP/postgres" --wsrm-port "$WSRM_PORT" \
  --codelist-port "$CODELIST_SIM_PORT"
log "simulators up (pid $SIM_PID)"
STAR_PIN=$(keytool -printcert -file "$PKI/star-client.crt" | sed -n 's/^[[:space:]]*SHA256:[[:space:]]*//p' | head -1)
[[ -n "$STAR_PIN" ]] || die "cannot read the SHA-256 of $PKI/star-client.crt"
mint_caller_token system:serviceaccount:local:bcss-proxy token-broker 86400 >"$TMP/bcss-proxy.token"
mint_caller_token system:serviceaccount:local:dfdg-poller wsb-receiver 86400 >"$TMP/dfdg-poller.token"

# ---------------------------------------------------------------- 2. configuration and key material per service
# secrets SERVICE FILE...: copies of these files in $TMP/secrets/SERVICE, owned by the pod's user and readable only by
# it (as a Secret volume with fsGroup), mounted read-only at SECRETS_DIR.
secrets() {
  local s=$1 f
  shift
  mkdir -p "$TMP/secrets/$s"
  for f in "$@"; do cp "$f" "$TMP/secrets/$s/"; done
  chown -R 185:185 "$TMP/secrets/$s"
  chmod 0550 "$TMP/secrets/$s"
  chmod 0440 "$TMP/secrets/$s"/*
}
secrets token-broker "$PKI/bcss-signing.key" "$PKI/bcss-signing.crt" "$PKI/server.crt"
secrets bcss-proxy "$PKI/bcss-signing.key" "$PKI/bcss-signing.crt" "$PKI/server.crt" "$TMP/bcss-proxy.token"
secrets wsb-receiver "$PKI/server.key" "$PKI/server.crt" "$PKI/star-client.crt"
secrets dfdg-poller "$PKI/foces-client.key" "$PKI/foces-client.crt" "$PKI/server.crt" "$TMP/dfdg-poller.token"
secrets codelist-service "$PKI/foces-client.key" "$PKI/foces-client.crt" "$PKI/server.crt"

# The properties as the benches write them (bench/lib.sh), with the paths the containers see.
HOST_PKI=$PKI
PKI=$SECRETS_DIR
for s in "${SERVICES[@]}"; do mkdir -p "$TMP/config/$s"; done
write_broker_properties "$TMP/config/token-broker/application.properties" "${HTTP_PORT[token-broker]}" "${MGMT_PORT[token-broker]}"
write_proxy_properties "$TMP/config/bcss-proxy/application.properties" "${HTTP_PORT[bcss-proxy]}" "${MGMT_PORT[bcss-proxy]}" \
  "http://127.0.0.1:${HTTP_PORT[token-broker]}" "$SECRETS_DIR/bcss-proxy.token"
write_receiver_properties "$TMP/config/wsb-receiver/application.properties" "${HTTP_PORT[wsb-receiver]}" "$WEBHOOK_PORT" \
  "${MGMT_PORT[wsb-receiver]}" "jdbc:postgresql://127.0.0.1:$PG_PORT/wsb" "$STAR_PIN"
# localhost: the fake DFDG names that host in its inventory's ServiceEndpoints (poller.dfdg.allowed-hosts defaults to the
# host of this URL)
write_poller_properties "$TMP/config/dfdg-poller/application.properties" "${HTTP_PORT[dfdg-poller]}" "${MGMT_PORT[dfdg-poller]}" \
  "https://localhost:$WSRM_PORT/PjakTassWCFtService/1/WsrmService.svc" \
  "CVR:12345678-UUID:5f1c2c3e-8d1a-4c55-9f43-0c7a2e6b9d10" "http://127.0.0.1:${HTTP_PORT[wsb-receiver]}" \
  "$SECRETS_DIR/dfdg-poller.token" 5s 1s
write_codelist_properties "$TMP/config/codelist-service/application.properties" "${HTTP_PORT[codelist-service]}" \
  "${MGMT_PORT[codelist-service]}" "https://127.0.0.1:$CODELIST_SIM_PORT/PjakTassWCFtService/1/CodeListService.svc" \
  "jdbc:postgresql://127.0.0.1:$PG_PORT/wsb?currentSchema=codelist"
PKI=$HOST_PKI
chmod 0555 "$TMP/config" "$TMP/config"/*
chmod 0444 "$TMP/config"/*/application.properties

# ---------------------------------------------------------------- 3. start each container, wait for its readiness
declare -A JOPTS=() MEMORY=() LAUNCHED_NS=() READY_S=() STARTED_IN=() RESTART_READY_S=()
for s in "${SERVICES[@]}"; do
  section=${FOOTPRINT_SECTION[$s]}
  # the chart's JDK_JAVA_OPTIONS (less the 0.0.0.0 listener: here the properties say 127.0.0.1), then javaOpts
  JOPTS[$s]="$(sed 's/-Dquarkus.http.host=[^ ]* *//' <<<"$(footprint_chart_jvm_options)") $(footprint_chart_value "$section" javaOpts)"
  mem=$(footprint_chart_value "$section" limits.memory)
  [[ -n "$mem" ]] || die "no resources.limits.memory for $section in the chart"
  MEMORY[$s]=$mem
done

# run_container SERVICE: creates and starts the service's container with the chart's security settings.
run_container() {
  local s=$1
  STARTED_CONTAINERS+=("$(cname "$s")")
  LAUNCHED_NS[$s]=$(date +%s%N)
  pm run --detach --name "$(cname "$s")" --network host \
    --user 185:0 --group-add 185 \
    --read-only --read-only-tmpfs=false --tmpfs "/tmp:rw,nosuid,nodev,size=${TMP_SIZE%i},mode=1777" \
    --cap-drop=ALL --security-opt no-new-privileges \
    --memory "$(footprint_bytes "${MEMORY[$s]}")b" \
    -v "$TMP/config/$s:$CONFIG_DIR:ro" -v "$TMP/secrets/$s:$SECRETS_DIR:ro" \
    -e "QUARKUS_CONFIG_LOCATIONS=$CONFIG_DIR/application.properties" \
    -e "JDK_JAVA_OPTIONS=${JOPTS[$s]}" \
    "$IMAGE_PREFIX/$s:$IMAGE_TAG" >/dev/null || die "podman run of $s failed"
}

# await_container_ready SERVICE LIMIT_S: until its readiness probe answers 200; sets READY_AFTER_S (since the launch).
await_container_ready() {
  local s=$1 limit_s=$2 code="" running
  for _ in $(seq 1 $(( limit_s * 5 ))); do
    code=$(curl -s -o "$TMP/ready.json" -w '%{http_code}' --max-time 5 "http://127.0.0.1:${MGMT_PORT[$s]}/q/health/ready" || true)
    if [[ "$code" == 200 ]]; then READY_AFTER_S=$(seconds_since "${LAUNCHED_NS[$s]}"); return 0; fi
    running=$(pm inspect --format '{{.State.Running}}' "$(cname "$s")" 2>/dev/null || echo false)
    if [[ "$running" != true ]]; then
      pm logs "$(cname "$s")" 2>&1 | tail -30 >&2
      die "$s container exited before it was ready"
    fi
    sleep 0.2
  done
  cat "$TMP/ready.json" >&2 2>/dev/null || true
  pm logs "$(cname "$s")" 2>&1 | tail -30 >&2
  die "$s readiness is not 200 (last: ${code:-none}) after $limit_s s"
}

for s in "${SERVICES[@]}"; do
  run_container "$s"
  await_container_ready "$s" 120
  READY_S[$s]=$READY_AFTER_S
  STARTED_IN[$s]=$(pm logs "$(cname "$s")" 2>&1 | started_in /dev/stdin || true)
  log "$s ready ${READY_S[$s]} s after podman run (Quarkus: started in ${STARTED_IN[$s]:-?} s)"
done

# What the containers really run with, checked rather than assumed.
for s in "${SERVICES[@]}"; do
  c=$(cname "$s")
  user=$(pm exec "$c" id -u 2>/dev/null || pm inspect --format '{{.Config.User}}' "$c")
  [[ "$user" == 185* ]] || fail "$s runs as uid $user, not 185"
  [[ "$(pm inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$c")" == true ]] || fail "$s: root file system not read-only"
  pid1=$(pm top "$c" args 2>/dev/null | awk 'NR == 2 { print $1 }')
  [[ "$pid1" == java ]] || fail "$s: PID 1 is '$pid1', not java"
done

# ---------------------------------------------------------------- 4. the main flows through the containers
PROXY_TOKEN=$(mint_caller_token "$CALLER_SUBJECT" bcss-proxy 86400)
BROKER_TOKEN=$(mint_caller_token "$CALLER_SUBJECT" token-broker 86400)
FEED_TOKEN=$(mint_caller_token "$CALLER_SUBJECT" wsb-receiver 86400)
CODES_TOKEN=$(mint_caller_token "$CALLER_SUBJECT" codelist-service 86400)
PROXY_URL=http://127.0.0.1:${HTTP_PORT[bcss-proxy]}/v1/bcss/demo/v1/organizations/42
BROKER_URL=http://127.0.0.1:${HTTP_PORT[token-broker]}/v1/tokens
WEBHOOK_URL=https://127.0.0.1:$WEBHOOK_PORT/wsb/akasse-58 # the certificate has IP:127.0.0.1
FEED_URL=http://127.0.0.1:${HTTP_PORT[wsb-receiver]}/v1/events
CODE_URL=http://127.0.0.1:${HTTP_PORT[codelist-service]}/v1/codelists/municipalities/101
declare -A FLOW=()
flow() { # flow NAME CURL_ARGS...: 2xx expected, within 5 tries 2 s apart (the first call of a path on cold JVMs also
  # fetches tokens: as bench/soak.sh); FLOW[NAME] = status, tries and a short answer
  local name=$1 code="" try
  shift
  for try in 1 2 3 4 5; do
    code=$(curl -s -o "$TMP/flow.out" -w '%{http_code}' --max-time 30 "$@" || true)
    [[ "$code" == 2* ]] && break
    log "$name answered ${code:-nothing} (try $try of 5)"
    sleep 2
  done
  FLOW[$name]="$code$( [[ $try == 1 ]] || echo " (try $try)" ) $(head -c 120 "$TMP/flow.out" | tr -d '\n|')"
  [[ "$code" == 2* ]] || fail "$name answered ${code:-nothing}: $(head -c 300 "$TMP/flow.out")"
}
flow "BCSS GET through bcss-proxy" -H "Authorization: Bearer $PROXY_TOKEN" "$PROXY_URL"
flow "token-broker POST /v1/tokens" -H "Authorization: Bearer $BROKER_TOKEN" -H 'Content-Type: application/json' \
  -d '{"scopes":["scope:cbss:api:demo:consult"]}' "$BROKER_URL"
flow "codelist-service municipality 101" -H "Authorization: Bearer $CODES_TOKEN" "$CODE_URL"

# load PATH URL TOKEN LOOPS NAME [PKI]: ContainerLoad in the background until $TMP/load/NAME.stop exists (180 s at
# most), one line per request in $TMP/load/NAME.tsv; sets LOAD_PID.
load() {
  local path=$1 url=$2 token=$3 loops=$4 name=$5 extra=()
  [[ $# -ge 6 ]] && extra=(--pki "$6")
  "${LOAD[@]}" --mode load --path "$path" --url "$url" --token "$token" --loops "$loops" --max-seconds 180 \
    --stop-file "$TMP/load/$name.stop" --out "$TMP/load/$name.tsv" "${extra[@]}" >"$TMP/logs/load-$name.log" 2>&1 &
  LOAD_PID=$!
  PIDS+=("$LOAD_PID")
}
end_load() { # end_load NAME PID: stops a load and waits for its answers (bounded by the requests' timeouts)
  touch "$TMP/load/$1.stop"
  wait "$2" || fail "load $1 exited $? (see $TMP/logs/load-$1.log)"
}
ok_count() { if [[ -f "$TMP/load/$1.tsv" ]]; then awk '$3 ~ /^2/ { n++ } END { print n + 0 }' "$TMP/load/$1.tsv"; else echo 0; fi; }

# STAR webhooks (20, one connection) and their ids in the feed
load webhook "$WEBHOOK_URL" none 1 flow-webhooks "$PKI"
for _ in $(seq 1 100); do [[ $(ok_count flow-webhooks) -ge 20 ]] && break; sleep 0.1; done
end_load flow-webhooks "$LOAD_PID"
FLOW["STAR webhooks answered 2xx"]="$(ok_count flow-webhooks) of $(wc -l <"$TMP/load/flow-webhooks.tsv")"
[[ $(ok_count flow-webhooks) -ge 1 ]] || fail "no STAR webhook was accepted: $(head -3 "$TMP/load/flow-webhooks.tsv")"

# A WSRM drain: messages queued at the fake DFDG, drained by dfdg-poller into the feed.
WSRM_ENQUEUED=0
wsrm_load() { # wsrm_load COUNT SEED
  local answer
  answer=$(curl -s --max-time 30 -X POST "$ADMIN/admin/wsrm/load" -H 'Content-Type: application/json' \
    -d "{\"subscriber\":\"8:58\",\"count\":$1,\"citizens\":$(( $1 / 4 + 1 )),\"seed\":$2}") || die "cannot queue WSRM messages"
  [[ "$(json_field enqueued "$answer")" == "$1" ]] || die "the fake DFDG did not queue $1 messages: $answer"
  WSRM_ENQUEUED=$(( WSRM_ENQUEUED + $1 ))
}
wsrm_state() { curl -s --max-time 10 "$ADMIN/admin/wsrm"; }
wsrm_empty() { # true when nothing is queued or in flight at the fake DFDG (queued: {"8:58":{"GetX":37,...}})
  local state queued
  state=$(wsrm_state)
  queued=$(sed -n 's/.*"queued":\(.*\),"inFlight".*/\1/p' <<<"$state")
  [[ -n "$queued" && "$state" == *'"inFlight":[]'* && ! "$queued" =~ \":[1-9] ]]
}
await_wsrm_drained() { # await_wsrm_drained LIMIT_S
  for _ in $(seq 1 $(( $1 * 2 ))); do
    if wsrm_empty; then return 0; fi
    sleep 0.5
  done
  fail "the fake DFDG still has messages queued or in flight after $1 s: $(wsrm_state | head -c 300)"
  return 1
}
wsrm_load 200 1
DRAIN_START_NS=$(date +%s%N)
await_wsrm_drained 120 && FLOW["WSRM drain of 200 messages by dfdg-poller"]="done in $(seconds_since "$DRAIN_START_NS") s: $(wsrm_state | head -c 120)"

# ---------------------------------------------------------------- 5. SIGTERM of each container under load
declare -A STOP_S=() EXIT_CODE=() INFLIGHT=() AFTER=() LOAD_DESC=()
# term SERVICE: SIGTERM to the container (java is PID 1); waits for it to exit; sets TERM_MS, STOP_S, EXIT_CODE;
# keeps its log; then starts it again and waits for its readiness (RESTART_READY_S).
term() {
  local s=$1 c code start_ns
  c=$(cname "$s")
  start_ns=$(date +%s%N)
  TERM_MS=$(( start_ns / 1000000 ))
  pm kill --signal TERM "$c" >/dev/null || die "cannot signal $c"
  code=$(timeout $(( GRACE_S + 20 )) "${CONTAINERS_PODMAN:-podman}" --runtime "$CONTAINERS_RUNTIME" wait "$c" || echo timeout)
  STOP_S[$s]=$(seconds_since "$start_ns")
  EXIT_CODE[$s]=$code
  pm logs "$c" >"$TMP/logs/$s.log" 2>&1 || true
  log "$s: SIGTERM -> exited $code after ${STOP_S[$s]} s"
  [[ "$code" == 143 || "$code" == 0 ]] || fail "$s exited $code after SIGTERM (expected 143 or 0)"
  awk -v t="${STOP_S[$s]}" -v m=$(( GRACE_S - PRESTOP_S )) 'BEGIN { exit !(t <= m) }' \
    || fail "$s took ${STOP_S[$s]} s to stop after SIGTERM (the chart allows $(( GRACE_S - PRESTOP_S )) s after its preStop pause)"
}
restart() {
  local s=$1
  LAUNCHED_NS[$s]=$(date +%s%N)
  pm start "$(cname "$s")" >/dev/null || die "cannot start $(cname "$s") again"
  await_container_ready "$s" 120
  RESTART_READY_S[$s]=$READY_AFTER_S
  log "$s ready again after $READY_AFTER_S s"
}
# judge NAME [PROMPT_S]: the requests of load NAME around TERM_MS. Sent at least 200 ms before the SIGTERM (so the
# service surely had them): all must be answered 2xx ("in flight" = not answered yet at the SIGTERM); with PROMPT_S,
# those in flight must be answered within PROMPT_S after it. Sent later: answered, refused with 503, or not connected
# (the listener is closed) — never another status or a time-out. Sets INFLIGHT_DESC, AFTER_DESC.
judge() {
  local name=$1 prompt=${2:-} file=$TMP/load/$1.tsv summary
  summary=$(awk -v t="$TERM_MS" -v p="${prompt:-0}" '
    $1 < t - 200 { before++; if ($3 !~ /^2/) bad_before++; if ($2 > t) { inflight++; if ($3 ~ /^2/) inflight_ok++; late = $2 - t; if (late > max_late) max_late = late } }
    $1 >= t - 200 { after++; k = ($3 ~ /^2/) ? "2xx" : ($3 == "503") ? "503" : ($3 == "connect" || $3 ~ /^io:/) ? "not-connected" : "other:" $3; kinds[k]++ }
    END {
      printf "before=%d bad_before=%d inflight=%d inflight_ok=%d max_late_ms=%d after=%d", before, bad_before, inflight, inflight_ok, max_late, after
      for (k in kinds) printf " %s=%d", k, kinds[k]
      print ""
    }' "$file")
  log "$name: $summary"
  local v
  v() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$summary"; }
  [[ "$(v bad_before)" == 0 ]] || fail "$name: $(v bad_before) request(s) sent before the SIGTERM were not answered 2xx ($(awk -v t="$TERM_MS" '$1 < t - 200 && $3 !~ /^2/ { print $3 }' "$file" | sort | uniq -c | tr '\n' ' '))"
  [[ "$summary" != *" other:"* ]] || fail "$name: after the SIGTERM, answers other than 2xx/503/not connected: $summary"
  if [[ -n "$prompt" ]]; then
    [[ "$(v inflight)" -ge 1 ]] || fail "$name: no request was in flight at the SIGTERM (nothing shown)"
    [[ "$(v max_late_ms)" -le $(( prompt * 1000 )) ]] || fail "$name: a request in flight at the SIGTERM was answered $(v max_late_ms) ms after it (more than $prompt s)"
  fi
  INFLIGHT_DESC="$(v inflight_ok) of $(v inflight) answered 2xx (last $(v max_late_ms) ms after SIGTERM)"
  AFTER_DESC="$(v after) sent: $(tr ' ' '\n' <<<"$summary" | grep -E '^(2xx|503|not-connected|other:.*)=' | tr '\n' ' ' || true)"
}
await_ok() { # await_ok NAME N: until load NAME has N answers 2xx (20 s at most)
  for _ in $(seq 1 200); do [[ $(ok_count "$1") -ge $2 ]] && return 0; sleep 0.1; done
  fail "load $1: fewer than $2 answers 2xx within 20 s ($(head -3 "$TMP/load/$1.tsv" 2>/dev/null | tr '\n' ' '))"
}

# codelist-service: lookups from memory
load get "$CODE_URL" "$CODES_TOKEN" 4 term-codelist
await_ok term-codelist 50
term codelist-service
sleep 1
end_load term-codelist "$LOAD_PID"
judge term-codelist
INFLIGHT[codelist-service]=$INFLIGHT_DESC; AFTER[codelist-service]=$AFTER_DESC
LOAD_DESC[codelist-service]="4 connections of back-to-back lookups \`GET /v1/codelists/municipalities/101\`"
restart codelist-service

# bcss-proxy: the fake BCSS gateway answers after 2 s, so calls are in flight at the SIGTERM
curl -s --max-time 10 -X PUT "$ADMIN/admin/gateway/faults" -H 'Content-Type: application/json' -d '{"latencyMs":2000}' >/dev/null \
  || die "cannot set the gateway's latency"
load get "$PROXY_URL" "$PROXY_TOKEN" 6 term-proxy
await_ok term-proxy 6
sleep 1
term bcss-proxy
sleep 1
end_load term-proxy "$LOAD_PID"
judge term-proxy 5
INFLIGHT[bcss-proxy]=$INFLIGHT_DESC; AFTER[bcss-proxy]=$AFTER_DESC
LOAD_DESC[bcss-proxy]="6 connections of back-to-back BCSS calls through the proxy, the fake gateway answering after 2 s"
curl -s --max-time 10 -X DELETE "$ADMIN/admin/gateway/faults" >/dev/null || true
restart bcss-proxy

# token-broker: token requests (from its cache)
load token "$BROKER_URL" "$BROKER_TOKEN" 4 term-broker
await_ok term-broker 50
term token-broker
sleep 1
end_load term-broker "$LOAD_PID"
judge term-broker
INFLIGHT[token-broker]=$INFLIGHT_DESC; AFTER[token-broker]=$AFTER_DESC
LOAD_DESC[token-broker]="4 connections of back-to-back \`POST /v1/tokens\`"
restart token-broker

# dfdg-poller: SIGTERM in the middle of a drain of 3000 messages; the next start drains the rest
wsrm_load 3000 2
for _ in $(seq 1 300); do [[ "$(wsrm_state)" == *'"inFlight":[{'* ]] && break; sleep 0.1; done
STATE=$(wsrm_state)
if [[ "$STATE" == *'"inFlight":[{'* ]]; then
  WSRM_AT_TERM="$(sed -n 's/.*"queued":\(.*\),"inFlight".*/\1/p' <<<"$STATE" | grep -o '":[0-9]*' | tr -d '":' | awk '{ n += $1 } END { print n + 0 }') queued,"
  WSRM_AT_TERM="$WSRM_AT_TERM a sequence in flight ($(grep -o '"messages":[0-9]*' <<<"$STATE" | head -1 | tr -d '"') in it, $(grep -o '"fetched":[0-9]*' <<<"$STATE" | head -1 | tr -d '"')), $(json_field deleted "$STATE") deleted so far"
else
  WSRM_AT_TERM=""
fi
term dfdg-poller
INFLIGHT[dfdg-poller]="a drain: at the SIGTERM ${WSRM_AT_TERM:-no sequence in flight}"
LOAD_DESC[dfdg-poller]="3000 WSRM messages queued for 8:58, SIGTERM during the drain"
[[ -n "$WSRM_AT_TERM" ]] || fail "dfdg-poller: no sequence was in flight at the SIGTERM (nothing shown)"
restart dfdg-poller
DRAIN_START_NS=$(date +%s%N)
if await_wsrm_drained 180; then
  AFTER[dfdg-poller]="the restarted poller drained the rest in $(seconds_since "$DRAIN_START_NS") s; deleted at DFDG: $(json_field deleted "$(wsrm_state)")"
else
  AFTER[dfdg-poller]="NOT drained within 180 s after the restart"
fi

# wsb-receiver: STAR webhooks and long-polls (60 s) that wait for events nobody sends, at the SIGTERM
HEAD=$(curl -s --max-time 10 -H "Authorization: Bearer $FEED_TOKEN" "$FEED_URL?limit=1&after=999999999999" | sed -n 's/.*"head":"\{0,1\}\([0-9]*\).*/\1/p')
[[ -n "$HEAD" ]] || HEAD=0
load webhook "$WEBHOOK_URL" none 4 term-webhooks "$PKI"
WEBHOOK_LOAD_PID=$LOAD_PID
load poll "$FEED_URL?after=$HEAD&authorities=NOBODY:0&wait=60" "$FEED_TOKEN" 3 term-polls
POLL_LOAD_PID=$LOAD_PID
await_ok term-webhooks 50
sleep 2
term wsb-receiver
sleep 1
end_load term-webhooks "$WEBHOOK_LOAD_PID"
end_load term-polls "$POLL_LOAD_PID"
judge term-webhooks
INFLIGHT[wsb-receiver]="webhooks: $INFLIGHT_DESC"; AFTER[wsb-receiver]="webhooks: $AFTER_DESC"
judge term-polls 5
INFLIGHT[wsb-receiver]="${INFLIGHT[wsb-receiver]}; 60 s long-polls: $INFLIGHT_DESC"; AFTER[wsb-receiver]="${AFTER[wsb-receiver]}; long-polls: $AFTER_DESC"
LOAD_DESC[wsb-receiver]="4 connections of back-to-back STAR webhooks (mutual TLS), 3 feed long-polls with \`wait=60\` for an authority nobody sends"
restart wsb-receiver

# ---------------------------------------------------------------- 6. nothing lost: accepted webhooks and WSRM messages vs the feed
"${LOAD[@]}" --mode feed --url "$FEED_URL" --token "$FEED_TOKEN" --out "$TMP/feed.txt" >"$TMP/logs/feed-read.log" 2>&1 \
  || fail "cannot read the feed: $(tail -c 300 "$TMP/logs/feed-read.log")"
cat "$TMP/load"/*webhook*.tsv | awk '$3 ~ /^2/ { print $4 }' | sort -u >"$TMP/accepted.txt"
awk '$2 == "wsb" { print $1 }' "$TMP/feed.txt" | sort >"$TMP/feed-wsb.txt"
awk '$2 == "wsrm" { print $1 }' "$TMP/feed.txt" | sort >"$TMP/feed-wsrm.txt"
ACCEPTED=$(wc -l <"$TMP/accepted.txt" | tr -d ' ')
LOST=$(comm -23 "$TMP/accepted.txt" <(sort -u "$TMP/feed-wsb.txt") | wc -l | tr -d ' ')
DUPLICATES=$(( $(uniq -d "$TMP/feed-wsb.txt" | wc -l) + $(uniq -d "$TMP/feed-wsrm.txt" | wc -l) ))
WSRM_IN_FEED=$(sort -u "$TMP/feed-wsrm.txt" | wc -l | tr -d ' ')
[[ "$LOST" == 0 ]] || fail "$LOST webhook(s) answered 2xx are not in the feed"
[[ "$DUPLICATES" == 0 ]] || fail "$DUPLICATES message id(s) more than once in the feed"
[[ "$WSRM_IN_FEED" == "$WSRM_ENQUEUED" ]] || fail "$WSRM_IN_FEED WSRM messages in the feed, $WSRM_ENQUEUED queued at the fake DFDG"
WSRM_DELETED=$(json_field deleted "$(wsrm_state)")
[[ "$WSRM_DELETED" == "$WSRM_ENQUEUED" ]] || fail "$WSRM_DELETED WSRM messages deleted at the fake DFDG, $WSRM_ENQUEUED queued"
log "accepted webhooks $ACCEPTED, lost $LOST; WSRM queued $WSRM_ENQUEUED, in the feed $WSRM_IN_FEED; duplicates $DUPLICATES"

# ---------------------------------------------------------------- 7. report
# each container's log, both of its runs (before and after its SIGTERM)
for s in "${SERVICES[@]}"; do pm logs "$(cname "$s")" >"$TMP/logs/$s.log" 2>&1 || true; done
mb() { awk -v b="${1:-0}" 'BEGIN { printf "%.0f", b / 1e6 }'; }
size_of() { awk -v s="$1" '$1 == s { print $2 }' "$TMP/sizes"; }
start_report containers
{
  report_head "Containers (images built and run as the chart runs the pods)"
  echo "| Build | git HEAD $GIT_HEAD, $GIT_DIRTY uncommitted file(s) at run time |"
  echo "| podman / OCI runtime | $(podman --version | awk '{print $3}') / $CONTAINERS_RUNTIME ($("$CONTAINERS_RUNTIME" --version | head -1 | awk '{print $3}')); ulimits ${CONTAINERS_ULIMITS[*]} |"
  echo "| Base image | \`$BASE_IMAGE_LOCAL\` (containers/base-image.sh: Debian $DEBIAN_SUITE minbase + openjdk-17-jre-headless), $(mb "$BASE_SIZE") MB; $IMAGE_JAVA |"
  echo
  echo "## Images and start"
  echo
  echo "Start: from \`podman run\` to the first 200 of \`/q/health/ready\` (polled every 0.2 s), the first start of each"
  echo "container one after the other; \"Quarkus\" is the application's own \"started in\". Again: the same container"
  echo "started after its SIGTERM."
  echo
  echo "| Service | image size (MB) | of which the application (MB) | start to ready (s) | Quarkus started in (s) | again after SIGTERM (s) | memory limit (chart) |"
  echo "|---|---|---|---|---|---|---|"
  for s in "${SERVICES[@]}"; do
    size=$(size_of "$s")
    echo "| $s | $(mb "$size") | $(mb $(( size - BASE_SIZE ))) | ${READY_S[$s]} | ${STARTED_IN[$s]:-?} | ${RESTART_READY_S[$s]:-?} | ${MEMORY[$s]} |"
  done
  echo
  echo "JVM options (JDK_JAVA_OPTIONS, as the chart sets them: its options and the service's javaOpts):"
  echo "\`${JOPTS[token-broker]}\`"
  echo
  echo "## Main flows through the containers"
  echo
  echo "| Flow | answer |"
  echo "|---|---|"
  for k in "${!FLOW[@]}"; do echo "| $k | ${FLOW[$k]//|/\\|} |"; done | sort
  echo
  echo "## SIGTERM under load"
  echo
  echo "\`podman kill --signal TERM\` (java is PID 1, no shell in between), then \`podman wait\`. The chart gives $GRACE_S s"
  echo "(terminationGracePeriodSeconds) with a $PRESTOP_S s preStop pause first: a service must be gone within $(( GRACE_S - PRESTOP_S )) s."
  echo "In flight: requests sent at least 200 ms before the SIGTERM and not answered yet at it; they must all be answered"
  echo "2xx. Later requests may be refused (503 while shutting down, or no connection once the listener is closed) — in"
  echo "Kubernetes they go to another replica — but never get another error."
  echo
  echo "| Service | load | stop time (s) | exit code | in flight at SIGTERM | sent after SIGTERM |"
  echo "|---|---|---|---|---|---|"
  for s in codelist-service bcss-proxy token-broker dfdg-poller wsb-receiver; do
    echo "| $s | ${LOAD_DESC[$s]} | ${STOP_S[$s]:-?} | ${EXIT_CODE[$s]:-?} | ${INFLIGHT[$s]:-?} | ${AFTER[$s]:-?} |"
  done
  echo
  echo "## Nothing lost"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| STAR webhooks answered 2xx (all runs) | $ACCEPTED |"
  echo "| **of which not in the feed** | **$LOST** |"
  echo "| WSRM messages queued at the fake DFDG / deleted there (drained) / in the feed | $WSRM_ENQUEUED / $WSRM_DELETED / $WSRM_IN_FEED |"
  echo "| message ids more than once in the feed | $DUPLICATES |"
  echo
  echo "## Security settings (as the chart's pods)"
  echo
  echo "\`podman run --user 185:0 --group-add 185 --read-only --read-only-tmpfs=false --tmpfs /tmp:size=${TMP_SIZE%i} --cap-drop=ALL"
  echo "--security-opt no-new-privileges --memory <limit> --network host\`, configuration at \`$CONFIG_DIR\` (read-only),"
  echo "key material at \`$SECRETS_DIR\` (read-only, mode 0440, owner 185). Checked on each running container: uid 185,"
  echo "read-only root file system, PID 1 is java."
  echo
  LOGS=()
  for s in "${SERVICES[@]}"; do LOGS+=("$TMP/logs/$s.log"); done
  logs_section "${LOGS[@]}"
} >"$REPORT"
finish_report containers
