import org.socsecgateway.simulators.db.LocalPostgres;
import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.simulators.wsb.WsbMessage;
import org.socsecgateway.simulators.wsb.WsbMessages;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java side of bench/wsb-receiver-bench.sh: durable ingest throughput and latency of the packaged receiver, and,
 * on the same PostgreSQL, the rate of plain single-row INSERT + COMMIT over JDBC.
 *
 * <pre>
 * java -cp simulators.jar:lib/* WsbIngestBench --dir DIR --pg-port P --issuer-port P --webhook-port P
 *     [--connections 64] [--warmup 30000] [--count 20000] [--jdbc-threads 64,32] [--jdbc-warmup 5000]
 *     [--jdbc-count 50000] [--seed 7] [--timeout 270]
 * </pre>
 *
 * Hand-shake with the script through files in DIR, as bench/WsbCrash.java: this writes {@code driver.env} (JDBC_URL,
 * PIN, READY=1) once PostgreSQL is up; the script starts the receiver and writes its pid to {@code go}; this runs the
 * rounds, prints key=value lines, writes {@code finished} and waits for {@code stop} before it exits (and so stops
 * PostgreSQL).
 * <p>
 * Receiver rounds: C platform threads share one JDK HttpClient (HTTP/1.1, so one keep-alive connection per thread in
 * flight; mutual TLS with star-client-keystore.p12, the server verified against server-truststore.p12, host name
 * included); each thread POSTs the next message as soon as its previous answer is read (closed loop). Every message
 * is about a different citizen, with its own MeddelelseId. A warm-up round (its own messages), then the measured
 * round. Latency: from just before the request is sent to the whole answer read; nearest-rank percentiles. Each
 * measured round (receiver or JDBC) starts right after a CHECKPOINT.
 * <p>
 * JDBC rounds: for each thread count, that many connections (opened first), autocommit off, each thread inserts the
 * next row ({@code insert into bench_row (body) values (?)}, body = one of the same WSB JSON messages) and commits;
 * warm-up then measured. Table: {@code bench_row (id bigserial primary key, body text not null)} in its own database.
 * <p>
 * CPU per phase from /proc: the machine (/proc/stat), this process, the receiver (pid from {@code go}) and
 * PostgreSQL (the postmaster of DIR/pg and its children), in cores (CPU seconds per second); the receiver's also by
 * thread group (event loops, worker threads, feed publisher, group committers, JIT compiler, GC, other).
 */
public final class WsbIngestBench {

    static final String PATH = "/wsb/akasse-58";
    static final long CLK_TCK = 100; // USER_HZ on Linux

