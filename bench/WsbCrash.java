import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.socsecgateway.simulators.db.LocalPostgres;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.simulators.wsb.DeliveryReport;
import org.socsecgateway.simulators.wsb.LoadSpec;
import org.socsecgateway.simulators.wsb.StarWsbSender;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Java side of bench/wsb-receiver-crash.sh: runs PostgreSQL (data on disk under --dir), the caller-token issuer and
 * the simulated STAR, while the script starts, kill -9s and restarts the packaged receiver.
 *
 * <pre>
 * java -cp simulators.jar:lib/* WsbCrash --dir DIR --pg-port P --issuer-port P --webhook-port P --http-port P
 *     [--count 10000] [--concurrency 32] [--duplicate-rate 0.05] [--retry-base-ms 50] [--max-attempts 100]
 *     [--seed 42] [--timeout 480]
 * </pre>
 *
 * Hand-shake with the script through files in DIR (each written to a temp file, then moved):
 * <ol>
 *   <li>this writes {@code driver.env} (JDBC_URL, PIN = SHA-256 of STAR's certificate, READY=1) once PostgreSQL and
 *       the issuer are up;</li>
 *   <li>the script starts the receiver and creates {@code go} when it is ready;</li>
 *   <li>this sends the load and, every 200 ms, writes {@code progress} ({@code stored=N}: receipts committed in the
 *       database, so the script knows when to kill); the script kills and restarts the receiver meanwhile;</li>
 *   <li>when every message has an outcome, this waits until every stored event has a feed number, reads the whole
 *       feed through {@code GET /v1/events} from cursor 0, checks it against what was sent and what the database
 *       holds, prints key=value lines and writes {@code finished};</li>
 *   <li>the script reads the receiver's counters, stops it and creates {@code stop}; this then exits (stopping
 *       PostgreSQL) with 0 when no message was lost or doubled and the feed is in order, 1 otherwise.</li>
 * </ol>
 */
public final class WsbCrash {

    static final String PATH = "/wsb/akasse-58";
    static final String READER = "system:serviceaccount:bench:reader";

