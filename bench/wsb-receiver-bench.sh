#!/usr/bin/env bash
# Benchmark of wsb-receiver's durable ingest on 127.0.0.1: 64 concurrent senders POST WSB messages over mutual TLS
# to the packaged receiver (each message about another citizen, each answered 2xx only after its commit), one
# warm-up round of 30,000 then a measured round of 20,000; then, on the same embedded PostgreSQL, single-row
# INSERT + COMMIT over JDBC with 64 (and 32) threads (5,000 + 50,000 rows) and rows of the same size; and the
# ratio receiver / JDBC.
#   bench/wsb-receiver-bench.sh     benchmark the artifacts already built (./mvnw -B -q -pl wsb-receiver,simulators -am package -DskipTests first)
# Writes bench/reports/wsb-receiver-<UTC date>.md and bench/reports/wsb-receiver-latest.md, then prints the report.
# Exits non-zero when a step fails or any answer is not 2xx. Bounded: BENCH_TIME_LIMIT_S (420). About 2.5 minutes.
# Settings: BENCH_CONNECTIONS (64), BENCH_WARMUP (30000), BENCH_COUNT (20000), BENCH_JDBC_THREADS ("64,32"),
# BENCH_JDBC_WARMUP (5000), BENCH_JDBC_COUNT (50000), BENCH_RECEIVER_JAVA_OPTS; ports BENCH_PG_PORT, BENCH_ISSUER_PORT,
# BENCH_HTTP_PORT, BENCH_WEBHOOK_PORT, BENCH_MGMT_PORT; BENCH_KEEP_TMP=1 keeps the temp dir (logs) after the run;
# BENCH_PROFILE (1: async-profiler CPU flame graph of the receiver during the measured round only; 0: none),
# BENCH_FLAME_GRAPH_NAME (ingest-<UTC date>: bench/reports/flame-graphs/wsb-receiver/<name>.html), BENCH_STATS_SETTLE_S
# (11: pause after a round so that PostgreSQL's idle backends report their commit and WAL counts).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"
bench_args "$@"

#              PostgreSQL issuer HTTP  webhook management
receiver_ports 26432      26444  26083 26453   26003
CONNECTIONS=${BENCH_CONNECTIONS:-64}
WARMUP=${BENCH_WARMUP:-30000}
COUNT=${BENCH_COUNT:-20000}
JDBC_THREADS=${BENCH_JDBC_THREADS:-64,32}
JDBC_WARMUP=${BENCH_JDBC_WARMUP:-5000}
JDBC_COUNT=${BENCH_JDBC_COUNT:-50000}
RECEIVER_JAVA_OPTS=${BENCH_RECEIVER_JAVA_OPTS:-}
TIME_LIMIT_S=${BENCH_TIME_LIMIT_S:-420}
PROFILE=${BENCH_PROFILE:-1}
FLAME_GRAPH_NAME=${BENCH_FLAME_GRAPH_NAME:-ingest-$(date -u +%Y-%m-%d)}
STATS_SETTLE_S=${BENCH_STATS_SETTLE_S:-11}

# ---------------------------------------------------------------- preconditions
require_commands java curl
[[ "$PROFILE" == 0 || "$PROFILE" == 1 ]] || die "BENCH_PROFILE must be 0 or 1"
[[ "$FLAME_GRAPH_NAME" =~ ^[A-Za-z0-9._-]+$ ]] || die "BENCH_FLAME_GRAPH_NAME must be a plain file name (no .html)"
[[ "$STATS_SETTLE_S" =~ ^[0-9]+$ ]] || die "BENCH_STATS_SETTLE_S must be a number of seconds"
if [[ "$PROFILE" == 1 ]]; then require_commands jcmd unzip; fi
for v in CONNECTIONS WARMUP COUNT JDBC_WARMUP JDBC_COUNT; do
  [[ "${!v}" =~ ^[0-9]+$ && "${!v}" -ge 1 ]] || die "BENCH_$v must be a positive number"
done
[[ "$CONNECTIONS" -le 256 ]] || die "BENCH_CONNECTIONS must be at most 256"
[[ "$JDBC_THREADS" =~ ^[0-9]+(,[0-9]+)*$ ]] || die "BENCH_JDBC_THREADS must be a comma-separated list of numbers"
IFS=',' read -r -a JDBC_LIST <<<"$JDBC_THREADS"
receiver_preconditions

# ---------------------------------------------------------------- 1. copy the artifacts, compile the driver
stage_receiver_driver wsb-receiver-bench WsbIngestBench.java
RECEIVER_LOG=$TMP/logs/wsb-receiver.log
RECEIVER_STARTUP_LOG=$TMP/logs/wsb-receiver-startup.log