    public static void main(String[] args) throws Exception {
        Map<String, String> options = WsbBenchSupport.parse(args, "dir", "pg-port", "issuer-port", "webhook-port");
        Path dir = Path.of(options.get("dir"));
        int pgPort = Integer.parseInt(options.get("pg-port"));
        int issuerPort = Integer.parseInt(options.get("issuer-port"));
        int webhookPort = Integer.parseInt(options.get("webhook-port"));
        int connections = Integer.parseInt(options.getOrDefault("connections", "64"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "30000"));
        int count = Integer.parseInt(options.getOrDefault("count", "20000"));
        List<Integer> jdbcThreads = Arrays.stream(options.getOrDefault("jdbc-threads", "64,32").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        int jdbcWarmup = Integer.parseInt(options.getOrDefault("jdbc-warmup", "5000"));
        int jdbcCount = Integer.parseInt(options.getOrDefault("jdbc-count", "50000"));
        long seed = Long.parseLong(options.getOrDefault("seed", "7"));
        long timeoutS = Long.parseLong(options.getOrDefault("timeout", "270"));
        long settleS = Long.parseLong(options.getOrDefault("stats-settle", "11"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);

        // the issuer is not used by the rounds (the webhook needs no token); there so the receiver runs with its usual
        // configuration
        WsbBenchSupport.Stack stack = WsbBenchSupport.startStack(dir, pgPort, issuerPort, "wsb-bench-shutdown");
        LocalPki pki = stack.pki();
        LocalPostgres postgres = stack.postgres();
        String jdbcUrl = stack.jdbcUrl();
        WsbBenchSupport.log("PostgreSQL " + jdbcUrl + "; generating messages");

        // every message about a different citizen: STAR's one-at-a-time per citizen never serialises the load
        List<WsbMessage> notices = messages(seed, warmup + count + jdbcWarmup * jdbcThreads.size() + jdbcCount * jdbcThreads.size());
        List<String> messages = notices.stream().map(WsbMessage::toJson).toList();
        long bytes = 0;
        for (String m : messages.subList(0, warmup + count)) {
            bytes += m.length();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message_bytes_mean", bytes / (warmup + count));

        WsbBenchSupport.log("waiting for the receiver");
        Path go = dir.resolve("go");
        while (!Files.exists(go) || Files.readString(go).isBlank()) {
            WsbBenchSupport.checkDeadline(deadline, "the receiver did not become ready");
            Thread.sleep(100);
        }
        long receiverPid = Long.parseLong(Files.readString(go).trim());
        long postmasterPid = Long.parseLong(Files.readAllLines(dir.resolve("pg").resolve("postmaster.pid")).get(0).trim());

        // ---- the receiver: warm-up, then measured
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(pki.starClientSslContext())
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        URI target = URI.create("https://localhost:" + webhookPort + PATH);
        int offset = 0;
        Result receiverWarmup = run("receiver warm-up", connections, messages.subList(offset, offset + warmup), deadline,
                receiverPid, postmasterPid, (thread, message) -> post(http, target, message));
        offset += warmup;
        receiverWarmup.put(out, "warmup");
        settle(settleS);
        checkpoint(jdbcUrl);
        DbStats receiverBefore = DbStats.read(jdbcUrl, "wsb");
        signal(dir, "measuring", "profiling", deadline); // the script starts the profiler, if asked to
        Result receiver = run("receiver measured", connections, messages.subList(offset, offset + count), deadline,
                receiverPid, postmasterPid, (thread, message) -> post(http, target, message));
        signal(dir, "measured", "profiled", deadline); // ... and stops it
        offset += count;
        receiver.put(out, "receiver");
        settle(settleS);
        DbStats.read(jdbcUrl, "wsb").minus(receiverBefore).put(out, "receiver", count);
        try (Connection db = DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, "x")) {
            out.put("db_receipts", WsbBenchSupport.single(db, "select count(*) from receipt"));
            out.put("db_inbox_rows", WsbBenchSupport.single(db, "select count(*) from inbox_event"));
            out.put("db_expected_rows", warmup + count);
            out.put("db_inbox_row_bytes_mean", WsbBenchSupport.single(db, "select avg(pg_column_size(inbox_event.*))::bigint from inbox_event"));
            out.put("db_settings", WsbBenchSupport.settings(db));
        }

        // ---- plain JDBC on the same server: insert + commit, one row per transaction
        String benchUrl = postgres.jdbcUrl("jdbc_bench");
        try (Connection db = DriverManager.getConnection(benchUrl, LocalPostgres.USER, "x"); Statement s = db.createStatement()) {
            s.execute("drop table if exists bench_row");
            s.execute(BENCH_ROW);
            s.execute("create index bench_row_received_at on bench_row (received_at)");
        }
        for (int threads : jdbcThreads) {
            List<Connection> pool = new ArrayList<>();
            try {
                for (int i = 0; i < threads; i++) {
                    Connection c = DriverManager.getConnection(benchUrl, LocalPostgres.USER, "x");
                    c.setAutoCommit(false);
                    pool.add(c);
                }
                Insert insert = new Insert(pool, notices, offset);
                Result w = run("jdbc " + threads + " warm-up", threads, messages.subList(offset, offset + jdbcWarmup), deadline,
                        receiverPid, postmasterPid, insert);
                offset += jdbcWarmup;
                w.put(out, "jdbc" + threads + "_warmup");
                settle(settleS);
                checkpoint(jdbcUrl);
                DbStats before = DbStats.read(benchUrl, "jdbc_bench");
                insert = new Insert(pool, notices, offset);
                Result r = run("jdbc " + threads + " measured", threads, messages.subList(offset, offset + jdbcCount), deadline,
                        receiverPid, postmasterPid, insert);
                offset += jdbcCount;
                r.put(out, "jdbc" + threads);
                settle(settleS);
                DbStats.read(benchUrl, "jdbc_bench").minus(before).put(out, "jdbc" + threads, jdbcCount);
            } finally {
                for (Connection c : pool) {
                    c.close();
                }
            }
        }
        try (Connection db = DriverManager.getConnection(benchUrl, LocalPostgres.USER, "x")) {
            out.put("jdbc_rows", WsbBenchSupport.single(db, "select count(*) from bench_row"));
            out.put("jdbc_row_body_bytes_mean", WsbBenchSupport.single(db, "select avg(length(raw))::bigint from bench_row"));
            out.put("jdbc_row_bytes_mean", WsbBenchSupport.single(db, "select avg(pg_column_size(bench_row.*))::bigint from bench_row"));
        }

        WsbBenchSupport.finish(dir, out);
        System.exit(0);
    }

    /** One request or one transaction; returns the HTTP status (200 for a committed row), throws on I/O errors. */
    interface Call {
        int call(int thread, String message) throws Exception;
    }

    static int post(HttpClient http, URI target, String message) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(target)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(message))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return response.statusCode();
    }

