#!/usr/bin/env bash
# Crash test of wsb-receiver on 127.0.0.1: the simulated STAR sends 10,000 WSB messages (about 5 % sent twice) over
# mutual TLS, 32 in flight, retrying with STAR's back-off (base 50 ms); meanwhile the script kill -9s the receiver
# twice (when 2,500 and 6,000 messages are committed) and restarts it each time. PostgreSQL (embedded, fsync on,
# data on disk in the temp dir) stays up. At the end: nothing lost, nothing stored or fed twice, feed in order.
#   bench/wsb-receiver-crash.sh     test the artifacts already built (./mvnw -B -q -DskipTests install first)
# Reports sent, attempts, duplicates, delivered, stored, lost, duplicated (inbox_event and the feed read from
# cursor 0 through GET /v1/events), feed cursors strictly increasing, per-citizen order, restart times.
# Writes bench/reports/wsb-receiver-crash-<UTC date>.md and -latest.md, then prints the report. Exits non-zero when a
# step fails or a check does not hold. Bounded: BENCH_TIME_LIMIT_S (600). Takes about 2 minutes.
# Settings: BENCH_COUNT (10000), BENCH_CONCURRENCY (32), BENCH_DUPLICATE_RATE (0.05), BENCH_RETRY_BASE_MS (50),
# BENCH_MAX_ATTEMPTS (100), BENCH_KILL_AT ("2500 6000"), BENCH_DOWN_S (2), BENCH_SEED (42); ports BENCH_PG_PORT,
# BENCH_ISSUER_PORT, BENCH_HTTP_PORT, BENCH_WEBHOOK_PORT, BENCH_MGMT_PORT; BENCH_KEEP_TMP=1 keeps the temp dir (logs).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"
bench_args "$@"

#              PostgreSQL issuer HTTP  webhook management
receiver_ports 25432      25444  25083 25453   25003
COUNT=${BENCH_COUNT:-10000}
CONCURRENCY=${BENCH_CONCURRENCY:-32}
DUPLICATE_RATE=${BENCH_DUPLICATE_RATE:-0.05}
RETRY_BASE_MS=${BENCH_RETRY_BASE_MS:-50}
MAX_ATTEMPTS=${BENCH_MAX_ATTEMPTS:-100}
read -r -a KILL_AT <<<"${BENCH_KILL_AT:-2500 6000}"
DOWN_S=${BENCH_DOWN_S:-2}
SEED=${BENCH_SEED:-42}
TIME_LIMIT_S=${BENCH_TIME_LIMIT_S:-600}

check_time() { [[ $(remaining_s) -gt 0 ]] || die "time limit of $TIME_LIMIT_S s reached ($1)"; }

# ---------------------------------------------------------------- preconditions
require_commands java curl
[[ "$COUNT" =~ ^[0-9]+$ && "$COUNT" -ge 100 && "$COUNT" -le 100000 ]] || die "BENCH_COUNT must be 100-100000"
for k in "${KILL_AT[@]}"; do
  [[ "$k" =~ ^[0-9]+$ && "$k" -lt "$COUNT" ]] || die "BENCH_KILL_AT values must be numbers below BENCH_COUNT"
done
receiver_preconditions

# ---------------------------------------------------------------- 1. copy the artifacts, compile the driver
stage_receiver_driver wsb-receiver-crash WsbCrash.java

# ---------------------------------------------------------------- 2. PostgreSQL and the issuer (driver), receiver
start_driver "$(( TIME_LIMIT_S - 30 ))" --dir "$TMP" --pg-port "$PG_PORT" --issuer-port "$ISSUER_PORT" \
  --webhook-port "$WEBHOOK_PORT" --http-port "$HTTP_PORT" --count "$COUNT" --concurrency "$CONCURRENCY" \
  --duplicate-rate "$DUPLICATE_RATE" --retry-base-ms "$RETRY_BASE_MS" --max-attempts "$MAX_ATTEMPTS" --seed "$SEED" \
  --timeout "$(( TIME_LIMIT_S - 60 ))"
PIN=$(driver_env PIN)

