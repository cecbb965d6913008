#!/usr/bin/env bash
# Crash test of dfdg-poller on 127.0.0.1: the same drain as dfdg-poller-bench.sh (50,000 messages over 5 Get operations
# of the fake DFDG WSRM service, over mutual TLS into the packaged wsb-receiver), but the script kill -9s the poller 3
# times at random moments of the drain and restarts it each time. A killed poller leaves its sequence open at DFDG and
# its receipt IN_PROGRESS at wsb-receiver: the restarted poller's first drain closes that sequence (CloseSequence) and
# gets its messages again at once. (Were the receipt missing, the fake DFDG would put them back when the sequence
# expires, BENCH_SEQUENCE_EXPIRY_S without a call; until then CreateSequence answers ErrorCode 9001.)
#   bench/dfdg-poller-crash.sh      test the artifacts already built (./mvnw -B -q -DskipTests install first)
# Kill moments: each run is killed in the first sequence it opens, at a random point (BENCH_SEED) of that sequence's
# work: fetching its M messages, then ingesting them; the point is drawn uniformly from 2 % .. 98 % of the 2M steps
# (messages fetched as the simulator counts them, then messages ingested as the poller counts them), so kills land while
# fetching and while ingesting (some messages in the feed, the sequence not terminated: they must come again, once).
# Reports queued vs. in the feed vs. duplicated (goal: 0 lost, 0 duplicated in the feed), each kill (what the
# sequence was doing) and its recovery (kill to new sequence opened, to the next sequence terminated).
# Writes bench/reports/dfdg-poller-crash-<UTC date>.md and -latest.md, then prints the report. Exits non-zero when a
# step fails or a check does not hold. Bounded: BENCH_TIME_LIMIT_S (600). Takes about 3 minutes.
# Settings: BENCH_COUNT (50000), BENCH_SERVICES (5), BENCH_SEED (42), BENCH_KILLS (3), BENCH_SEQUENCE_EXPIRY_S (20), BENCH_DOWN_S (1, from the kill to the restart), BENCH_MAX_INVENTORY (10000),
# BENCH_EVERY (10s), BENCH_INITIAL_DELAY (2s), BENCH_INGEST_BATCH (500), BENCH_POLLER_JAVA_OPTS (none); ports as
# dfdg-poller-bench.sh; BENCH_KEEP_TMP=1 keeps the temp dir (logs).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"
bench_args "$@"

dfdg_settings
KILLS=${BENCH_KILLS:-3}
EXPIRY_S=${BENCH_SEQUENCE_EXPIRY_S:-20}
DOWN_S=${BENCH_DOWN_S:-1}
[[ "$KILLS" =~ ^[1-9]$ ]] || die "BENCH_KILLS must be 1-9"
[[ "$EXPIRY_S" =~ ^[0-9]+$ && "$EXPIRY_S" -ge 1 ]] || die "BENCH_SEQUENCE_EXPIRY_S must be a positive number"
[[ "$SEED" =~ ^[0-9]+$ ]] || die "BENCH_SEED must be a number"
dfdg_preconditions

# the kill points (per mille of a sequence's work: fetch, then ingest), drawn before anything runs: same seed, same points
RANDOM=$SEED
POINT_PERMILLE=()
for (( k = 0; k < KILLS; k++ )); do
  POINT_PERMILLE+=($(( 20 + (RANDOM * 32768 + RANDOM) % 961 )))
done
log "kill points (per mille of the first sequence's fetch + ingest): ${POINT_PERMILLE[*]}"

# run_ingested: messages the running poller has ingested (stored + duplicate) since its start, from its /q/metrics.
run_ingested() {
  curl -s --max-time 2 "$POLLER_MGMT/q/metrics" 2>/dev/null \
    | awk '/^dfdg_wsrm_messages_ingested_total\{/ { n += $2 } END { printf "%.0f", n }' || echo 0
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; } # secs MILLISECONDS
forget_pid() { # forget_pid PID: no longer stopped by cleanup (it is gone)
  local kept=() p
  for p in "${PIDS[@]}"; do [[ "$p" == "$1" ]] || kept+=("$p"); done
  PIDS=("${kept[@]}")
}