    /**
     * The anchor's table: the receiver's {@code inbox_event} (V1__inbox.sql) column for column, without the feed
     * number (the receiver fills it later, or at insert) and with its index on received_at.
     */
    static final String BENCH_ROW = """
            create table bench_row (
                id bigserial primary key, receipt_id bigint not null, channel text not null, authority text not null,
                message_type text, type_name text, message_id text, external_id text, version text, change_type integer,
                subject_type integer, subject text, event_time timestamptz, received_at timestamptz not null default now(),
                published_at timestamptz, raw text not null)""";

    static final String INSERT_ROW = """
            insert into bench_row (receipt_id, channel, authority, message_type, type_name, message_id, external_id, version,
                                   change_type, subject_type, subject, event_time, raw)
            values (?, 'wsb', 'AKASSE:58', ?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?)""";

    /** One connection per thread, one row per transaction; the statement is prepared on first use. */
    static final class Insert implements Call {
        private final List<Connection> connections;
        private final PreparedStatement[] statements;
        private final Map<String, WsbMessage> notices = new java.util.HashMap<>();

        Insert(List<Connection> connections, List<WsbMessage> notices, int from) {
            this.connections = connections;
            this.statements = new PreparedStatement[connections.size()];
            for (WsbMessage notice : notices.subList(from, notices.size())) {
                this.notices.put(notice.toJson(), notice);
            }
        }

        @Override
        public int call(int thread, String message) throws SQLException {
            Connection c = connections.get(thread);
            PreparedStatement insert = statements[thread];
            if (insert == null) {
                insert = statements[thread] = c.prepareStatement(INSERT_ROW);
            }
            WsbMessage notice = notices.get(message);
            insert.setLong(1, thread);
            insert.setString(2, Integer.toString(notice.entitetId()));
            insert.setString(3, notice.entitetNavn());
            insert.setString(4, notice.meddelelseId());
            insert.setString(5, notice.eksternIdentifier());
            insert.setString(6, notice.versionIdentifikator());
            insert.setInt(7, notice.aendringType());
            insert.setInt(8, notice.subjekt().identifikationType());
            insert.setString(9, notice.cpr());
            insert.setString(10, notice.tidspunkt());
            insert.setString(11, message);
            insert.executeUpdate();
            c.commit();
            return 200;
        }
    }