    public static void main(String[] args) throws Exception {
        Map<String, String> options =
                WsbBenchSupport.parse(args, "dir", "pg-port", "issuer-port", "webhook-port", "http-port");
        Path dir = Path.of(options.get("dir"));
        int pgPort = Integer.parseInt(options.get("pg-port"));
        int issuerPort = Integer.parseInt(options.get("issuer-port"));
        int webhookPort = Integer.parseInt(options.get("webhook-port"));
        int httpPort = Integer.parseInt(options.get("http-port"));
        int count = Integer.parseInt(options.getOrDefault("count", "10000"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "32"));
        double duplicateRate = Double.parseDouble(options.getOrDefault("duplicate-rate", "0.05"));
        long retryBaseMs = Long.parseLong(options.getOrDefault("retry-base-ms", "50"));
        int maxAttempts = Integer.parseInt(options.getOrDefault("max-attempts", "100"));
        long seed = Long.parseLong(options.getOrDefault("seed", "42"));
        long timeoutS = Long.parseLong(options.getOrDefault("timeout", "480"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);

        WsbBenchSupport.Stack stack = WsbBenchSupport.startStack(dir, pgPort, issuerPort, "wsb-crash-shutdown");
        LocalPki pki = stack.pki();
        CallerTokenIssuer issuer = stack.issuer();
        String jdbcUrl = stack.jdbcUrl();
        WsbBenchSupport.log("PostgreSQL " + jdbcUrl + ", issuer " + issuer.issuer() + "; waiting for the receiver");

        while (!Files.exists(dir.resolve("go"))) {
            WsbBenchSupport.checkDeadline(deadline, "the receiver did not become ready");
            Thread.sleep(100);
        }

        LoadSpec spec = new LoadSpec(PATH, count, concurrency, duplicateRate, seed);
        StarWsbSender sender = StarWsbSender.builder()
                .clientIdentity(pki.starClientCert(), pki.starClientKey())
                .trust(pki.serverCert())
                .target("https://localhost:" + webhookPort)
                .retryBaseDelay(Duration.ofMillis(retryBaseMs))
                .maxAttempts(maxAttempts)
                .concurrency(concurrency)
                .requestTimeout(Duration.ofSeconds(10))
                .build();
        WsbBenchSupport.log("sending " + count + " messages (" + spec.citizens() + " citizens), duplicate rate "
                + duplicateRate + ", concurrency " + concurrency + ", retry base " + retryBaseMs + " ms, max attempts "
                + maxAttempts);
        long start = System.nanoTime();
        CompletableFuture<DeliveryReport> load = sender.loadAsync(spec).toCompletableFuture();
        DeliveryReport report;
        try (Progress progress = new Progress(jdbcUrl, dir.resolve("progress"))) {
            long lastLog = 0;
            while (true) {
                try {
                    report = load.get(200, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    long stored = progress.update();
                    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                    if (seconds >= lastLog + 5) {
                        lastLog = seconds;
                        WsbBenchSupport.log("t=" + seconds + "s stored=" + stored);
                    }
                    if (System.nanoTime() > deadline) {
                        System.out.println("fatal=the sender did not finish within " + timeoutS + " s (stored " + stored + ")");
                        System.exit(2);
                    }
                }
            }
            progress.update();
        } finally {
            sender.close();
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        WsbBenchSupport.log("sender done in " + String.format("%.1f", sendSeconds) + " s: " + report.summary());

        // ---- what the sender saw
        Map<String, Object> out = new LinkedHashMap<>();
        Set<String> sentIds = report.messageIds();
        long noAnswer = 0;
        long status5xx = 0;
        long other = 0;
        long retried = 0;
        for (DeliveryReport.Delivery d : report.deliveries()) {
            if (d.attempts() > 1) {
                retried++;
            }
            for (int status : d.statuses()) {
                if (status == 0) {
                    noAnswer++;
                } else if (status >= 500) {
                    status5xx++;
                } else if (status < 200 || status >= 300) {
                    other++;
                }
            }
        }
        out.put("send_seconds", String.format("%.1f", sendSeconds));
        out.put("sent_unique", sentIds.size());
        out.put("sendings", report.sent());
        out.put("duplicates_sent", report.duplicates());
        out.put("attempts", report.attempts());
        out.put("attempts_no_answer", noAnswer);
        out.put("attempts_5xx", status5xx);
        out.put("attempts_other_non2xx", other);
        out.put("sendings_retried", retried);
        out.put("delivered", report.delivered());
        out.put("rejected", report.rejected());
        out.put("gave_up", report.gaveUp());
        out.put("all_delivered", report.allDelivered());

        // ---- what the database holds, once every event has its feed number
        long unpublished = -1;
        try (Connection db = DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, "x")) {
            while (System.nanoTime() < deadline) {
                unpublished = WsbBenchSupport.single(db, "select count(*) from inbox_event where feed_seq is null");
                if (unpublished == 0) {
                    break;
                }
                Thread.sleep(250);
            }
            Set<String> storedIds = new HashSet<>();
            try (Statement s = db.createStatement(); ResultSet rows = s.executeQuery("select message_id from inbox_event")) {
                while (rows.next()) {
                    storedIds.add(rows.getString(1));
                }
            }
            out.put("db_unpublished", unpublished);
            out.put("db_inbox_rows", WsbBenchSupport.single(db, "select count(*) from inbox_event"));
            out.put("db_stored_unique_ids", storedIds.size());
            out.put("db_receipts", WsbBenchSupport.single(db, "select count(*) from receipt"));
            out.put("db_receipt_deliveries", WsbBenchSupport.single(db, "select coalesce(sum(deliveries), 0) from receipt"));
            out.put("db_duplicated_ids", WsbBenchSupport.single(db,
                    "select count(*) from (select message_id from inbox_event group by message_id having count(*) > 1) d"));
            out.put("db_feed_seq_min", WsbBenchSupport.single(db, "select coalesce(min(feed_seq), 0) from inbox_event"));
            out.put("db_feed_seq_max", WsbBenchSupport.single(db, "select coalesce(max(feed_seq), 0) from inbox_event"));
            out.put("db_feed_head", WsbBenchSupport.single(db, "select last_seq from feed_state where id = 1"));
            Set<String> lost = new HashSet<>(sentIds);
            lost.removeAll(storedIds);
            Set<String> unexpected = new HashSet<>(storedIds);
            unexpected.removeAll(sentIds);
            out.put("lost", lost.size());
            out.put("lost_ids", String.join(",", lost.stream().limit(10).toList()));
            out.put("db_unexpected_ids", unexpected.size());
        }

        // ---- the feed, as an app reads it
        String token = issuer.mint(READER, "wsb-receiver", Duration.ofMinutes(30));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ObjectMapper json = new ObjectMapper();
        String after = "0";
        long previous = 0;
        boolean increasing = true;
        int pages = 0;
        long events = 0;
        Map<String, Integer> seen = new HashMap<>();
        Map<String, List<String>> feedOrderByCitizen = new HashMap<>();
        long rawMismatch = 0;
        while (true) {
            WsbBenchSupport.checkDeadline(deadline, "reading the feed took too long");
            JsonNode page = WsbBenchSupport.feedPage(http, json, httpPort, token, after);
            pages++;
            JsonNode list = page.get("events");
            for (JsonNode event : list) {
                events++;
                long cursor = Long.parseLong(event.get("cursor").asText());
                if (cursor <= previous) {
                    increasing = false;
                }
                previous = cursor;
                String id = event.get("messageId").asText();
                seen.merge(id, 1, Integer::sum);
                JsonNode message = event.get("message");
                if (message == null || !id.equals(message.path("MeddelelseId").asText())) {
                    rawMismatch++;
                }
                String citizen = event.path("subject").path("id").asText();
                if (seen.get(id) == 1) {
                    feedOrderByCitizen.computeIfAbsent(citizen, c -> new ArrayList<>()).add(id);
                }
            }
            String next = page.get("next").asText();
            if (list.isEmpty()) {
                break;
            }
            after = next;
        }
        Set<String> missingInFeed = new HashSet<>(sentIds);
        missingInFeed.removeAll(seen.keySet());
        long duplicatedInFeed = seen.values().stream().filter(n -> n > 1).count();

        // Per citizen, STAR delivers one message at a time, in order: the feed must keep that order.
        Map<String, List<String>> sentOrderByCitizen = new HashMap<>();
        for (DeliveryReport.Delivery d : report.deliveries()) {
            if (!d.duplicate() && d.delivered()) {
                sentOrderByCitizen.computeIfAbsent(d.cpr(), c -> new ArrayList<>()).add(d.messageId());
            }
        }
        long orderViolations = sentOrderByCitizen.entrySet().stream()
                .filter(e -> !e.getValue().equals(feedOrderByCitizen.getOrDefault(e.getKey(), List.of())))
                .count();

        out.put("feed_pages", pages);
        out.put("feed_events", events);
        out.put("feed_unique_ids", seen.size());
        out.put("feed_duplicated_ids", duplicatedInFeed);
        out.put("feed_missing_ids", missingInFeed.size());
        out.put("feed_cursor_strictly_increasing", increasing);
        out.put("feed_last_cursor", previous);
        out.put("feed_message_id_mismatch", rawMismatch);
        out.put("feed_citizens", sentOrderByCitizen.size());
        out.put("feed_citizen_order_violations", orderViolations);

        boolean ok = report.allDelivered() && ((Number) out.get("lost")).longValue() == 0
                && ((Number) out.get("db_duplicated_ids")).longValue() == 0 && duplicatedInFeed == 0
                && missingInFeed.isEmpty() && increasing && rawMismatch == 0 && orderViolations == 0
                && unpublished == 0 && events == sentIds.size();
        out.put("verdict", ok ? "PASS" : "FAIL");
        // PostgreSQL stops with this process: first let the script read the receiver's counters and stop it
        WsbBenchSupport.finish(dir, out);
        System.exit(ok ? 0 : 1);
    }

    /** Writes the number of committed receipts to the progress file. */
    private static final class Progress implements AutoCloseable {
        private final String jdbcUrl;
        private final Path file;
        private Connection connection;
        private long last;

        Progress(String jdbcUrl, Path file) {
            this.jdbcUrl = jdbcUrl;
            this.file = file;
        }

        long update() {
            try {
                if (connection == null) {
                    connection = DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, "x");
                }
                last = WsbBenchSupport.single(connection, "select count(*) from receipt");
                WsbBenchSupport.writeAtomically(file, "stored=" + last + "\n");
            } catch (SQLException e) {
                if (!e.getMessage().contains("relation \"receipt\" does not exist")) { // before the first migration
                    WsbBenchSupport.log("progress: " + e.getMessage());
                }
                close();
            } catch (IOException e) {
                WsbBenchSupport.log("progress: " + e.getMessage());
            }
            return last;
        }

        @Override
        public void close() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // going anyway
                }
                connection = null;
            }
        }
    }
}