# ---------------------------------------------------------------- 1. PostgreSQL, issuer, fake DFDG (driver), receiver
start_dfdg_stack dfdg-poller-crash "$EXPIRY_S"

# ---------------------------------------------------------------- 2. drain, kill -9 and restart the poller
RUNS=0
RUN_LOGS=()
POLLER_CPU_TICKS=0 # of the killed runs
launch_poller() {
  RUNS=$(( RUNS + 1 ))
  RUN_LOGS+=("$TMP/logs/dfdg-poller-$RUNS.log")
  start_poller "$TMP/logs/dfdg-poller-$RUNS.log" "$TMP/logs/dfdg-poller-$RUNS-startup.log"
  log "dfdg-poller run $RUNS launched (pid $POLLER_PID)"
}

FAILURES=()
KILL_MS=()
RESTART_MS=()
DELETED_AT_KILL=()
REOPENED_MS=()
TERMINATED_MS=()
KILL_ROWS=()
# poll: one look at the progress; records the recovery of the latest kill (new sequence opened by the restarted run,
# then a sequence terminated after the kill).
poll() {
  local k=$(( ${#KILL_MS[@]} - 1 )) created deleted
  [[ $k -ge 0 ]] || return 0
  created=$(progress_value last_created_ms)
  deleted=$(progress_value deleted)
  if [[ -z "${REOPENED_MS[k]:-}" && -n "$created" && "$created" -ge "${RESTART_MS[k]}" ]]; then
    REOPENED_MS[k]=$(( created - KILL_MS[k] ))
  fi
  if [[ -z "${TERMINATED_MS[k]:-}" && -n "$deleted" && "$deleted" -gt "${DELETED_AT_KILL[k]}" ]]; then
    TERMINATED_MS[k]=$(( $(now_ms) - KILL_MS[k] ))
  fi
}
alive_or_fail() { # alive_or_fail WHAT: false (with a failure) when the poller or the driver is gone or the drain ended
  if ! kill -0 "$POLLER_PID" 2>/dev/null; then FAILURES+=("dfdg-poller run $RUNS exited by itself $1 (see its log)"); return 1; fi
  if ! kill -0 "$DRIVER_PID" 2>/dev/null; then FAILURES+=("the driver exited $1"); return 1; fi
  if [[ "$(progress_value done)" == 1 ]]; then FAILURES+=("the drain ended $1: only ${#KILL_MS[@]} of $KILLS kills done"); return 1; fi
  [[ $(remaining_s) -gt 0 ]] || die "time limit of $TIME_LIMIT_S s reached ($1)"
}

launch_poller
for (( k = 0; k < KILLS; k++ )); do
  # a sequence opened by this run
  ok=1
  while :; do
    poll
    created=$(progress_value last_created_ms)
    [[ -n "$created" && "$created" -ge "$POLLER_LAUNCHED_MS" ]] && break
    alive_or_fail "before run $RUNS opened a sequence" || { ok=0; break; }
    sleep 0.1
  done
  [[ $ok == 1 ]] || break
  # then the kill point of that sequence's work
  messages=$(progress_value open_messages)
  [[ "$messages" =~ ^[1-9][0-9]*$ ]] || messages=$MAX_INVENTORY
  target=$(( 2 * messages * POINT_PERMILLE[k] / 1000 ))
  while :; do
    poll
    fetched=$(progress_value open_fetched)
    if [[ "${fetched:-0}" -lt "$messages" ]]; then
      work=${fetched:-0}
    else
      work=$(( messages + $(run_ingested) ))
    fi
    [[ $work -ge $target ]] && break
    alive_or_fail "before kill $(( k + 1 ))" || { ok=0; break; }
    sleep 0.1
  done
  [[ $ok == 1 ]] || break
  POLLER_CPU_TICKS=$(( POLLER_CPU_TICKS + $(cpu_ticks "$POLLER_PID") ))
  kill -KILL "$POLLER_PID"
  KILL_MS+=("$(now_ms)")
  wait "$POLLER_PID" 2>/dev/null || true
  forget_pid "$POLLER_PID"
  # what the drain was doing (the driver's last look, at most 200 ms old)
  open=$(progress_value open_sequences); fetched=$(progress_value open_fetched); messages=$(progress_value open_messages)
  feed=$(progress_value feed); deleted=$(progress_value deleted)
  DELETED_AT_KILL+=("$deleted")
  if [[ "$open" == 0 ]]; then
    phase="no sequence open (between sequences or drains)"
  elif [[ "$fetched" -lt "$messages" ]]; then
    phase="fetching: $fetched of $messages fetched"
  else
    phase="all $messages fetched; ingesting: this run ingested $(( work - messages )) (feed − deleted: $(( feed - deleted )))"
  fi
  log "kill -9 dfdg-poller run $RUNS (pid $POLLER_PID) at $work of $(( 2 * messages )) steps: $phase; feed $feed, deleted at DFDG $deleted"
  KILL_ROWS+=("| $(( k + 1 )) | $RUNS | ${POINT_PERMILLE[k]} ‰ = step $target of $(( 2 * messages )) (at $work) | $phase | $feed | $deleted |")
  sleep "$DOWN_S"
  launch_poller
  RESTART_MS+=("$POLLER_LAUNCHED_MS")
done

# ---------------------------------------------------------------- 3. the last run ends the drain
while [[ "$(progress_value done)" != 1 ]]; do
  poll
  kill -0 "$POLLER_PID" 2>/dev/null || { FAILURES+=("dfdg-poller run $RUNS exited by itself (see its log)"); break; }
  kill -0 "$DRIVER_PID" 2>/dev/null || { FAILURES+=("the driver exited before the drain ended"); break; }
  [[ $(remaining_s) -gt 0 ]] || die "time limit of $TIME_LIMIT_S s reached (waiting for the drain to end)"
  sleep 0.1
done
poll
POLLER_CPU_TICKS=$(( POLLER_CPU_TICKS + $(cpu_ticks "$POLLER_PID") ))
log "drain done"

# ---------------------------------------------------------------- 4. counters and checks, then stop everything
read_final_counters
finish_dfdg_driver
dfdg_check_figures
[[ ${#KILL_MS[@]} -eq $KILLS ]] || FAILURES+=("only ${#KILL_MS[@]} of $KILLS kills were done")

# ---------------------------------------------------------------- 5. report
DUPLICATE_DELIVERIES="?"
if [[ "${FIG[db_receipt_deliveries]:-}" =~ ^[0-9]+$ && "${FIG[db_stored_unique_ids]:-}" =~ ^[0-9]+$ ]]; then
  DUPLICATE_DELIVERIES=$(( FIG[db_receipt_deliveries] - FIG[db_stored_unique_ids] ))
fi
start_report dfdg-poller-crash
{
  report_head dfdg-poller-crash
  receiver_build_row
  echo "| Poller build | \`dfdg-poller/target/quarkus-app\` of $POLLER_JAR_TIME; $POLLER_DIRTY uncommitted file(s) under dfdg-poller/src, dfdg-soap/src at run time |"
  echo
  echo "## Set-up"
  echo
  dfdg_setup_lines "$EXPIRY_S"
  echo "- Kills: $KILLS. Each poller run is killed in the first sequence it opens, at a random point of that sequence's"
  echo "  work of 2M steps (M messages fetched, as the simulator counts them, then M ingested, as the poller's"
  echo "  \`dfdg_wsrm_messages_ingested_total\` counts them; both polled every 0.1-0.2 s, so a kill comes up to one Get"
  echo "  answer or one ingest batch of 500 later). The points (BENCH_SEED=$SEED, uniform in 2-98 %) are"
  echo "  ${POINT_PERMILLE[*]} per mille. Then \`kill -9\`, $DOWN_S s pause, a new poller process (same properties)."
  echo "- The sequence expiry of $EXPIRY_S s without a call is longer than the longest pause between DFDG calls of a healthy"
  echo "  drain (the ingest of one 10,000-message sequence into wsb-receiver, about 5-7 s here): the real DFDG's expiry is"
  echo "  not published; the simulator's default is 10 min."
  echo
  echo "## Kills"
  echo
  echo "| Kill | Poller run killed | Kill point | What the open sequence was doing (driver's view, ≤ 0.2 s old) | In the feed | Deleted at DFDG |"
  echo "|---|---|---|---|---|---|"
  for row in "${KILL_ROWS[@]}"; do echo "$row"; done
  echo
  echo "| Kill | Restarted after | Restarted run opened a sequence after | Next sequence terminated after |"
  echo "|---|---|---|---|"
  for (( k = 0; k < ${#KILL_MS[@]}; k++ )); do
    r=never; t="never"
    [[ -z "${REOPENED_MS[k]:-}" ]] || r="$(secs "${REOPENED_MS[k]}") s"
    if [[ -n "${TERMINATED_MS[k]:-}" ]]; then
      t="$(secs "${TERMINATED_MS[k]}") s"
    elif (( k + 1 < ${#KILL_MS[@]} )); then
      t="— (that run was killed first, in kill $(( k + 2 )))"
    fi
    echo "| $(( k + 1 )) | $(secs $(( RESTART_MS[k] - KILL_MS[k] ))) s | $r | $t |"
  done
  echo
  echo "Times from the kill. The restarted poller's first drain (initial delay $INITIAL_DELAY after start-up) finds the"
  echo "killed run's sequence recorded IN_PROGRESS at wsb-receiver and closes it at DFDG before its CreateSequence, so it"
  echo "does not wait for DFDG's (unpublished) sequence expiry ($EXPIRY_S s here). A CreateSequence refused with ErrorCode"
  echo "9001 would mean a killed run's sequence was not closed that way (its receipt was not recorded yet)."
  echo
  echo "## Figures"
  echo
  echo "| Figure | Value | Must be |"
  echo "|---|---|---|"
  echo "| **Queued at DFDG** (enqueued) | **$(f enqueued)** $(f enqueued_per_service) | — |"
  dfdg_check_rows
  echo "| Messages DFDG handed out again (DeliveryAttempt per message: attempts=messages) | $(f dfdg_delivery_attempts) | — |"
  echo "| Duplicates wsb-receiver recognised (deliveries on the receipts − unique ids) | $DUPLICATE_DELIVERIES | — (messages in the feed before a kill come again) |"
  echo "| Sequence receipts at wsb-receiver (outcome=count; fetched / stored / duplicates) | $(f db_sequence_receipts); $(f db_sequence_receipts_fetched) / $(f db_sequence_receipts_stored) / $(f db_sequence_receipts_duplicates) | a killed run's receipt is IN_PROGRESS until the next run closes its sequence (then CLOSED) |"
  echo "| Sequences opened at DFDG / DFDG calls | $(f dfdg_sequences_seen) / $(f dfdg_calls) | — |"
  echo "| Faults answered by DFDG (operation:code=count) | $(f dfdg_faults) | none (CreateSequence:9001 only if a killed run's sequence was not closed by the next run) |"
  echo "| Drain time (first CreateSequence → queue empty, all in the feed) | $(f drain_seconds) s ($(f messages_per_second) messages/s, kills and recoveries included) | — |"
  echo "| Poller CPU, all $RUNS runs (start-ups included) | $(ticks_s "$POLLER_CPU_TICKS") s | — |"
  echo
  echo "## Counters of the last poller run and of wsb-receiver"
  echo
  echo '```'
  echo "${POLLER_METRICS:-(no poller metrics)}"
  echo "${RECEIVER_METRICS:-(no receiver metrics)}"
  echo '```'
  echo
  logs_section "${RUN_LOGS[@]}" "$TMP/logs/wsb-receiver.log"
  echo
  driver_output_section
} >"$REPORT"
finish_report dfdg-poller-crash