    /** Waits so that idle backends flush their statistics (PostgreSQL does so at most every 10 s when idle). */
    static void settle(long seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000);
    }

    /** Writes {@code name} for the script and waits (bounded) until it answers with {@code answer}. */
    static void signal(Path dir, String name, String answer, long deadline) throws IOException, InterruptedException {
        WsbBenchSupport.writeAtomically(dir.resolve(name), "1\n");
        long until = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
        while (!Files.exists(dir.resolve(answer))) {
            if (System.nanoTime() > until) {
                System.out.println("fatal=the script did not answer " + name + " with " + answer);
                System.exit(2);
            }
            Thread.sleep(50);
        }
    }

    /**
     * Commits of one database (pg_stat_database.xact_commit) and the server's WAL (pg_stat_wal: records, bytes,
     * writes, syncs = fsyncs of WAL; the whole server, but only one round runs at a time).
     */
    record DbStats(long commits, long walRecords, long walBytes, long walWrites, long walSyncs) {

        static DbStats read(String url, String database) throws SQLException {
            try (Connection db = DriverManager.getConnection(url, LocalPostgres.USER, "x"); Statement s = db.createStatement();
                 java.sql.ResultSet row = s.executeQuery("select (select xact_commit from pg_stat_database where datname = '"
                         + database + "'), wal_records, wal_bytes, wal_write, wal_sync from pg_stat_wal")) {
                row.next();
                return new DbStats(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5));
            }
        }

        DbStats minus(DbStats before) {
            return new DbStats(commits - before.commits, walRecords - before.walRecords, walBytes - before.walBytes,
                    walWrites - before.walWrites, walSyncs - before.walSyncs);
        }

        void put(Map<String, Object> out, String prefix, int messages) {
            out.put(prefix + "_db_commits", commits);
            out.put(prefix + "_wal_syncs", walSyncs);
            out.put(prefix + "_commits_per_message", String.format(Locale.ROOT, "%.3f", commits / (double) messages));
            out.put(prefix + "_wal_syncs_per_message", String.format(Locale.ROOT, "%.3f", walSyncs / (double) messages));
            out.put(prefix + "_wal_records_per_message", String.format(Locale.ROOT, "%.2f", walRecords / (double) messages));
            out.put(prefix + "_wal_bytes_per_message", String.format(Locale.ROOT, "%.0f", walBytes / (double) messages));
        }
    }

    /** What a round did. */
    record Result(int requests, double seconds, long[] latencies, Map<Integer, Long> statuses, long errors, String firstError,
                  Map<String, Double> cores) {

        void put(Map<String, Object> out, String prefix) {
            long non2xx = statuses.entrySet().stream().filter(e -> e.getKey() < 200 || e.getKey() >= 300)
                    .mapToLong(Map.Entry::getValue).sum();
            out.put(prefix + "_requests", requests);
            out.put(prefix + "_seconds", String.format(Locale.ROOT, "%.2f", seconds));
            out.put(prefix + "_rps", String.format(Locale.ROOT, "%.0f", (requests - errors) / seconds));
            out.put(prefix + "_p50_ms", ms(percentile(0.50)));
            out.put(prefix + "_p90_ms", ms(percentile(0.90)));
            out.put(prefix + "_p99_ms", ms(percentile(0.99)));
            out.put(prefix + "_max_ms", ms(latencies.length == 0 ? 0 : latencies[latencies.length - 1]));
            out.put(prefix + "_non2xx", non2xx);
            out.put(prefix + "_errors", errors);
            out.put(prefix + "_statuses", statuses.toString().replace(" ", ""));
            if (firstError != null) {
                out.put(prefix + "_first_error", firstError.replace('\n', ' '));
            }
            cores.forEach((name, value) -> out.put(prefix + "_cpu_" + name + "_cores", String.format(Locale.ROOT, "%.2f", value)));
        }

        long percentile(double p) {
            if (latencies.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p * latencies.length);
            return latencies[Math.max(0, rank - 1)];
        }

        static String ms(long nanos) {
            return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
        }
    }

    /** Closed loop: {@code threads} threads take the next message until none is left. */
    static Result run(String name, int threads, List<String> messages, long deadline, long receiverPid, long postmasterPid,
                      Call call) throws InterruptedException {
        WsbBenchSupport.log(name + ": " + messages.size() + " with " + threads + " threads");
        AtomicInteger next = new AtomicInteger();
        long[][] latencies = new long[threads][];
        @SuppressWarnings("unchecked")
        Map<Integer, Long>[] statuses = new Map[threads];
        long[] errors = new long[threads];
        String[] firstError = new String[threads];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            statuses[t] = new TreeMap<>();
            Thread worker = new Thread(() -> {
                long[] mine = new long[messages.size() / threads + 16];
                int n = 0;
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                int i;
                while ((i = next.getAndIncrement()) < messages.size() && System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    try {
                        int status = call.call(thread, messages.get(i));
                        long latency = System.nanoTime() - t0;
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = latency;
                        statuses[thread].merge(status, 1L, Long::sum);
                    } catch (Exception e) {
                        errors[thread]++;
                        if (firstError[thread] == null) {
                            firstError[thread] = e.toString();
                        }
                    }
                }
                latencies[thread] = Arrays.copyOf(mine, n);
            }, "load-" + t);
            workers.add(worker);
            worker.start();
        }
        Cpu before = Cpu.read(receiverPid, postmasterPid);
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Cpu after = Cpu.read(receiverPid, postmasterPid);
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        Map<Integer, Long> byStatus = new TreeMap<>();
        for (Map<Integer, Long> s : statuses) {
            s.forEach((k, v) -> byStatus.merge(k, v, Long::sum));
        }
        long errorCount = Arrays.stream(errors).sum();
        String first = Arrays.stream(firstError).filter(e -> e != null).findFirst().orElse(null);
        int done = all.length + (int) errorCount;
        if (done < messages.size()) {
            System.out.println("fatal=" + name + " stopped at the time limit after " + done + " of " + messages.size());
            System.exit(2);
        }
        Result result = new Result(done, seconds, all, byStatus, errorCount, first, after.minus(before, seconds));
        WsbBenchSupport.log(String.format(Locale.ROOT, "%s: %.0f/s, p50 %s ms, p99 %s ms, statuses %s, errors %d", name,
                (done - errorCount) / seconds, Result.ms(result.percentile(0.5)), Result.ms(result.percentile(0.99)), byStatus,
                errorCount));
        return result;
    }

    /** Receiver threads by name (/proc/PID/task/TID/comm, cut at 15 characters), in this order; the rest is "other". */
    static final Map<String, String> RECEIVER_THREADS = new LinkedHashMap<>();

    static {
        RECEIVER_THREADS.put("eventloops", "vert\\.x-eventloo.*");
        RECEIVER_THREADS.put("workers", "executor-thread.*");
        RECEIVER_THREADS.put("publisher", "feed-publisher.*");
        RECEIVER_THREADS.put("committers", "group-commit.*");
        RECEIVER_THREADS.put("jit", "C[12] CompilerThre.*");
        RECEIVER_THREADS.put("gc", "(GC Thread|G1 ).*");
    }

    /** CPU ticks of the machine and of the processes that matter. */
    record Cpu(long machineBusy, long steal, long self, long receiver, long postgres, Map<String, Long> receiverThreads) {

        static Cpu read(long receiverPid, long postmasterPid) {
            long[] machine = readMachine();
            return new Cpu(machine[0], machine[1], ticks(ProcessHandle.current().pid()), ticks(receiverPid), postgres(postmasterPid),
                    threads(receiverPid));
        }

        Map<String, Double> minus(Cpu before, double seconds) {
            Map<String, Double> cores = new LinkedHashMap<>();
            cores.put("machine_busy", (machineBusy - before.machineBusy) / (double) CLK_TCK / seconds);
            // time the hypervisor gave this VM's CPUs to others: not available to the benchmark at all
            cores.put("steal", (steal - before.steal) / (double) CLK_TCK / seconds);
            cores.put("client", (self - before.self) / (double) CLK_TCK / seconds);
            cores.put("receiver", (receiver - before.receiver) / (double) CLK_TCK / seconds);
            // connections closed during the phase take their ticks with them: a lower bound for PostgreSQL
            cores.put("postgres", (postgres - before.postgres) / (double) CLK_TCK / seconds);
            receiverThreads.forEach((group, ticks) -> cores.put("receiver_" + group,
                    (ticks - before.receiverThreads.getOrDefault(group, 0L)) / (double) CLK_TCK / seconds));
            return cores;
        }

        /** utime + stime of a process's threads, by {@link #RECEIVER_THREADS} group (threads that ended are not counted). */
        static Map<String, Long> threads(long pid) {
            Map<String, Long> groups = new LinkedHashMap<>();
            RECEIVER_THREADS.keySet().forEach(g -> groups.put(g, 0L));
            groups.put("other", 0L);
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks) {
                    try {
                        String comm = Files.readString(task.resolve("comm")).trim();
                        String line = Files.readString(task.resolve("stat"));
                        String[] rest = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
                        long ticks = Long.parseLong(rest[11]) + Long.parseLong(rest[12]); // utime, stime
                        String group = RECEIVER_THREADS.entrySet().stream().filter(e -> comm.matches(e.getValue()))
                                .map(Map.Entry::getKey).findFirst().orElse("other");
                        groups.merge(group, ticks, Long::sum);
                    } catch (IOException | RuntimeException e) {
                        // the thread ended meanwhile
                    }
                }
            } catch (IOException e) {
                return groups;
            }
            return groups;
        }

        /** {busy (user, nice, system, irq, softirq), steal} of the whole machine, from /proc/stat. */
        static long[] readMachine() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                        + Long.parseLong(f[7]);
                return new long[] {busy, f.length > 8 ? Long.parseLong(f[8]) : 0};
            } catch (IOException | RuntimeException e) {
                return new long[] {0, 0};
            }
        }

        /** utime + stime of a process (all its threads). */
        static long ticks(long pid) {
            String[] f = stat(pid);
            return f == null ? 0 : Long.parseLong(f[13]) + Long.parseLong(f[14]);
        }

        /** The postmaster and every process whose parent it is. */
        static long postgres(long postmaster) {
            long total = ticks(postmaster);
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
                for (Path p : procs) {
                    String[] f = stat(Long.parseLong(p.getFileName().toString()));
                    if (f != null && Long.parseLong(f[3]) == postmaster) {
                        total += Long.parseLong(f[13]) + Long.parseLong(f[14]);
                    }
                }
            } catch (IOException e) {
                return total;
            }
            return total;
        }

        /** Fields of /proc/PID/stat after the command name (index 0 = pid, 2 = state, 3 = ppid, 13 = utime). */
        static String[] stat(long pid) {
            try {
                String line = Files.readString(Path.of("/proc/" + pid + "/stat"));
                int close = line.lastIndexOf(')');
                String[] rest = line.substring(close + 2).trim().split(" ");
                String[] f = new String[rest.length + 2];
                f[0] = Long.toString(pid);
                f[1] = "comm";
                System.arraycopy(rest, 0, f, 2, rest.length);
                return f;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    /** {@code n} WSB messages, each about another citizen (distinct CPR numbers), deterministic for the seed. */
    static List<WsbMessage> messages(long seed, int n) {
        WsbMessages generator = new WsbMessages(seed, 1);
        Random random = new Random(seed);
        Set<String> cprs = new HashSet<>();
        List<WsbMessage> messages = new ArrayList<>(n);
        while (messages.size() < n) {
            String cpr = WsbMessages.randomCpr(random);
            if (cprs.add(cpr)) {
                messages.add(generator.next(cpr));
            }
        }
        return messages;
    }

    /** Every measured round starts right after a checkpoint, so none of them pays for the previous rounds' dirty pages. */
    static void checkpoint(String jdbcUrl) throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, "x"); Statement s = db.createStatement()) {
            s.execute("checkpoint");
        }
    }
}