RUNS=0
RECEIVER_PID=""
RUN_LOGS=()
start_receiver() { # sets RECEIVER_PID; returns once /q/health/ready answers 200
  RUNS=$(( RUNS + 1 ))
  local logfile=$TMP/logs/wsb-receiver-$RUNS.log
  RUN_LOGS+=("$logfile")
  # the same settings every run; io.quarkus also logs at INFO to a file per run, for the "started in" line
  write_receiver_properties "$TMP/wsb-receiver-$RUNS.properties" "$HTTP_PORT" "$WEBHOOK_PORT" "$MGMT_PORT" "$JDBC_URL" \
    "$PIN" "$TMP/logs/wsb-receiver-$RUNS-startup.log"
  start_quarkus "$TMP/wsb-receiver" "$TMP/wsb-receiver-$RUNS.properties" "$logfile"
  RECEIVER_PID=$QUARKUS_PID
  await_port wsb-receiver "$WEBHOOK_PORT" "$RECEIVER_PID" "$logfile"
  await_ready wsb-receiver "$MGMT" "$logfile"
}
forget_pid() { # forget_pid PID: no longer stopped by cleanup (it is gone)
  local kept=() p
  for p in "${PIDS[@]}"; do [[ "$p" == "$1" ]] || kept+=("$p"); done
  PIDS=("${kept[@]}")
}
stored() { sed -n 's/^stored=//p' "$TMP/progress" 2>/dev/null | head -1 || true; }

start_receiver
FIRST_READY_S=$(seconds_since "$QUARKUS_LAUNCHED_NS")
log "wsb-receiver ready (pid $RECEIVER_PID, ${FIRST_READY_S} s after launch); the load starts"
touch "$TMP/go"

# ---------------------------------------------------------------- 3. kill -9 and restart while the load runs
FAILURES=()
KILL_ROWS=()
for target in "${KILL_AT[@]}"; do
  while :; do
    s=$(stored); s=${s:-0}
    [[ "$s" -ge "$target" ]] && break
    kill -0 "$DRIVER_PID" 2>/dev/null || break
    kill -0 "$RECEIVER_PID" 2>/dev/null || break
    check_time "waiting for $target stored messages"
    sleep 0.05
  done
  if ! kill -0 "$DRIVER_PID" 2>/dev/null; then
    FAILURES+=("the load ended before $target messages were stored: no kill at $target"); break
  fi
  if ! kill -0 "$RECEIVER_PID" 2>/dev/null; then
    FAILURES+=("wsb-receiver run $RUNS exited by itself before the kill at $target (see its log)"); break
  fi
  kill -KILL "$RECEIVER_PID"
  KILL_NS=$(date +%s%N)
  wait "$RECEIVER_PID" 2>/dev/null || true
  forget_pid "$RECEIVER_PID"
  at_kill=$(stored)
  log "kill -9 wsb-receiver run $RUNS (pid $RECEIVER_PID) at stored=$at_kill; restart in $DOWN_S s"
  sleep "$DOWN_S"
  start_receiver
  down_s=$(seconds_since "$KILL_NS")
  KILL_ROWS+=("| $(( ${#KILL_ROWS[@]} + 1 )) | $target | ${at_kill:-?} | $down_s s | $(started_in "$TMP/logs/wsb-receiver-$RUNS-startup.log" || true) s |")
  log "wsb-receiver run $RUNS ready (pid $RECEIVER_PID), down for $down_s s"
done

# ---------------------------------------------------------------- 4. the driver finishes the load and checks
DRIVER_RC=0
while kill -0 "$DRIVER_PID" 2>/dev/null && [[ ! -f "$TMP/finished" ]]; do
  if ! kill -0 "$RECEIVER_PID" 2>/dev/null; then
    FAILURES+=("wsb-receiver run $RUNS exited by itself while the load was running (see its log)")
    kill -TERM "$DRIVER_PID" 2>/dev/null || true
    break
  fi
  check_time "waiting for the driver"
  sleep 0.5
done
# the receiver's counters, then stop it before the driver stops PostgreSQL
METRICS=$(curl -s --max-time 10 "$MGMT/q/metrics" | grep -E '^wsb_(messages_received_total|duplicates_total|feed_head|inbox_unpublished|webhook_refused)' || true)
stop_receiver_for_driver "$RECEIVER_PID"
wait "$DRIVER_PID" || DRIVER_RC=$?
forget_pid "$DRIVER_PID"
log "driver exited $DRIVER_RC"
read_driver_figures
is() { [[ "${FIG[$1]:-}" == "$2" ]]; }