# ---------------------------------------------------------------- 2. PostgreSQL (driver), receiver
start_driver "$(( TIME_LIMIT_S - 20 ))" --dir "$TMP" --pg-port "$PG_PORT" --issuer-port "$ISSUER_PORT" \
  --webhook-port "$WEBHOOK_PORT" --connections "$CONNECTIONS" --warmup "$WARMUP" --count "$COUNT" \
  --jdbc-threads "$JDBC_THREADS" --jdbc-warmup "$JDBC_WARMUP" --jdbc-count "$JDBC_COUNT" \
  --timeout "$(( TIME_LIMIT_S - 40 ))" --stats-settle "$STATS_SETTLE_S"

write_receiver_properties "$TMP/wsb-receiver.properties" "$HTTP_PORT" "$WEBHOOK_PORT" "$MGMT_PORT" "$JDBC_URL" \
  "$(driver_env PIN)" "$RECEIVER_STARTUP_LOG"
PROFILE_OPTS=()
if [[ "$PROFILE" == 1 ]]; then PROFILE_OPTS=("${PROFILER_JVM_OPTS[@]}"); async_profiler_lib; fi
# shellcheck disable=SC2086 # RECEIVER_JAVA_OPTS is a list of options
start_quarkus "$TMP/wsb-receiver" "$TMP/wsb-receiver.properties" "$RECEIVER_LOG" "${PROFILE_OPTS[@]}" $RECEIVER_JAVA_OPTS
RECEIVER_PID=$QUARKUS_PID
await_port wsb-receiver "$WEBHOOK_PORT" "$RECEIVER_PID" "$RECEIVER_LOG"
await_ready wsb-receiver "$MGMT" "$RECEIVER_LOG"
READY_S=$(seconds_since "$QUARKUS_LAUNCHED_NS")
START_S=$(started_in "$RECEIVER_STARTUP_LOG" "$RECEIVER_LOG" || true)
sleep 2
IDLE_RSS_KIB=$(rss_kib "$RECEIVER_PID")
log "wsb-receiver ready (pid $RECEIVER_PID; Quarkus start ${START_S:-?} s; launch to ready $READY_S s); the rounds start"
echo "$RECEIVER_PID" >"$TMP/go.tmp" && mv "$TMP/go.tmp" "$TMP/go"

# ---------------------------------------------------------------- 3. rounds (driver), then stop the receiver
# The driver writes "measuring" before the measured receiver round and "measured" after it; the flame graph covers
# exactly that round (not start-up, warm-up or the JDBC rounds).
FAILURES=()
FLAME_GRAPH=""
FLAME_FILE=$BENCH_DIR/reports/flame-graphs/wsb-receiver/$FLAME_GRAPH_NAME.html
while kill -0 "$DRIVER_PID" 2>/dev/null && [[ ! -f "$TMP/finished" ]]; do
  kill -0 "$RECEIVER_PID" 2>/dev/null || { FAILURES+=("wsb-receiver exited during the rounds (see its log)"); break; }
  if [[ -f "$TMP/measuring" && ! -f "$TMP/profiling" ]]; then
    if [[ "$PROFILE" == 1 ]]; then profile_start "$RECEIVER_PID" cpu || FAILURES+=("the profiler did not start"); fi
    touch "$TMP/profiling"
  fi
  if [[ -f "$TMP/measured" && ! -f "$TMP/profiled" ]]; then
    if [[ "$PROFILE" == 1 ]]; then
      flame_graph_dir wsb-receiver >/dev/null
      if profile_stop "$RECEIVER_PID" "$FLAME_FILE"; then FLAME_GRAPH=flame-graphs/wsb-receiver/$FLAME_GRAPH_NAME.html
      else FAILURES+=("the profiler wrote no flame graph"); fi
    fi
    touch "$TMP/profiled"
  fi
  [[ $(remaining_s) -gt 0 ]] || die "time limit of $TIME_LIMIT_S s reached while the rounds ran"
  sleep 0.5
done
METRICS=$(curl -s --max-time 10 "$MGMT/q/metrics" || true)
END_RSS_KIB=$(rss_kib "$RECEIVER_PID")
HWM_KIB=$(hwm_kib "$RECEIVER_PID")
stop_receiver_for_driver "$RECEIVER_PID"
DRIVER_RC=0
wait "$DRIVER_PID" || DRIVER_RC=$?
log "driver exited $DRIVER_RC"

