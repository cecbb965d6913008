#!/usr/bin/env bash
# Drain benchmark of dfdg-poller on 127.0.0.1: the fake DFDG WSRM service holds 50,000 messages for one subscriber
# (8:58) over 5 Get operations; the packaged poller drains them over mutual TLS (FOCES stand-in foces-client) into the
# packaged wsb-receiver (POST /v1/ingest, embedded PostgreSQL 16 with fsync on).
#   bench/dfdg-poller-bench.sh      test the artifacts already built (./mvnw -B -q -DskipTests install first)
# Reports the drain time from the first CreateSequence until every message is deleted at DFDG and numbered in the
# feed, messages/s, the poller's CPU (utime + stime from /proc; seconds and % of one core) and RSS peak (VmHWM), the
# sequences (the poller's dfdg_wsrm_sequences_total), and checks that every enqueued MessageIdentifier is in the feed
# (read from cursor 0 through GET /v1/events) exactly once and deleted at DFDG.
# Writes bench/reports/dfdg-poller-<UTC date>.md and -latest.md, then prints the report. Exits non-zero when a step
# fails or a check does not hold. Bounded: BENCH_TIME_LIMIT_S (600). Takes about 1.5 minutes.
# Settings: BENCH_COUNT (50000), BENCH_SERVICES (5), BENCH_SEED (42), BENCH_MAX_INVENTORY (10000, messages per
# sequence), BENCH_EVERY (10s, poller.schedule.every), BENCH_INITIAL_DELAY (2s), BENCH_INGEST_BATCH (500,
# poller.wsrm.ingest-batch), BENCH_POLLER_JAVA_OPTS (none); ports BENCH_PG_PORT, BENCH_ISSUER_PORT, BENCH_WSRM_PORT,
# BENCH_HTTP_PORT, BENCH_WEBHOOK_PORT, BENCH_MGMT_PORT (receiver), BENCH_POLLER_HTTP_PORT, BENCH_POLLER_MGMT_PORT;
# BENCH_KEEP_TMP=1 keeps the temp dir (logs).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"
bench_args "$@"

dfdg_settings
dfdg_preconditions

# ---------------------------------------------------------------- 1. PostgreSQL, issuer, fake DFDG (driver), receiver
start_dfdg_stack dfdg-poller-bench 600

# ---------------------------------------------------------------- 2. the poller drains the queue
start_poller "$TMP/logs/dfdg-poller.log" "$TMP/logs/dfdg-poller-startup.log"
log "dfdg-poller launched (pid $POLLER_PID); waiting for the drain"

FAILURES=()
CPU_START=""
RECEIVER_CPU_START=""
DRIVER_CPU_START=""
while :; do
  kill -0 "$POLLER_PID" 2>/dev/null || { FAILURES+=("dfdg-poller exited by itself (see its log)"); break; }
  kill -0 "$DRIVER_PID" 2>/dev/null || { FAILURES+=("the driver exited before the drain ended"); break; }
  if [[ -z "$CPU_START" && -n "$(progress_value first_create_ms)" ]]; then
    CPU_START=$(cpu_ticks "$POLLER_PID")
    RECEIVER_CPU_START=$(cpu_ticks "$RECEIVER_PID")
    DRIVER_CPU_START=$(cpu_ticks "$DRIVER_JAVA_PID")
    log "first CreateSequence; poller CPU so far $(ticks_s "$CPU_START") s"
  fi
  [[ "$(progress_value done)" == 1 ]] && break
  [[ $(remaining_s) -gt 0 ]] || die "time limit of $TIME_LIMIT_S s reached (waiting for the drain)"
  sleep 0.1
done
CPU_END=$(cpu_ticks "$POLLER_PID")
RECEIVER_CPU_END=$(cpu_ticks "$RECEIVER_PID")
DRIVER_CPU_END=$(cpu_ticks "$DRIVER_JAVA_PID")
POLLER_HWM=$(hwm_kib "$POLLER_PID")
POLLER_RSS=$(rss_kib "$POLLER_PID")
log "drain done; poller CPU $(ticks_s "$CPU_END") s in all"

# ---------------------------------------------------------------- 3. counters and checks, then stop everything
read_final_counters
finish_dfdg_driver
dfdg_check_figures
[[ -n "$CPU_START" ]] || FAILURES+=("the first CreateSequence was never seen")
[[ "$(f dfdg_delivery_attempts)" == "{1=$COUNT}" ]] \
  || FAILURES+=("messages were taken into more than one sequence although nothing failed: DeliveryAttempts $(f dfdg_delivery_attempts)")