[[ "$DRIVER_RC" == 0 ]] || FAILURES+=("the driver exited $DRIVER_RC ($(grep -h '^fatal=' "$TMP/driver.out" || echo 'a check failed'))")
[[ ${#KILL_ROWS[@]} -eq ${#KILL_AT[@]} ]] || FAILURES+=("only ${#KILL_ROWS[@]} of ${#KILL_AT[@]} kills were done")
is all_delivered true || FAILURES+=("not every message was delivered (delivered $(f delivered) of $(f sendings) sendings)")
is lost 0 || FAILURES+=("$(f lost) message(s) lost (sent, not stored): $(f lost_ids)")
is db_duplicated_ids 0 || FAILURES+=("$(f db_duplicated_ids) message id(s) stored more than once in inbox_event")
is feed_duplicated_ids 0 || FAILURES+=("$(f feed_duplicated_ids) message id(s) more than once in the feed")
is feed_missing_ids 0 || FAILURES+=("$(f feed_missing_ids) message id(s) sent but not in the feed")
is feed_cursor_strictly_increasing true || FAILURES+=("the feed cursors are not strictly increasing")
is feed_citizen_order_violations 0 || FAILURES+=("$(f feed_citizen_order_violations) citizen(s) whose messages are out of order in the feed")
is feed_message_id_mismatch 0 || FAILURES+=("$(f feed_message_id_mismatch) feed event(s) whose message JSON has another MeddelelseId")

# ---------------------------------------------------------------- 5. report
start_report wsb-receiver-crash
{
  report_head wsb-receiver-crash
  receiver_build_row
  echo
  echo "## Set-up"
  echo
  echo "- PostgreSQL 16 (embedded, \`db.LocalPostgres\`: fsync on, synchronous_commit on, data on disk in the temp dir),"
  echo "  started once by \`bench/WsbCrash.java\` and never stopped during the run."
  echo "- The packaged receiver (\`quarkus-run.jar\`, default JVM options), webhook \`https://localhost:$WEBHOOK_PORT/wsb/akasse-58\`"
  echo "  with mutual TLS (STAR's certificate trusted and pinned), feed \`http://127.0.0.1:$HTTP_PORT/v1/events\`."
  echo "- Simulated STAR (\`wsb.StarWsbSender\`, in the driver): \`LoadSpec(\"/wsb/akasse-58\", $COUNT, $CONCURRENCY, $DUPLICATE_RATE, $SEED)\`,"
  echo "  i.e. $COUNT messages about $(( COUNT / 4 )) citizens (one message per citizen at a time, in order), a duplicate sent"
  echo "  right after its original; retry of 5xx and of requests without answer after (2^n - 1) x $RETRY_BASE_MS ms, at most"
  echo "  $MAX_ATTEMPTS attempts, request timeout 10 s."
  echo "- The script polls the number of committed receipts (written by the driver every 200 ms) and, at each threshold,"
  echo "  sends \`kill -9\` to the receiver, waits $DOWN_S s and starts it again (same properties, same database)."
  echo "- After the last outcome the driver waits until every stored event has a feed number, then reads the whole feed"
  echo "  with \`GET /v1/events?after=<next>&limit=1000\` from cursor 0 (caller token, audience wsb-receiver)."
  echo
  echo "## Kills"
  echo
  echo "| Kill | At stored >= | Stored when killed | Down (kill -9 to /q/health/ready = 200 again) | Quarkus \"started in\" of the new run |"
  echo "|---|---|---|---|---|"
  for row in "${KILL_ROWS[@]}"; do echo "$row"; done
  echo
  echo "First start: launch to ready in $FIRST_READY_S s (Quarkus \"started in\" $(started_in "$TMP/logs/wsb-receiver-1-startup.log" || true) s). Receiver runs in all: $RUNS."
  echo "Down time = $DOWN_S s wait + JVM and Quarkus start (on a machine whose CPUs the sender's retries and PostgreSQL"
  echo "share) + the wait for readiness; STAR's back-off then delays the traffic further (see the driver's progress lines)."
  echo
  echo "## Figures"
  echo
  echo "| Figure | Value | Must be |"
  echo "|---|---|---|"
  echo "| Messages sent (unique message ids) | **$(f sent_unique)** | $COUNT |"
  echo "| Duplicates sent (same message id again) | $(f duplicates_sent) | — |"
  echo "| Sendings (unique + duplicates) | $(f sendings) | — |"
  echo "| HTTP attempts in all | $(f attempts) | — |"
  echo "| Attempts without answer (connection refused or reset, timeout) / 5xx / other non-2xx | $(f attempts_no_answer) / $(f attempts_5xx) / $(f attempts_other_non2xx) | — |"
  echo "| Sendings that needed more than one attempt | $(f sendings_retried) | — |"
  echo "| Delivered per the sender (2xx) / rejected / gave up | **$(f delivered)** / $(f rejected) / $(f gave_up) | all / 0 / 0 |"
  echo "| Load time (first request to last outcome) | $(f send_seconds) s | — |"
  echo "| Stored unique message ids (inbox_event) | **$(f db_stored_unique_ids)** | $(f sent_unique) |"
  echo "| inbox_event rows / receipts | $(f db_inbox_rows) / $(f db_receipts) | both = unique ids |"
  echo "| Deliveries counted on the receipts (every commit of a sending, first or repeated) | $(f db_receipt_deliveries) | ≥ sendings |"
  echo "| **Lost** (sent, not stored) | **$(f lost)** | **0** |"
  echo "| Stored ids that were never sent | $(f db_unexpected_ids) | 0 |"
  echo "| **Duplicated in inbox_event** (message ids stored more than once) | **$(f db_duplicated_ids)** | **0** |"
  echo "| Feed read from cursor 0: events / pages | $(f feed_events) / $(f feed_pages) | events = unique ids |"
  echo "| **Duplicated in the feed** (message ids more than once) | **$(f feed_duplicated_ids)** | **0** |"
  echo "| Sent but missing from the feed | $(f feed_missing_ids) | 0 |"
  echo "| **Feed cursors strictly increasing** | **$(f feed_cursor_strictly_increasing)** (last $(f feed_last_cursor)) | true |"
  echo "| Feed numbers in the database: min / max / feed_state.last_seq | $(f db_feed_seq_min) / $(f db_feed_seq_max) / $(f db_feed_head) | 1 / unique ids / unique ids |"
  echo "| Citizens whose messages are in the feed in another order than STAR delivered them | $(f feed_citizen_order_violations) of $(f feed_citizens) | 0 |"
  echo "| Feed events whose raw \`message\` carries another MeddelelseId | $(f feed_message_id_mismatch) | 0 |"
  echo
  echo "Deliveries counted on the receipts minus sendings delivered = commits whose 2xx never reached STAR (the"
  echo "receiver was killed between the commit and the answer; STAR sent them again and got 2xx as a duplicate):"
  if [[ "${FIG[db_receipt_deliveries]:-}" =~ ^[0-9]+$ && "${FIG[delivered]:-}" =~ ^[0-9]+$ ]]; then
    echo "$(( FIG[db_receipt_deliveries] - FIG[delivered] ))."
  else
    echo "?."
  fi
  echo
  echo "## Receiver counters of the last run (since its start, read before it was stopped)"
  echo
  echo "The counters count since the last start; the gauges (wsb_feed_head, wsb_inbox_unpublished) are read from the"
  echo "database every wsb.metrics-interval (15 s by default), so they may lag the figures above."
  echo
  echo '```'
  echo "${METRICS:-(none)}"
  echo '```'
  echo
  echo "## Logs at WARN and above"
  for logfile in "${RUN_LOGS[@]}"; do
    echo
    echo "$(basename "$logfile"):"
    echo '```'
    lines=$(problem_lines "$logfile")
    if [[ -n "$lines" ]]; then head -20 <<<"$lines"; [[ $(wc -l <<<"$lines") -le 20 ]] || echo "... ($(wc -l <<<"$lines") lines)"; else echo "(none)"; fi
    echo '```'
  done
  echo
  driver_output_section
} >"$REPORT"
finish_report wsb-receiver-crash
