import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.socsecgateway.simulators.db.LocalPostgres;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.simulators.soap.SoapExchange;
import org.socsecgateway.simulators.wsrm.DfdgWsrmSimulator;
import org.socsecgateway.simulators.wsrm.MessageService;
import org.socsecgateway.simulators.wsrm.QueuedMessage;
import org.socsecgateway.simulators.wsrm.SequenceView;
import org.socsecgateway.simulators.wsrm.WsrmLoad;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The Java side of bench/dfdg-poller-bench.sh and bench/dfdg-poller-crash.sh: runs PostgreSQL (data on disk under
 * --dir), the caller-token issuer and the fake DFDG WSRM service (in this process, so that it can compare every
 * MessageIdentifier it enqueued with the feed), while the script starts wsb-receiver and (kills and restarts)
 * dfdg-poller.
 *
 * <pre>
 * java -cp simulators.jar:lib/* DfdgPollerBench --dir DIR --pg-port P --issuer-port P --wsrm-port P --http-port P
 *     [--count 50000] [--services 5] [--seed 42] [--max-inventory 10000] [--sequence-expiry-s 600] [--timeout 480]
 * </pre>
 *
 * Hand-shake with the script through files in DIR (each written to a temp file, then moved):
 * <ol>
 *   <li>this enqueues {@code count} messages for subscriber 8:58 over the first {@code services} Get operations, then
 *       writes {@code dfdg-poller.token} (the poller's caller token, audience wsb-receiver) and {@code driver.env}
 *       (JDBC_URL, PIN, WSRM_URL, USER_IDENTIFIER, READY=1);</li>
 *   <li>the script starts the receiver and the poller; every 200 ms this writes {@code progress} (key=value: queued,
 *       open sequences and what the open one has fetched, deleted at DFDG, events in the feed, the first
 *       CreateSequence and the newest sequence seen, done); the crash script kills and restarts the poller;</li>
 *   <li>done = every message deleted at DFDG and at least {@code count} events of the authority numbered in the feed;
 *       then this reads the whole feed through {@code GET /v1/events} from cursor 0, compares it with what was
 *       enqueued and what the database holds, prints key=value lines and writes {@code finished};</li>
 *   <li>the script reads the poller's and the receiver's counters, stops them and creates {@code stop}; this then
 *       exits (stopping PostgreSQL) with 0 when nothing was lost or doubled, 1 otherwise.</li>
 * </ol>
 */
public final class DfdgPollerBench {

    static final String SUBSCRIBER = "8:58";
    static final String AUTHORITY = "DFDG-WSRM";
    static final String READER = "system:serviceaccount:bench:reader";
    static final String POLLER = "system:serviceaccount:local:dfdg-poller";