[[ "$(f dfdg_faults)" == "{}" ]] || FAILURES+=("DFDG answered faults: $(f dfdg_faults)")

# ---------------------------------------------------------------- 4. report
CPU_DRAIN=$(ticks_s $(( CPU_END - ${CPU_START:-0} )))
DRAIN_S=$(f drain_seconds)
start_report dfdg-poller
{
  report_head dfdg-poller
  receiver_build_row
  echo "| Poller build | \`dfdg-poller/target/quarkus-app\` of $POLLER_JAR_TIME; $POLLER_DIRTY uncommitted file(s) under dfdg-poller/src, dfdg-soap/src at run time |"
  echo
  echo "## Set-up"
  echo
  dfdg_setup_lines 600
  echo "- Drain time: from the first CreateSequence (the simulator's record of it) until the driver sees every message"
  echo "  deleted at DFDG (TerminateSequenceCorrect) and $COUNT events of authority DFDG-WSRM numbered in the feed (polled"
  echo "  every 200 ms). CPU: utime + stime of the poller's process from \`/proc/<pid>/stat\`, sampled when the script saw"
  echo "  the first CreateSequence (polled every 100 ms) and when the drain was done."
  echo
  echo "## Figures"
  echo
  echo "| Figure | Value |"
  echo "|---|---|"
  echo "| Messages enqueued at DFDG | $(f enqueued) $(f enqueued_per_service) |"
  echo "| **Drain time** (first CreateSequence → queue empty, all in the feed) | **$DRAIN_S s** |"
  echo "| **Throughput** | **$(f messages_per_second) messages/s** |"
  echo "| Sequences (dfdg_wsrm_sequences_total) | $(poller_metric 'dfdg_wsrm_sequences_total{outcome="terminated"}') terminated, $(poller_metric 'dfdg_wsrm_sequences_total{outcome="empty"}') empty, $(poller_metric 'dfdg_wsrm_sequences_total{outcome="closed"}') closed, $(poller_metric 'dfdg_wsrm_sequences_total{outcome="not_created"}') not created |"
  echo "| Drains (dfdg_wsrm_drain_duration_seconds count / sum) | $(poller_metric dfdg_wsrm_drain_duration_seconds_count) / $(awk '$1 == "dfdg_wsrm_drain_duration_seconds_sum" { printf "%.1f s", $2 }' <<<"$POLLER_METRICS") |"
  echo "| DFDG calls | $(f dfdg_calls) |"
  echo "| **Poller CPU during the drain** | **$CPU_DRAIN s = $(percent "$CPU_DRAIN" "$DRAIN_S") % of one core** |"
  echo "| Poller CPU from launch to the end of the drain (with start-up) | $(ticks_s "$CPU_END") s (Quarkus \"started in\" $(started_in "$TMP/logs/dfdg-poller-startup.log" || true) s) |"
  echo "| **Poller RSS peak (VmHWM)** / RSS at the end | **$(mib "$POLLER_HWM") MiB** / $(mib "$POLLER_RSS") MiB |"
  echo "| wsb-receiver CPU during the drain | $(ticks_s $(( RECEIVER_CPU_END - ${RECEIVER_CPU_START:-0} ))) s |"
  echo "| Driver CPU during the drain (fake DFDG + progress polling; PostgreSQL is another process) | $(ticks_s $(( DRIVER_CPU_END - ${DRIVER_CPU_START:-0} ))) s |"
  echo
  echo "## Checks"
  echo
  echo "| Check | Value | Must be |"
  echo "|---|---|---|"
  dfdg_check_rows
  echo "| DeliveryAttempt per message (attempts=messages) | $(f dfdg_delivery_attempts) | {1=$COUNT} |"
  echo "| Sequence receipts at wsb-receiver (outcome=count; fetched / stored / duplicates) | $(f db_sequence_receipts); $(f db_sequence_receipts_fetched) / $(f db_sequence_receipts_stored) / $(f db_sequence_receipts_duplicates) | — |"
  echo "| Faults answered by DFDG (operation:code=count) | $(f dfdg_faults) | {} |"
  echo
  echo "## Counters at the end"
  echo
  echo '```'
  echo "${POLLER_METRICS:-(no poller metrics)}"
  echo "${RECEIVER_METRICS:-(no receiver metrics)}"
  echo '```'
  echo
  logs_section "$TMP/logs/dfdg-poller.log" "$TMP/logs/wsb-receiver.log"
  echo
  driver_output_section
} >"$REPORT"
finish_report dfdg-poller
