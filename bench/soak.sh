#!/usr/bin/env bash
# Soak test of the local stack: token-broker, bcss-proxy and wsb-receiver (with PostgreSQL) together under a steady
# load for BENCH_SOAK_SECONDS (600), so that a leak or a slow drift shows: every 10 s, per path the requests, errors,
# p50 and p99 of that window, and each service's RSS and CPU.
#   bench/soak.sh              build (./mvnw -B -q -pl token-broker,bcss-proxy,wsb-receiver,simulators -am package
#                              -DskipTests), then run
#   bench/soak.sh --no-build   run what was built before
# Load (bench/SoakLoad.java, open loop at fixed rates, JDK HttpClient): BENCH_RATE_GET/s GETs through bcss-proxy to
# the gateway simulator, BENCH_RATE_TOKEN/s token requests to token-broker, BENCH_RATE_WEBHOOK/s STAR webhooks (each
# a new message) over mutual TLS to wsb-receiver, and one feed reader long-polling wsb-receiver's feed.
# The services run with their pods' JVM settings (the image's defaults, the chart's JDK_JAVA_OPTIONS with javaOpts,
# -XX:MaxRAM=<memory limit>; no CPU pinning: three services and the load share the machine's CPUs).
# Writes bench/reports/soak-<UTC date>.md and soak-latest.md, then prints the report. Exits non-zero when a step
# fails or the run is invalid: any error, a lost webhook (answered 2xx, not in the feed at the end), an id twice in
# the feed, a service gone. Drift (RSS of the last third against the middle third over BENCH_RSS_DRIFT_MIB, p99 of
# the last third over twice the middle third's) is reported as a finding, not as invalid. All on 127.0.0.1;
# bounded by BENCH_TIME_LIMIT_S (BENCH_SOAK_SECONDS + 480).
# Settings: BENCH_SOAK_SECONDS (600; at least 30, a multiple of 10), BENCH_RATE_GET (50), BENCH_RATE_TOKEN (50),
# BENCH_RATE_WEBHOOK (20), BENCH_RSS_DRIFT_MIB (32), BENCH_SOAK_WARMUP (2000 answers in a row per path, one at a
# time, before the schedule starts: a cold JVM at these rates queues past 64 open requests in its first seconds),
# BENCH_SOAK_RAMP_S (30, a multiple of 10: the cold start at full rate, reported apart: its errors are a finding, not
# a failure; its webhooks are checked for loss like all others); ports BENCH_OAUTH_PORT, BENCH_ISSUER_PORT, BENCH_ADMIN_PORT,
# BENCH_GATEWAY_PORT, BENCH_PG_PORT, BENCH_BROKER_PORT, BENCH_BROKER_MGMT_PORT, BENCH_PROXY_PORT,
# BENCH_PROXY_MGMT_PORT, BENCH_HTTP_PORT, BENCH_WEBHOOK_PORT, BENCH_MGMT_PORT (34443, 34444, 34099, 34445, 34432,
# 34081, 34091, 34082, 34092, 34083, 34453, 34093); BENCH_KEEP_TMP=1 keeps the temp dir (logs).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"

bench_build_args "$@"