    public static void main(String[] args) throws Exception {
        Map<String, String> options = WsbBenchSupport.parse(args, "dir", "pg-port", "issuer-port", "wsrm-port", "http-port");
        Path dir = Path.of(options.get("dir"));
        int pgPort = Integer.parseInt(options.get("pg-port"));
        int issuerPort = Integer.parseInt(options.get("issuer-port"));
        int wsrmPort = Integer.parseInt(options.get("wsrm-port"));
        int httpPort = Integer.parseInt(options.get("http-port"));
        int count = Integer.parseInt(options.getOrDefault("count", "50000"));
        int serviceCount = Integer.parseInt(options.getOrDefault("services", "5"));
        long seed = Long.parseLong(options.getOrDefault("seed", "42"));
        int maxInventory = Integer.parseInt(options.getOrDefault("max-inventory", "10000"));
        long expiryS = Long.parseLong(options.getOrDefault("sequence-expiry-s", "600"));
        long timeoutS = Long.parseLong(options.getOrDefault("timeout", "480"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);

        LocalPki pki = LocalPki.create(dir.resolve("pki"));
        LocalPostgres postgres = LocalPostgres.start(dir.resolve("pg"), pgPort);
        CallerTokenIssuer issuer = CallerTokenIssuer.builder().tls(pki.serverCert(), pki.serverKey()).port(issuerPort).build().start();
        DfdgWsrmSimulator wsrm = DfdgWsrmSimulator.builder()
                .tls(pki.serverCert(), pki.serverKey())
                .requireClientCertificate(pki.focesClientCert())
                .port(wsrmPort)
                .maxInventory(maxInventory)
                .sequenceExpiry(Duration.ofSeconds(expiryS))
                .build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            wsrm.close();
            issuer.close();
            postgres.close();
        }, "dfdg-poller-bench-shutdown"));
        String jdbcUrl = postgres.jdbcUrl("wsb");

        List<MessageService> services = Arrays.asList(MessageService.values()).subList(0, serviceCount);
        List<QueuedMessage> enqueued = wsrm.queue().fill(new WsrmLoad(SUBSCRIBER, count, services, Math.max(1, count / 4), seed));
        Map<String, Integer> perService = new TreeMap<>();
        enqueued.forEach(m -> perService.merge(m.service().serviceName(), 1, Integer::sum));
        WsbBenchSupport.log("enqueued " + enqueued.size() + " messages for " + SUBSCRIBER + ": " + perService
                + "; sequence expiry " + expiryS + " s, max inventory " + maxInventory);

        WsbBenchSupport.writeAtomically(dir.resolve("dfdg-poller.token"), issuer.mint(POLLER, "wsb-receiver", Duration.ofHours(2)));
        WsbBenchSupport.writeAtomically(dir.resolve("driver.env"), "JDBC_URL=" + jdbcUrl
                + "\nPIN=" + WsbBenchSupport.sha256(pki.starClientCert())
                + "\nWSRM_URL=" + wsrm.wsrmServiceUrl()
                + "\nUSER_IDENTIFIER=" + LocalPki.FOCES_CLIENT_USER_IDENTIFIER
                + "\nREADY=1\n");

        // ---- progress until everything is deleted at DFDG and in the feed
        Map<String, Instant> seenSequences = new LinkedHashMap<>();
        Instant firstCreate = null;
        Instant doneAt = null;
        long feed = 0;
        long lastLog = 0;
        long start = System.nanoTime();
        Connection db = null;
        while (doneAt == null) {
            WsbBenchSupport.checkDeadline(deadline, "the drain did not end (deleted " + wsrm.queue().deletedCount()
                    + " of " + count + ", feed " + feed + ")");
            Thread.sleep(200);
            int queued = wsrm.queue().queued();
            List<SequenceView> open = wsrm.queue().sequences();
            int deleted = wsrm.queue().deletedCount();
            for (SequenceView s : open) {
                seenSequences.putIfAbsent(s.identifier(), s.created());
            }
            if (firstCreate == null) {
                firstCreate = wsrm.stats().recent("CreateSequence").stream().map(SoapExchange::at).findFirst().orElse(null);
            }
            try {
                if (db == null) {
                    db = DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, "x");
                }
                feed = WsbBenchSupport.single(db, "select count(*) from inbox_event where authority = '" + AUTHORITY
                        + "' and feed_seq is not null");
            } catch (SQLException e) {
                if (!e.getMessage().contains("does not exist")) { // before the receiver's first migration
                    WsbBenchSupport.log("progress: " + e.getMessage());
                }
                if (db != null) {
                    db.close();
                }
                db = null;
            }
            boolean done = deleted == count && queued == 0 && open.isEmpty() && feed >= count;
            if (done) {
                doneAt = Instant.now();
            }
            long lastCreated = seenSequences.values().stream().mapToLong(Instant::toEpochMilli).max().orElse(0);
            SequenceView current = open.isEmpty() ? null : open.get(open.size() - 1);
            WsbBenchSupport.writeAtomically(dir.resolve("progress"), "queued=" + queued
                    + "\nopen_sequences=" + open.size()
                    + "\nopen_fetched=" + (current == null ? 0 : current.fetched())
                    + "\nopen_messages=" + (current == null ? 0 : current.messages())
                    + "\ndeleted=" + deleted
                    + "\nfeed=" + feed
                    + "\nfirst_create_ms=" + (firstCreate == null ? "" : firstCreate.toEpochMilli())
                    + "\nlast_created_ms=" + (lastCreated == 0 ? "" : lastCreated)
                    + "\nsequences_seen=" + seenSequences.size()
                    + "\ndone=" + (done ? 1 : 0) + "\n");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            if (seconds >= lastLog + 5) {
                lastLog = seconds;
                WsbBenchSupport.log("t=" + seconds + "s queued=" + queued + " open=" + open.size()
                        + (current == null ? "" : " (fetched " + current.fetched() + "/" + current.messages() + ")")
                        + " deleted=" + deleted + " feed=" + feed);
            }
        }
        WsbBenchSupport.log("done: every message deleted at DFDG and in the feed");

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enqueued", enqueued.size());
        out.put("enqueued_per_service", perService.toString().replace(" ", ""));
        out.put("first_create_ms", firstCreate == null ? 0 : firstCreate.toEpochMilli());
        out.put("done_ms", doneAt.toEpochMilli());
        double drainSeconds = firstCreate == null ? 0 : Duration.between(firstCreate, doneAt).toMillis() / 1000.0;
        out.put("drain_seconds", String.format("%.1f", drainSeconds));
        out.put("messages_per_second", String.format("%.0f", drainSeconds == 0 ? 0 : count / drainSeconds));
        List<SoapExchange> terminates = wsrm.stats().recent("TerminateSequence");
        out.put("last_terminate_ms", terminates.isEmpty() ? 0 : terminates.get(terminates.size() - 1).at().toEpochMilli());

        // ---- what DFDG saw
        Set<String> enqueuedIds = new HashSet<>();
        enqueued.forEach(m -> enqueuedIds.add(m.messageIdentifier()));
        Set<String> deletedIds = wsrm.queue().deletedIds();
        out.put("dfdg_queued", wsrm.queue().queued());
        out.put("dfdg_in_flight", wsrm.queue().inFlight());
        out.put("dfdg_deleted", deletedIds.size());
        out.put("dfdg_deleted_not_enqueued", deletedIds.stream().filter(id -> !enqueuedIds.contains(id)).count());
        Map<Integer, Integer> attempts = new TreeMap<>();
        enqueuedIds.forEach(id -> attempts.merge(wsrm.queue().deliveryAttempts(id), 1, Integer::sum));
        out.put("dfdg_delivery_attempts", attempts.toString().replace(" ", ""));
        out.put("dfdg_sequences_seen", seenSequences.size());
        Map<String, Long> calls = wsrm.stats().calls();
        out.put("dfdg_calls", new TreeMap<>(calls).toString().replace(" ", ""));
        Map<String, Integer> faults = new TreeMap<>();
        for (SoapExchange e : wsrm.stats().recent()) {
            if (e.status() != 200) {
                faults.merge(e.operation() + ":" + (e.errorCode() == null ? e.status() : e.errorCode()), 1, Integer::sum);
            }
        }
        out.put("dfdg_faults", faults.toString().replace(" ", ""));

        // ---- what the database holds, once every event has its feed number
        long unpublished = -1;
        if (db == null) {
            db = DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, "x");
        }
        try (Connection c = db) {
            while (System.nanoTime() < deadline) {
                unpublished = WsbBenchSupport.single(c, "select count(*) from inbox_event where feed_seq is null");
                if (unpublished == 0) {
                    break;
                }
                Thread.sleep(250);
            }
            Set<String> storedIds = new HashSet<>();
            try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(
                    "select message_id from inbox_event where authority = '" + AUTHORITY + "'")) {
                while (rows.next()) {
                    storedIds.add(rows.getString(1));
                }
            }
            out.put("db_unpublished", unpublished);
            out.put("db_inbox_rows", WsbBenchSupport.single(c, "select count(*) from inbox_event"));
            out.put("db_stored_unique_ids", storedIds.size());
            out.put("db_duplicated_ids", WsbBenchSupport.single(c,
                    "select count(*) from (select message_id from inbox_event group by authority, message_id having count(*) > 1) d"));
            out.put("db_receipts", WsbBenchSupport.single(c, "select count(*) from receipt"));
            out.put("db_receipt_deliveries", WsbBenchSupport.single(c, "select coalesce(sum(deliveries), 0) from receipt"));
            Map<String, Long> outcomes = new TreeMap<>();
            long receiptFetched = 0;
            long receiptStored = 0;
            long receiptDuplicates = 0;
            try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(
                    "select outcome, count(*), sum(fetched), sum(stored), sum(duplicates) from wsrm_sequence_receipt group by outcome")) {
                while (rows.next()) {
                    outcomes.put(rows.getString(1), rows.getLong(2));
                    receiptFetched += rows.getLong(3);
                    receiptStored += rows.getLong(4);
                    receiptDuplicates += rows.getLong(5);
                }
            }
            out.put("db_sequence_receipts", outcomes.toString().replace(" ", ""));
            out.put("db_sequence_receipts_fetched", receiptFetched);
            out.put("db_sequence_receipts_stored", receiptStored);
            out.put("db_sequence_receipts_duplicates", receiptDuplicates);
            Set<String> lost = new HashSet<>(enqueuedIds);
            lost.removeAll(storedIds);
            Set<String> unexpected = new HashSet<>(storedIds);
            unexpected.removeAll(enqueuedIds);
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
        long otherAuthority = 0;
        long idMismatch = 0;
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> feedPerType = new TreeMap<>();
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
                if (!AUTHORITY.equals(event.path("authority").asText())) {
                    otherAuthority++;
                }
                String id = event.get("messageId").asText();
                seen.merge(id, 1, Integer::sum);
                if (!id.equals(event.path("message").path("MessageIdentifier").asText())) {
                    idMismatch++;
                }
                feedPerType.merge(event.path("message").path("MessageType").asText("?"), 1, Integer::sum);
            }
            if (list.isEmpty()) {
                break;
            }
            after = page.get("next").asText();
        }
        Set<String> missingInFeed = new HashSet<>(enqueuedIds);
        missingInFeed.removeAll(seen.keySet());
        long duplicatedInFeed = seen.values().stream().filter(n -> n > 1).count();
        long notEnqueued = seen.keySet().stream().filter(id -> !enqueuedIds.contains(id)).count();

        out.put("feed_pages", pages);
        out.put("feed_events", events);
        out.put("feed_unique_ids", seen.size());
        out.put("feed_duplicated_ids", duplicatedInFeed);
        out.put("feed_missing_ids", missingInFeed.size());
        out.put("feed_not_enqueued", notEnqueued);
        out.put("feed_other_authority", otherAuthority);
        out.put("feed_message_id_mismatch", idMismatch);
        out.put("feed_cursor_strictly_increasing", increasing);
        out.put("feed_last_cursor", previous);
        out.put("feed_per_type", feedPerType.toString().replace(" ", ""));

        boolean ok = ((Number) out.get("lost")).longValue() == 0
                && ((Number) out.get("db_duplicated_ids")).longValue() == 0
                && ((Number) out.get("db_unexpected_ids")).longValue() == 0
                && duplicatedInFeed == 0 && missingInFeed.isEmpty() && notEnqueued == 0 && idMismatch == 0 && increasing
                && unpublished == 0 && events == enqueuedIds.size()
                && deletedIds.size() == enqueuedIds.size() && deletedIds.containsAll(enqueuedIds);
        out.put("verdict", ok ? "PASS" : "FAIL");
        // PostgreSQL stops with this process: first let the script read the counters and stop the services
        WsbBenchSupport.finish(dir, out);
        System.exit(ok ? 0 : 1);
    }
}