read_driver_figures
num() { [[ "${FIG[$1]:-}" =~ ^-?[0-9.]+$ ]]; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

[[ "$DRIVER_RC" == 0 ]] || FAILURES+=("the driver exited $DRIVER_RC ($(grep -h '^fatal=' "$TMP/driver.out" || echo 'see its log'))")
for p in warmup receiver; do
  [[ "${FIG[${p}_non2xx]:-x}" == 0 && "${FIG[${p}_errors]:-x}" == 0 ]] \
    || FAILURES+=("$p round: $(f ${p}_non2xx) non-2xx, $(f ${p}_errors) I/O errors (statuses $(f ${p}_statuses); $(f ${p}_first_error))")
done
for t in "${JDBC_LIST[@]}"; do
  [[ "${FIG[jdbc${t}_errors]:-x}" == 0 ]] || FAILURES+=("JDBC $t threads: $(f jdbc${t}_errors) errors ($(f jdbc${t}_first_error))")
done
[[ "${FIG[db_receipts]:-x}" == "${FIG[db_expected_rows]:-y}" && "${FIG[db_inbox_rows]:-x}" == "${FIG[db_expected_rows]:-y}" ]] \
  || FAILURES+=("the database holds $(f db_receipts) receipts and $(f db_inbox_rows) events, expected $(f db_expected_rows)")

RATIO=?
if num receiver_rps && num jdbc64_rps; then RATIO=$(calc '%.2f' "${FIG[receiver_rps]} / ${FIG[jdbc64_rps]}"); fi
ingest_count=$(sed -n 's/^wsb_ingest_duration_seconds_count{channel="wsb"} \(.*\)/\1/p' <<<"$METRICS" | head -1)
ingest_sum=$(sed -n 's/^wsb_ingest_duration_seconds_sum{channel="wsb"} \(.*\)/\1/p' <<<"$METRICS" | head -1)
ingest_max=$(sed -n 's/^wsb_ingest_duration_seconds_max{channel="wsb"} \(.*\)/\1/p' <<<"$METRICS" | head -1)
INGEST_MEAN_MS=?
if [[ -n "$ingest_count" && -n "$ingest_sum" ]]; then INGEST_MEAN_MS=$(calc '%.2f' "$ingest_sum * 1000 / $ingest_count"); fi
RECEIVER_PROBLEMS=$(problem_lines "$RECEIVER_LOG")

# ---------------------------------------------------------------- 4. report
start_report wsb-receiver
{
  report_head wsb-receiver
  receiver_build_row
  echo "| Receiver JVM options | ${RECEIVER_JAVA_OPTS:-(defaults)} |"
  echo "| Load generator | bench/WsbIngestBench.java on the same machine: JDK HttpClient (HTTP/1.1), $CONNECTIONS platform threads, closed loop |"
  echo
  echo "## Set-up"
  echo
  echo "- PostgreSQL 16 embedded (\`db.LocalPostgres\`: fsync on, synchronous_commit on, data in the temp dir), one server"
  echo "  for both the receiver and the JDBC rounds."
  echo "- The packaged receiver with its default settings (pool \`quarkus.datasource.jdbc.max-size=32\`), console log at WARN;"
  echo "  webhook \`https://localhost:$WEBHOOK_PORT/wsb/akasse-58\`, mutual TLS, STAR's certificate trusted and pinned."
  echo "- Receiver rounds: $CONNECTIONS threads, each POSTs the next message as soon as it has the previous answer, over"
  echo "  its own keep-alive HTTP/1.1 connection with the star-client certificate (host name verified). Each message is a"
  echo "  generated WSB notice (\`WsbMessages\`, mean $(f message_bytes_mean) bytes of JSON) about another citizen with its own"
  echo "  MeddelelseId, so every request is a new message: a receipt upsert and an inbox_event insert, committed before"
  echo "  its 2xx (since group commit in a transaction shared with the concurrent requests' messages). Warm-up $WARMUP"
  echo "  messages, then $COUNT measured (new messages)."
  echo "- JDBC rounds (receiver idle): table \`bench_row\` in its own database, \`inbox_event\`'s columns and its received_at"
  echo "  index (the receiver's inbox row); per thread one connection, autocommit off, one single-row \`insert\` + \`commit\`"
  echo "  per row, filled from one of the same generated messages (raw mean $(f jdbc_row_body_bytes_mean) bytes, row $(f jdbc_row_bytes_mean) bytes)."
  echo "  Warm-up $JDBC_WARMUP rows, then $JDBC_COUNT measured, for each of $JDBC_THREADS threads."
  echo "- Each measured round starts right after a \`CHECKPOINT\`."
  echo "- Everything (PostgreSQL, receiver, load generator) shares the same $(nproc) CPUs."
  echo
  echo "## Figures"
  echo
  echo "| Round | Rate (per s) | p50 | p90 | p99 | max | Requests / rows | Non-2xx / errors | CPU cores: machine / receiver / PostgreSQL / client / other processes / steal |"
  echo "|---|---|---|---|---|---|---|---|---|"
  row() { # row LABEL PREFIX
    local other=?
    if num "$2_cpu_machine_busy_cores" && num "$2_cpu_receiver_cores" && num "$2_cpu_postgres_cores" && num "$2_cpu_client_cores"; then
      other=$(calc '%.2f' "${FIG[$2_cpu_machine_busy_cores]} - ${FIG[$2_cpu_receiver_cores]} - ${FIG[$2_cpu_postgres_cores]} - ${FIG[$2_cpu_client_cores]}")
      if [[ "$2" != *warmup ]] && awk -v c="$other" 'BEGIN { exit !(c > 0.15) }'; then NOISY+=("$1 (other processes $other cores)"); fi
    fi
    if [[ "$2" != *warmup ]] && num "$2_cpu_steal_cores" && awk -v c="${FIG[$2_cpu_steal_cores]}" 'BEGIN { exit !(c > 0.15) }'; then
      NOISY+=("$1 (steal ${FIG[$2_cpu_steal_cores]} cores)")
    fi
    echo "| $1 | **$(f "$2_rps")** | **$(f "$2_p50_ms") ms** | $(f "$2_p90_ms") ms | **$(f "$2_p99_ms") ms** | $(f "$2_max_ms") ms | $(f "$2_requests") in $(f "$2_seconds") s | $(f "$2_non2xx") / $(f "$2_errors") | $(f "$2_cpu_machine_busy_cores") / $(f "$2_cpu_receiver_cores") / $(f "$2_cpu_postgres_cores") / $(f "$2_cpu_client_cores") / $other / $(f "$2_cpu_steal_cores") |"
  }
  NOISY=()
  row "receiver warm-up ($CONNECTIONS senders)" warmup
  row "**receiver measured ($CONNECTIONS senders)**" receiver
  for t in "${JDBC_LIST[@]}"; do
    row "JDBC insert + commit, $t threads, warm-up" "jdbc${t}_warmup"
    row "**JDBC insert + commit, $t threads**" "jdbc$t"
  done
  echo
  echo "| Figure | Value |"
  echo "|---|---|"
  echo "| **Ratio receiver / JDBC (64 threads), messages per s / rows per s** | **$RATIO** |"
  for t in "${JDBC_LIST[@]}"; do
    [[ "$t" == 64 ]] && continue
    if num receiver_rps && num "jdbc${t}_rps"; then
      echo "| Ratio receiver / JDBC ($t threads) | $(calc '%.2f' "${FIG[receiver_rps]} / ${FIG[jdbc${t}_rps]}") |"
    fi
  done
  echo "| Rows in the database after the receiver rounds: receipts / inbox_event (expected) | $(f db_receipts) / $(f db_inbox_rows) ($(f db_expected_rows)) |"
  echo "| Receiver-side commit time \`wsb_ingest_duration_seconds\` over both rounds: mean / max | $INGEST_MEAN_MS ms / $(calc '%.1f' "${ingest_max:-0} * 1000") ms |"
  echo "| Receiver CPU in the measured round, by thread: event loops / worker threads / feed publisher / group committers / JIT compiler / GC / other (cores) | $(f receiver_cpu_receiver_eventloops_cores) / $(f receiver_cpu_receiver_workers_cores) / $(f receiver_cpu_receiver_publisher_cores) / $(f receiver_cpu_receiver_committers_cores) / $(f receiver_cpu_receiver_jit_cores) / $(f receiver_cpu_receiver_gc_cores) / $(f receiver_cpu_receiver_other_cores) |"
  tx_count=$(sed -n 's/^wsb_ingest_transaction_messages_count \(.*\)/\1/p' <<<"$METRICS" | head -1)
  tx_sum=$(sed -n 's/^wsb_ingest_transaction_messages_sum \(.*\)/\1/p' <<<"$METRICS" | head -1)
  if [[ -n "$tx_count" && -n "$tx_sum" ]] && awk -v c="$tx_count" 'BEGIN { exit !(c > 0) }'; then
    echo "| Group commit: receiver transactions over both rounds / messages per transaction (mean, max) | $(calc '%.0f' "$tx_count") / $(calc '%.1f' "$tx_sum / $tx_count"), $(sed -n 's/^wsb_ingest_transaction_messages_max \(.*\)/\1/p' <<<"$METRICS" | head -1) |"
  fi
  if num receiver_cpu_receiver_cores && num receiver_rps && num receiver_cpu_postgres_cores && num jdbc64_cpu_postgres_cores && num jdbc64_rps; then
    echo "| **CPU per message, µs: receiver / its PostgreSQL** (measured round) | **$(calc '%.0f' "${FIG[receiver_cpu_receiver_cores]} * 1000000 / ${FIG[receiver_rps]}")** / $(calc '%.0f' "${FIG[receiver_cpu_postgres_cores]} * 1000000 / ${FIG[receiver_rps]}") |"
    echo "| CPU per row, µs: JDBC client / PostgreSQL (64 threads) | $(calc '%.0f' "${FIG[jdbc64_cpu_client_cores]} * 1000000 / ${FIG[jdbc64_rps]}") / $(calc '%.0f' "${FIG[jdbc64_cpu_postgres_cores]} * 1000000 / ${FIG[jdbc64_rps]}") |"
  fi
  echo "| **Commits per message** (pg_stat_database.xact_commit of the database, read-only ones included) / **WAL fsyncs per message** (pg_stat_wal.wal_sync): receiver | **$(f receiver_commits_per_message)** / **$(f receiver_wal_syncs_per_message)** |"
  for t in "${JDBC_LIST[@]}"; do
    echo "| Commits / WAL fsyncs per row: JDBC $t threads | $(f jdbc${t}_commits_per_message) / $(f jdbc${t}_wal_syncs_per_message) |"
  done
  echo "| WAL records / bytes per message: receiver; JDBC 64 threads | $(f receiver_wal_records_per_message) / $(f receiver_wal_bytes_per_message); $(f jdbc64_wal_records_per_message) / $(f jdbc64_wal_bytes_per_message) |"
  echo "| Row size (pg_column_size, mean bytes): inbox_event / JDBC bench_row | $(f db_inbox_row_bytes_mean) / $(f jdbc_row_bytes_mean) |"
  echo "| PostgreSQL settings (same server for both) | \`$(f db_settings)\` |"
  if [[ -n "$FLAME_GRAPH" ]]; then
    echo "| Flame graph of the receiver, measured round only (async-profiler, cpu, 1 ms) | [$FLAME_GRAPH_NAME.html]($FLAME_GRAPH) |"
  fi
  echo "| Receiver start: Quarkus \"started in\" / launch to ready | ${START_S:-?} s / $READY_S s |"
  echo "| Receiver RSS idle / after the rounds / peak (VmHWM) | $(mib "$IDLE_RSS_KIB") / $(mib "$END_RSS_KIB") / $(mib "$HWM_KIB") MiB |"
  echo
  if num receiver_cpu_receiver_jit_cores && awk -v c="${FIG[receiver_cpu_receiver_jit_cores]}" 'BEGIN { exit !(c > 0.1) }'; then
    echo "**JIT note**: the receiver's JIT compiler threads still used ${FIG[receiver_cpu_receiver_jit_cores]} cores during the measured"
    echo "round: the warm-up of $WARMUP messages did not bring it to steady state (BENCH_WARMUP raises it)."
    echo
  fi
  if [[ ${#NOISY[@]} -gt 0 ]]; then
    echo "**Noise warning**: processes outside this benchmark, or the hypervisor (steal), took more than 0.15 cores during"
  echo "the measured round(s): ${NOISY[*]}."
    echo "Those figures are lower than the machine can do; run again on a quiet machine before quoting them."
    echo
  fi
  echo "Latency: from just before the client sends the request to the whole answer read (closed loop; nearest-rank"
  echo "percentiles over every request of the round). CPU in cores = CPU seconds per second of the round, from /proc;"
  echo "machine = user + nice + system + irq + softirq of all CPUs; PostgreSQL = the postmaster and its children; other ="
  echo "machine minus the three processes (kernel threads included); steal = CPU time the hypervisor gave to other guests."
  echo
  echo "## Receiver log lines at WARN and above"
  echo
  echo '```'
  if [[ -n "$RECEIVER_PROBLEMS" ]]; then head -30 <<<"$RECEIVER_PROBLEMS"; else echo "(none)"; fi
  echo '```'
  echo
  echo "## Receiver counters at the end"
  echo
  echo '```'
  grep -E '^wsb_(messages_received_total|duplicates_total|feed_head|inbox_unpublished|ingest_duration_seconds_(count|sum|max)|ingest_transactions_total|ingest_transaction_messages_(count|sum|max))' <<<"$METRICS" || echo "(none)"
  echo '```'
  echo
  driver_output_section
} >"$REPORT"
finish_report wsb-receiver