OAUTH_PORT=${BENCH_OAUTH_PORT:-34443}
ISSUER_PORT=${BENCH_ISSUER_PORT:-34444}
ADMIN_PORT=${BENCH_ADMIN_PORT:-34099}
GATEWAY_PORT=${BENCH_GATEWAY_PORT:-34445}
PG_PORT=${BENCH_PG_PORT:-34432}
BROKER_PORT=${BENCH_BROKER_PORT:-34081}
BROKER_MGMT_PORT=${BENCH_BROKER_MGMT_PORT:-34091}
PROXY_PORT=${BENCH_PROXY_PORT:-34082}
PROXY_MGMT_PORT=${BENCH_PROXY_MGMT_PORT:-34092}
HTTP_PORT=${BENCH_HTTP_PORT:-34083}
WEBHOOK_PORT=${BENCH_WEBHOOK_PORT:-34453}
MGMT_PORT=${BENCH_MGMT_PORT:-34093}
SOAK_SECONDS=${BENCH_SOAK_SECONDS:-600}
SOAK_WARMUP=${BENCH_SOAK_WARMUP:-2000}
SOAK_RAMP_S=${BENCH_SOAK_RAMP_S:-30}
RATE_GET=${BENCH_RATE_GET:-50}
RATE_TOKEN=${BENCH_RATE_TOKEN:-50}
RATE_WEBHOOK=${BENCH_RATE_WEBHOOK:-20}
RSS_DRIFT_MIB=${BENCH_RSS_DRIFT_MIB:-32}
WINDOW_S=10
TIME_LIMIT_S=${BENCH_TIME_LIMIT_S:-$(( ${SOAK_SECONDS//[^0-9]/} + ${SOAK_RAMP_S//[^0-9]/} + 480 ))}

CALLER_SUBJECT=system:serviceaccount:bench:reader
ADMIN=http://127.0.0.1:$ADMIN_PORT
SERVICES=(token-broker bcss-proxy wsb-receiver)

# ---------------------------------------------------------------- preconditions
[[ "$SOAK_RAMP_S" =~ ^[0-9]+$ && $(( SOAK_RAMP_S % WINDOW_S )) == 0 && "$SOAK_RAMP_S" -le 300 ]] || die "BENCH_SOAK_RAMP_S must be 0-300, a multiple of $WINDOW_S"
[[ "$SOAK_SECONDS" =~ ^[0-9]+$ && "$SOAK_SECONDS" -ge 30 && "$SOAK_SECONDS" -le 7200 && $(( SOAK_SECONDS % WINDOW_S )) == 0 ]] \
  || die "BENCH_SOAK_SECONDS must be 30-7200, a multiple of $WINDOW_S"
for rate in "$RATE_GET" "$RATE_TOKEN" "$RATE_WEBHOOK"; do
  [[ "$rate" =~ ^[1-9][0-9]*$ && "$rate" -le 2000 ]] || die "BENCH_RATE_* must be 1-2000 (requests per second)"
done
[[ "$RSS_DRIFT_MIB" =~ ^[0-9]+$ ]] || die "BENCH_RSS_DRIFT_MIB must be a number"
require_commands java curl keytool awk ss
require_free_ports "$OAUTH_PORT" "$ISSUER_PORT" "$ADMIN_PORT" "$GATEWAY_PORT" "$PG_PORT" "$BROKER_PORT" \
  "$BROKER_MGMT_PORT" "$PROXY_PORT" "$PROXY_MGMT_PORT" "$HTTP_PORT" "$WEBHOOK_PORT" "$MGMT_PORT"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- 1. build, copy, compile the driver
if [[ "$BUILD" == 1 ]]; then
  log "building: ./mvnw -B -q -pl token-broker,bcss-proxy,wsb-receiver,simulators -am package -DskipTests"
  ./mvnw -B -q -pl token-broker,bcss-proxy,wsb-receiver,simulators -am package -DskipTests || die "build failed"
fi
for s in "${SERVICES[@]}"; do
  [[ -f "$s/target/quarkus-app/quarkus-run.jar" ]] || die "$s/target/quarkus-app/quarkus-run.jar missing; build first (without --no-build)"
done
[[ -f simulators/target/simulators.jar && -d simulators/target/lib ]] || die "simulators/target/simulators.jar or lib/ missing; build first"
GIT_HEAD=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
GIT_DIRTY=$(git status --porcelain 2>/dev/null | wc -l | tr -d ' ')

stage_simulators soak
for s in "${SERVICES[@]}"; do cp -a "$s/target/quarkus-app" "$TMP/$s"; done
mkdir -p "$TMP/client"
cp -a "$BENCH_DIR/SoakLoad.java" "$TMP/client/"
CP="$TMP/simulators/simulators.jar:$TMP/simulators/lib/*"
if command -v javac >/dev/null; then
  javac -cp "$CP" -d "$TMP/client" "$TMP/client/SoakLoad.java" || die "cannot compile bench/SoakLoad.java"
else
  java -m jdk.compiler/com.sun.tools.javac.Main -cp "$CP" -d "$TMP/client" "$TMP/client/SoakLoad.java" \
    || die "cannot compile bench/SoakLoad.java (a JDK 17+ is needed)"
fi
log "artifacts copied to $TMP"
PKI=$TMP/pki
SIM_LOG=$TMP/logs/simulators.log

# ---------------------------------------------------------------- 2. simulators (with PostgreSQL), the three services
start_simulators "$GATEWAY_PORT" --postgres-port "$PG_PORT" --postgres-dir "$TMP/postgres"
log "simulators up (pid $SIM_PID)"
STAR_PIN=$(keytool -printcert -file "$PKI/star-client.crt" | sed -n 's/^[[:space:]]*SHA256:[[:space:]]*//p' | head -1)
[[ -n "$STAR_PIN" ]] || die "cannot read the SHA-256 of $PKI/star-client.crt"

declare -A JOPTS=() PID_OF=() MGMT_OF=([token-broker]=http://127.0.0.1:$BROKER_MGMT_PORT
  [bcss-proxy]=http://127.0.0.1:$PROXY_MGMT_PORT [wsb-receiver]=http://127.0.0.1:$MGMT_PORT)
for s in "${SERVICES[@]}"; do JOPTS[$s]=$(footprint_java_opts "$s" 0); done
launch() { # launch SERVICE: with its properties and its pod's JVM options; waits until ready
  local s=$1
  # shellcheck disable=SC2086 # a list of options
  start_quarkus "$TMP/$s" "$TMP/$s.properties" "$TMP/logs/$s.log" ${JOPTS[$s]}
  PID_OF[$s]=$QUARKUS_PID
  await_ready "$s" "${MGMT_OF[$s]}" "$TMP/logs/$s.log" 60
  log "$s ready (pid $QUARKUS_PID)"
}

# once, before the first service: afterwards the services themselves hold some of these ports
footprint_await_unbound "$BROKER_PORT" "$BROKER_MGMT_PORT" "$PROXY_PORT" "$PROXY_MGMT_PORT" "$HTTP_PORT" "$WEBHOOK_PORT" \
  "$MGMT_PORT" || true
write_broker_properties "$TMP/token-broker.properties" "$BROKER_PORT" "$BROKER_MGMT_PORT"
launch token-broker

mint_caller_token system:serviceaccount:local:bcss-proxy token-broker 86400 >"$TMP/bcss-proxy.token"
write_proxy_properties "$TMP/bcss-proxy.properties" "$PROXY_PORT" "$PROXY_MGMT_PORT" "http://127.0.0.1:$BROKER_PORT" "$TMP/bcss-proxy.token"
launch bcss-proxy

write_receiver_properties "$TMP/wsb-receiver.properties" "$HTTP_PORT" "$WEBHOOK_PORT" "$MGMT_PORT" \
  "jdbc:postgresql://127.0.0.1:$PG_PORT/wsb" "$STAR_PIN"
launch wsb-receiver

# ---------------------------------------------------------------- 3. one call on each path, then the soak
PROXY_TOKEN=$(mint_caller_token "$CALLER_SUBJECT" bcss-proxy 86400)
BROKER_TOKEN=$(mint_caller_token "$CALLER_SUBJECT" token-broker 86400)
FEED_TOKEN=$(mint_caller_token "$CALLER_SUBJECT" wsb-receiver 86400)
PROXY_URL=http://127.0.0.1:$PROXY_PORT/v1/bcss/demo/v1/organizations/42
BROKER_URL=http://127.0.0.1:$BROKER_PORT/v1/tokens
WEBHOOK_URL=https://127.0.0.1:$WEBHOOK_PORT/wsb/akasse-58 # the certificate has IP:127.0.0.1; localhost may resolve to ::1 first
FEED_URL=http://127.0.0.1:$HTTP_PORT/v1/events
check_call() { # check_call WHAT CURL_ARGS...: dies unless 2xx within 5 tries (the first call of a path fetches tokens)
  local what=$1 code="" try
  shift
  for try in 1 2 3 4 5; do
    code=$(curl -s -o "$TMP/check.out" -w '%{http_code}' --max-time 30 "$@" || true)
    [[ "$code" == 2* ]] && return 0
    log "$what answered ${code:-nothing} (try $try of 5)"
    sleep 2
  done
  die "$what answered ${code:-nothing}: $(head -c 300 "$TMP/check.out" 2>/dev/null)"
}
check_call "GET through bcss-proxy" -H "Authorization: Bearer $PROXY_TOKEN" "$PROXY_URL"
check_call "POST /v1/tokens" -H "Authorization: Bearer $BROKER_TOKEN" -H 'Content-Type: application/json' \
  -d '{"scopes":["scope:cbss:api:demo:consult"]}' "$BROKER_URL"
check_call "GET /v1/events" -H "Authorization: Bearer $FEED_TOKEN" "$FEED_URL?after=0&limit=1"
IDLE_RSS=()
for s in "${SERVICES[@]}"; do IDLE_RSS+=("$(mib "$(rss_kib "${PID_OF[$s]}")")"); done

log "soak: $SOAK_SECONDS s at $RATE_GET GET/s through the proxy, $RATE_TOKEN token requests/s, $RATE_WEBHOOK webhooks/s, one feed reader"
DRIVER_RC=0
[[ $(remaining_s) -gt $(( SOAK_SECONDS + SOAK_RAMP_S + 90 )) ]] || die "time limit of $TIME_LIMIT_S s too close for a $SOAK_SECONDS s soak"
# common.parallelism: with 2 CPUs the JDK would run CompletableFuture stages (HttpClient's) on a new thread each
timeout "$(( $(remaining_s) - 30 ))" java -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 -cp "$TMP/client:$CP" SoakLoad --seconds "$SOAK_SECONDS" --warmup "$SOAK_WARMUP" --ramp "$SOAK_RAMP_S" --window "$WINDOW_S" \
  --out "$TMP/soak" --pki "$PKI" --clk-tck "$(clk_tck)" \
  --watch "token-broker=${PID_OF[token-broker]},bcss-proxy=${PID_OF[bcss-proxy]},wsb-receiver=${PID_OF[wsb-receiver]},simulators=$SIM_PID" \
  --proxy-url "$PROXY_URL" --proxy-token "$PROXY_TOKEN" --broker-url "$BROKER_URL" --broker-token "$BROKER_TOKEN" \
  --webhook-url "$WEBHOOK_URL" --feed-url "$FEED_URL" --feed-token "$FEED_TOKEN" \
  --rate-get "$RATE_GET" --rate-token "$RATE_TOKEN" --rate-webhook "$RATE_WEBHOOK" \
  >"$TMP/driver.out" 2>"$TMP/logs/driver.log" || DRIVER_RC=$?
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
read_driver_figures
SAMPLES=$TMP/soak/samples.tsv

# ---------------------------------------------------------------- 4. checks
FAILURES=()
FINDINGS=()
[[ "$DRIVER_RC" == 0 ]] || FAILURES+=("the load driver exited $DRIVER_RC (see $TMP/logs/driver.log)")
[[ "$(f windows)" == $(( SOAK_SECONDS / WINDOW_S )) ]] || FAILURES+=("$(f windows) windows sampled, not $(( SOAK_SECONDS / WINDOW_S ))")
for p in bcss-get token webhook; do
  k=${p//-/_}
  [[ "$(f "${k}_errors")" == 0 ]] || FAILURES+=("$p: $(f "${k}_errors") errors")
  [[ "$(f "${k}_ok")" =~ ^[1-9] ]] || FAILURES+=("$p: no request answered 2xx")
done
[[ "$(f error_kinds)" == none ]] || FAILURES+=("error kinds: $(f error_kinds)")
for p in bcss-get token webhook; do
  k=${p//-/_}
  [[ "$(f "${k}_ramp_errors")" == 0 ]] \
    || FINDINGS+=("cold start: $p had $(f "${k}_ramp_errors") errors in the first $SOAK_RAMP_S s at full rate (p99 up to $(f "${k}_ramp_p99_max_ms") ms; $(f ramp_error_kinds))")
done
[[ "$(f lost_webhooks)" == 0 ]] || FAILURES+=("**$(f lost_webhooks) lost webhooks** (answered 2xx, not in the feed within 60 s after the load)")
[[ "$(f feed_duplicates)" == 0 ]] || FAILURES+=("$(f feed_duplicates) message ids more than once in the feed")
[[ "$(f feed_errors)" == 0 ]] || FAILURES+=("the feed reader had $(f feed_errors) failed reads")
[[ "$(f still_in_flight)" == 0 ]] || FAILURES+=("$(f still_in_flight) requests without an answer 30 s after the load")
for s in "${SERVICES[@]}"; do
  kill -0 "${PID_OF[$s]}" 2>/dev/null || FAILURES+=("$s is not running any more")
done
drift() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "?" || b == "?") print "?"; else printf "%+.1f", b - a }'; }
for s in "${SERVICES[@]}"; do
  k=${s//-/_}
  d=$(drift "$(f "${k}_rss_middle_mib")" "$(f "${k}_rss_last_mib")")
  if [[ "$d" != "?" ]] && awk -v d="$d" -v t="$RSS_DRIFT_MIB" 'BEGIN { exit !(d > t) }'; then
    FINDINGS+=("$s RSS grew $d MiB from the middle third to the last third (threshold $RSS_DRIFT_MIB MiB)")
  fi
done
for p in bcss-get token webhook; do
  k=${p//-/_}
  if awk -v a="$(f "${k}_p99_middle_ms")" -v b="$(f "${k}_p99_last_ms")" 'BEGIN { exit !(a != "?" && b != "?" && b > 2 * a && b > 5) }'; then
    FINDINGS+=("$p p99 rose from $(f "${k}_p99_middle_ms") ms (middle third) to $(f "${k}_p99_last_ms") ms (last third)")
  fi
done

# ---------------------------------------------------------------- 5. report
# column NAME: the values of a samples.tsv column, one per line.
column() { awk -F'\t' -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } k { print $k }' "$SAMPLES"; }
# bar VALUE MAX: a text bar of up to 40 characters.
bar() { awk -v v="$1" -v m="$2" 'BEGIN { if (v != v + 0 || m <= 0) { print ""; exit } n = int(40 * v / m + 0.5); s = ""; for (i = 0; i < n; i++) s = s "#"; print s }'; }
# chart COLUMN UNIT: a text chart of one column over time.
chart() {
  local max
  max=$(column "$1" | awk '$1 == $1 + 0 && $1 > m { m = $1 } END { print m + 0 }')
  echo '```'
  paste <(column t_s) <(column "$1") | while IFS=$'\t' read -r t v; do
    printf '%5s s %9s %s | %s\n' "$t" "$v" "$2" "$(bar "$v" "$max")"
  done
  echo '```'
}
start_report soak
{
  report_head "Soak"
  echo "| Build | git HEAD $GIT_HEAD, $GIT_DIRTY uncommitted file(s) at run time |"
  echo "| Load average before / after | $LOAD_BEFORE / $LOAD_AFTER |"
  echo "| Logging | $(logging_setting) |"
  echo
  if [[ ${#FINDINGS[@]} -eq 0 ]]; then
    echo "Drift: none (RSS of the last third within $RSS_DRIFT_MIB MiB of the middle third, p99 of the last third at most twice the middle third's)."
  else
    echo "Drift findings (not a failure; in a short run the thirds are a few windows each):"
    for finding in "${FINDINGS[@]}"; do echo "- $finding"; done
  fi
  echo
  echo "## Summary"
  echo
  echo "$SOAK_SECONDS s, sampled every $WINDOW_S s. Rates are open loop (requests are sent on schedule whatever the answers"
  echo "take; a latency runs from the scheduled send to the end of the answer)."
  echo
  echo "| Path | rate | answered 2xx | errors | p99 middle third (ms) | p99 last third (ms) |"
  echo "|---|---|---|---|---|---|"
  echo "| GET through bcss-proxy (\`/v1/bcss/demo/v1/organizations/42\`) | $RATE_GET/s | $(f bcss_get_ok) | $(f bcss_get_errors) | $(f bcss_get_p99_middle_ms) | $(f bcss_get_p99_last_ms) |"
  echo "| token-broker \`POST /v1/tokens\` | $RATE_TOKEN/s | $(f token_ok) | $(f token_errors) | $(f token_p99_middle_ms) | $(f token_p99_last_ms) |"
  echo "| STAR webhook over mutual TLS | $RATE_WEBHOOK/s | $(f webhook_ok) | $(f webhook_errors) | $(f webhook_p99_middle_ms) | $(f webhook_p99_last_ms) |"
  echo
  echo "Cold start: the first $SOAK_RAMP_S s of the schedule at full rate (after the sequential warm-up), reported apart:"
  echo
  echo "| Path | answered 2xx | errors | highest window p99 (ms) |"
  echo "|---|---|---|---|"
  for p in bcss-get token webhook; do
    k=${p//-/_}
    echo "| $p | $(f "${k}_ramp_ok") | $(f "${k}_ramp_errors") | $(f "${k}_ramp_p99_max_ms") |"
  done
  echo
  echo "| Webhooks | |"
  echo "|---|---|"
  echo "| accepted (2xx) | $(f webhooks_accepted) |"
  echo "| feed events read (the warm-up's $SOAK_WARMUP included) | $(f feed_events) |"
  echo "| **lost** (accepted, not in the feed) | **$(f lost_webhooks)** |"
  echo "| ids more than once in the feed | $(f feed_duplicates) |"
  echo
  echo "| Service | RSS when ready (MiB) | RSS middle third (MiB) | RSS last third (MiB) | drift | RSS max (MiB) | JVM options |"
  echo "|---|---|---|---|---|---|---|"
  i=0
  for s in "${SERVICES[@]}"; do
    k=${s//-/_}
    echo "| $s | ${IDLE_RSS[$i]} | $(f "${k}_rss_middle_mib") | $(f "${k}_rss_last_mib") | $(drift "$(f "${k}_rss_middle_mib")" "$(f "${k}_rss_last_mib")") MiB | $(f "${k}_rss_max_mib") | \`${JOPTS[$s]}\` |"
    i=$(( i + 1 ))
  done
  echo
  echo "## Every window"
  echo
  echo "Windows at t <= 0 s are the cold start (not in the totals above). Requests, errors and p99 (ms) per path; the feed's events read and lag (accepted webhooks not read yet); RSS (MiB)"
  echo "and CPU (cores) per process."
  echo
  awk -F'\t' 'NR == 1 {
      printf "| t (s) | GET req | err | p99 | token req | err | p99 | webhook req | err | p99 | feed events | lag | broker RSS | CPU | proxy RSS | CPU | receiver RSS | CPU | simulators CPU |\n"
      printf "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
      for (i = 1; i <= NF; i++) k[$i] = i; next }
    { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f | %s | %.0f | %s | %.0f | %s | %s |\n",
        $k["t_s"], $k["bcss-get.requests"], $k["bcss-get.errors"], $k["bcss-get.p99_ms"],
        $k["token.requests"], $k["token.errors"], $k["token.p99_ms"],
        $k["webhook.requests"], $k["webhook.errors"], $k["webhook.p99_ms"], $k["feed.events"], $k["feed.lag"],
        $k["token-broker.rss_mib"], $k["token-broker.cores"], $k["bcss-proxy.rss_mib"], $k["bcss-proxy.cores"],
        $k["wsb-receiver.rss_mib"], $k["wsb-receiver.cores"], $k["simulators.cores"] }' "$SAMPLES"
  echo
  echo "## Over time"
  for p in bcss-get token webhook; do echo; echo "p99 of $p (ms):"; chart "$p.p99_ms" ms; done
  for p in bcss-get token webhook; do echo; echo "errors of $p:"; chart "$p.errors" ""; done
  for s in "${SERVICES[@]}"; do echo; echo "RSS of $s (MiB):"; chart "$s.rss_mib" MiB; done
  echo
  echo "## Set-up"
  echo
  echo "- One simulators JVM: fake Smals OAuth, caller-token issuer, BCSS REST gateway (mutual TLS), embedded PostgreSQL 16"
  echo "  (fsync on, data on disk in the temp dir). The services' properties mirror \`local/*.properties\` with the bench's"
  echo "  ports and PKI; production logging (JSON at INFO, audit lines on); caller JWTs verified, host names verified."
  echo "- JVM options as in the pods (the image's defaults, the chart's JDK_JAVA_OPTIONS with javaOpts, the memory limit as"
  echo "  \`-XX:MaxRAM\`); the CPU limit is not emulated: the three services, the simulators and the load share $(nproc) CPUs."
  echo "- \`bench/SoakLoad.java\` (JDK HttpClient, HTTP/1.1 keep-alive pools, asynchronous sends on a fixed schedule per"
  echo "  path; at most 64 open requests per path; first a warm-up, not counted, of $SOAK_WARMUP answers in a row per path, sent one at a time,"
  echo "  then the cold start: $SOAK_RAMP_S s at full rate reported apart)."
  echo "  The webhook sender presents STAR's client certificate and verifies"
  echo "  the receiver's host name; every webhook carries a new MeddelelseId. The feed reader long-polls"
  echo "  \`GET /v1/events?after=<next>&limit=1000&wait=2\`; after the load the driver waits (60 s at most) until every"
  echo "  accepted webhook's id is in the feed."
  echo
  logs_section "$TMP/logs/token-broker.log" "$TMP/logs/bcss-proxy.log" "$TMP/logs/wsb-receiver.log"
  echo
  echo "## Driver output"
  echo
  echo '```'
  cat "$TMP/driver.out"
  echo '```'
} >"$REPORT"
finish_report soak
