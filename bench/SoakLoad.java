import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.socsecgateway.simulators.pki.LocalPki;

import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The driver of bench/soak.sh: a steady, open-loop load on the local stack for a fixed time, sampled every window.
 * <ul>
 *   <li>{@code bcss-get}: {@code GET} through bcss-proxy (caller JWT) to the gateway simulator;</li>
 *   <li>{@code token}: {@code POST /v1/tokens} to token-broker (caller JWT; a cached token);</li>
 *   <li>{@code webhook}: STAR notices, each with a new MeddelelseId, over mutual TLS (STAR's certificate, host name
 *   verified) to wsb-receiver; the ids answered 2xx are remembered;</li>
 *   <li>{@code feed}: one reader long-polls {@code GET /v1/events?after=&limit=1000&wait=5} and notes every messageId.</li>
 * </ul>
 * Each path sends at its own fixed rate, whatever the answers take (JDK HttpClient, asynchronous, HTTP/1.1 keep-alive
 * pool): a request's latency runs from the moment the schedule meant to send it to the end of its answer, so a slow
 * server shows as latency instead of fewer requests. At most {@code --max-in-flight} requests per path are open; a
 * request the schedule cannot send because of that counts as an error ("backlog"). Every {@code --window} seconds it
 * appends to {@code --out}/samples.tsv per path the requests, errors, p50 and p99 of that window, the feed events read
 * and the feed lag (accepted webhooks not read yet), and the RSS and CPU (cores) of each {@code --watch} process.
 * The first {@code --ramp} seconds of the schedule (whole windows, t &le; 0 in samples.tsv) are the cold start at full
 * rate: their requests, errors and p99 are reported apart ({@code *_ramp_*}), not in the totals or the drift thirds;
 * the webhooks they got accepted must reach the feed like all others. At the end it waits for open requests (30 s at most), reads the feed until every accepted webhook is in it (60 s at
 * most) and prints key=value lines: totals, lost webhooks (accepted, never in the feed), ids more than once in the
 * feed, and the drift figures (RSS of the last third of the windows against the middle third; p99 of the last third
 * against the middle third).
 */
public final class SoakLoad {

    private static final String[] PATHS = {"bcss-get", "token", "webhook"};

    /** The figures of one path in the current window; swapped out by the sampler. */
    private static final class Window {
        long[] latencies = new long[1024];
        int count;
        long errors;
        final Map<String, Long> errorKinds = new LinkedHashMap<>();

        synchronized void ok(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }

        synchronized void error(String kind) {
            errors++;
            errorKinds.merge(kind, 1L, Long::sum);
        }
    }

    private static final Map<String, Window> WINDOWS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> IN_FLIGHT = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> TOTAL_OK = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> TOTAL_ERRORS = new ConcurrentHashMap<>();
    private static final Map<String, Long> ERROR_KINDS = new ConcurrentHashMap<>();
    private static final Map<String, Long> RAMP_OK = new ConcurrentHashMap<>();
    private static final Map<String, Long> RAMP_ERRORS = new ConcurrentHashMap<>();
    private static final Map<String, Long> RAMP_ERROR_KINDS = new ConcurrentHashMap<>();
    private static final Set<String> ACCEPTED = ConcurrentHashMap.newKeySet();
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
    private static final AtomicLong FEED_EVENTS = new AtomicLong();
    private static final AtomicLong FEED_DUPLICATES = new AtomicLong();
    private static final AtomicLong FEED_ERRORS = new AtomicLong();
    private static volatile boolean feedRunning = true;

    public static void main(String[] args) throws Exception {
        Map<String, String> o = parse(args);
        int seconds = Integer.parseInt(o.get("seconds"));
        int window = Integer.parseInt(o.getOrDefault("window", "10"));
        // the first --ramp seconds of the schedule (whole windows): sampled and reported apart, not in the totals
        int rampWindows = Integer.parseInt(o.getOrDefault("ramp", "0")) / window;
        int maxInFlight = Integer.parseInt(o.getOrDefault("max-in-flight", "64"));
        int clockTick = Integer.parseInt(o.getOrDefault("clk-tck", "100"));
        Path out = Path.of(o.get("out"));
        Map<String, Long> watch = new LinkedHashMap<>();
        for (String item : o.get("watch").split(",")) {
            String[] nv = item.split("=", 2);
            watch.put(nv[0], Long.parseLong(nv[1]));
        }
        Map<String, Double> rates = Map.of("bcss-get", Double.parseDouble(o.get("rate-get")),
                "token", Double.parseDouble(o.get("rate-token")), "webhook", Double.parseDouble(o.get("rate-webhook")));

        ExecutorService pool = Executors.newFixedThreadPool(4);
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(pool).build();
        HttpClient mtls = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(pool).sslContext(LocalPki.create(Path.of(o.get("pki"))).starClientSslContext())
                .build();
        URI proxy = URI.create(o.get("proxy-url"));
        URI broker = URI.create(o.get("broker-url"));
        URI webhook = URI.create(o.get("webhook-url"));
        String proxyToken = o.get("proxy-token");
        String brokerToken = o.get("broker-token");
        String feedToken = o.get("feed-token");
        String feedUrl = o.get("feed-url");

        for (String path : PATHS) {
            WINDOWS.put(path, new Window());
            IN_FLIGHT.put(path, new AtomicInteger());
            TOTAL_OK.put(path, new AtomicLong());
            TOTAL_ERRORS.put(path, new AtomicLong());
        }

        // warm-up, not counted: each path one request at a time until --warmup answers in a row were 2xx (180 s at most in all),
        // so that the schedule does not start against cold JVMs (the first calls load classes, fetch tokens, JWKS)
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "50"));
        long warmupDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        for (String path : PATHS) {
            int inRow = 0;
            while (inRow < warmup && System.nanoTime() < warmupDeadline) {
                HttpClient client = path.equals("webhook") ? mtls : plain;
                try {
                    int status = client.send(request(path, proxy, proxyToken, broker, brokerToken, webhook, null),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    inRow = status / 100 == 2 ? inRow + 1 : 0;
                } catch (java.io.IOException e) {
                    inRow = 0;
                }
            }
            System.err.printf("[soak %tT] warm-up of %s: %d answers in a row 2xx%n", System.currentTimeMillis(), path, inRow);
        }

        Thread feed = new Thread(() -> readFeed(plain, feedUrl, feedToken), "feed-reader");
        feed.start();

        ScheduledExecutorService schedule = Executors.newScheduledThreadPool(1);
        long start = System.nanoTime();
        for (String path : PATHS) {
            long period = Math.max(1, Math.round(1e9 / rates.get(path)));
            AtomicLong n = new AtomicLong();
            schedule.scheduleAtFixedRate(() -> {
                long intended = start + n.getAndIncrement() * period;
                if (IN_FLIGHT.get(path).get() >= maxInFlight) {
                    error(path, "backlog");
                    return;
                }
                String id = path.equals("webhook") ? UUID.randomUUID().toString() : null;
                HttpClient client = path.equals("webhook") ? mtls : plain;
                HttpRequest request = request(path, proxy, proxyToken, broker, brokerToken, webhook, id);
                IN_FLIGHT.get(path).incrementAndGet();
                client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                    IN_FLIGHT.get(path).decrementAndGet();
                    if (failure != null) {
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        error(path, cause.getClass().getSimpleName());
                    } else if (response.statusCode() / 100 != 2) {
                        error(path, "HTTP " + response.statusCode());
                    } else {
                        if (id != null) {
                            ACCEPTED.add(id);
                        }
                        WINDOWS.get(path).ok(System.nanoTime() - intended);
                        TOTAL_OK.get(path).incrementAndGet();
                    }
                });
            }, 0, period, TimeUnit.NANOSECONDS);
        }

        List<Map<String, Double>> rows = new ArrayList<>();
        List<Map<String, Double>> rampRows = new ArrayList<>();
        List<String> columns = new ArrayList<>(List.of("t_s"));
        for (String path : PATHS) {
            columns.addAll(List.of(path + ".requests", path + ".errors", path + ".p50_ms", path + ".p99_ms"));
        }
        columns.addAll(List.of("feed.events", "feed.lag"));
        for (String name : watch.keySet()) {
            columns.addAll(List.of(name + ".rss_mib", name + ".cores"));
        }
        Files.createDirectories(out);
        try (PrintWriter tsv = new PrintWriter(Files.newBufferedWriter(out.resolve("samples.tsv")))) {
            tsv.println(String.join("\t", columns));
            tsv.flush();
            Map<String, Long> ticks = new LinkedHashMap<>();
            watch.forEach((name, pid) -> ticks.put(name, cpuTicks(pid)));
            long feedBefore = 0;
            int windows = seconds / window;
            for (int w = 1 - rampWindows; w <= windows; w++) {
                long due = start + TimeUnit.SECONDS.toNanos((long) (w + rampWindows) * window);
                long sleep = due - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
                Map<String, Double> row = new LinkedHashMap<>();
                row.put("t_s", (double) w * window);
                for (String path : PATHS) {
                    Window done = WINDOWS.put(path, new Window());
                    synchronized (done) {
                        long[] sorted = Arrays.copyOf(done.latencies, done.count);
                        Arrays.sort(sorted);
                        row.put(path + ".requests", (double) (done.count + done.errors));
                        row.put(path + ".errors", (double) done.errors);
                        row.put(path + ".p50_ms", percentile(sorted, 50));
                        row.put(path + ".p99_ms", percentile(sorted, 99));
                    }
                }
                long feedNow = FEED_EVENTS.get();
                row.put("feed.events", (double) (feedNow - feedBefore));
                feedBefore = feedNow;
                row.put("feed.lag", (double) lag());
                for (Map.Entry<String, Long> e : watch.entrySet()) {
                    long now = cpuTicks(e.getValue());
                    row.put(e.getKey() + ".rss_mib", rssKib(e.getValue()) / 1024.0);
                    row.put(e.getKey() + ".cores", (now - ticks.get(e.getKey())) / (double) clockTick / window);
                    ticks.put(e.getKey(), now);
                }
                if (w > 0) {
                    rows.add(row);
                } else {
                    rampRows.add(row);
                }
                if (w == 0) {
                    endRamp();
                }
                List<String> cells = new ArrayList<>();
                for (String c : columns) {
                    double v = row.get(c);
                    cells.add(v == Math.rint(v) && !c.endsWith("_ms") && !c.endsWith("cores") ? String.valueOf((long) v)
                            : String.format(Locale.ROOT, "%.2f", v));
                }
                tsv.println(String.join("\t", cells));
                tsv.flush();
                System.err.printf("[soak %tT] window %d/%d: %s%n", System.currentTimeMillis(), w, windows, String.join(" ", cells));
            }
        }
        schedule.shutdownNow();
        long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (IN_FLIGHT.values().stream().mapToInt(AtomicInteger::get).sum() > 0 && System.nanoTime() < settle) {
            Thread.sleep(100);
        }
        long drain = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lag() > 0 && System.nanoTime() < drain) {
            Thread.sleep(200);
        }
        feedRunning = false;
        feed.join(TimeUnit.SECONDS.toMillis(15));

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("windows", rows.size());
        for (String path : PATHS) {
            summary.put(path + "_ok", TOTAL_OK.get(path).get());
            summary.put(path + "_errors", TOTAL_ERRORS.get(path).get());
            summary.put(path + "_p99_middle_ms", fmt(mean(rows, path + ".p99_ms", 1)));
            summary.put(path + "_p99_last_ms", fmt(mean(rows, path + ".p99_ms", 2)));
        }
        for (String path : PATHS) {
            summary.put(path + "_ramp_ok", RAMP_OK.getOrDefault(path, 0L));
            summary.put(path + "_ramp_errors", RAMP_ERRORS.getOrDefault(path, 0L));
            summary.put(path + "_ramp_p99_max_ms", fmt(rampRows.stream().mapToDouble(r -> r.get(path + ".p99_ms"))
                    .filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN)));
        }
        summary.put("ramp_error_kinds", RAMP_ERROR_KINDS.isEmpty() ? "none" : RAMP_ERROR_KINDS.toString().replace(' ', '_'));
        summary.put("still_in_flight", IN_FLIGHT.values().stream().mapToInt(AtomicInteger::get).sum());
        summary.put("error_kinds", ERROR_KINDS.isEmpty() ? "none" : ERROR_KINDS.toString().replace(' ', '_'));
        summary.put("webhooks_accepted", ACCEPTED.size());
        summary.put("feed_events", FEED_EVENTS.get());
        summary.put("feed_errors", FEED_ERRORS.get());
        summary.put("feed_duplicates", FEED_DUPLICATES.get());
        summary.put("lost_webhooks", lag());
        for (String name : watch.keySet()) {
            summary.put(name + "_rss_middle_mib", fmt(mean(rows, name + ".rss_mib", 1)));
            summary.put(name + "_rss_last_mib", fmt(mean(rows, name + ".rss_mib", 2)));
            summary.put(name + "_rss_max_mib", fmt(rows.stream().mapToDouble(r -> r.get(name + ".rss_mib")).max().orElse(Double.NaN)));
        }
        summary.forEach((k, v) -> System.out.println(k.replace('-', '_') + "=" + v));
        System.exit(0);
    }

    /** The request of a path; a webhook carries {@code messageId} (a new one when null: warm-up, not remembered). */
    private static HttpRequest request(String path, URI proxy, String proxyToken, URI broker, String brokerToken, URI webhook,
            String messageId) {
        return switch (path) {
            case "bcss-get" -> HttpRequest.newBuilder(proxy).header("Authorization", "Bearer " + proxyToken)
                    .timeout(Duration.ofSeconds(10)).GET().build();
            case "token" -> HttpRequest.newBuilder(broker).header("Authorization", "Bearer " + brokerToken)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"scopes\":[\"scope:cbss:api:demo:consult\"]}")).build();
            default -> HttpRequest.newBuilder(webhook).header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(notice(messageId != null ? messageId : UUID.randomUUID().toString())))
                    .build();
        };
    }

    /** Accepted webhooks the reader has not seen in the feed yet. */
    private static long lag() {
        return ACCEPTED.stream().filter(id -> !SEEN.contains(id)).count();
    }

    private static void readFeed(HttpClient http, String feedUrl, String token) {
        ObjectMapper json = new ObjectMapper();
        String after = "0";
        while (feedRunning) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(feedUrl + "?after=" + after + "&limit=1000&wait=2"))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build();
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    if (response.statusCode() != 200) {
                        FEED_ERRORS.incrementAndGet();
                        body.readAllBytes();
                        Thread.sleep(1000);
                        continue;
                    }
                    JsonNode page = json.readTree(body);
                    for (JsonNode event : page.path("events")) {
                        FEED_EVENTS.incrementAndGet();
                        if (!SEEN.add(event.path("messageId").asText())) {
                            FEED_DUPLICATES.incrementAndGet();
                        }
                    }
                    after = page.path("next").asText(after);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                FEED_ERRORS.incrementAndGet();
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** A STAR notice (the shape of the simulators' WsbMessages) with that MeddelelseId; the subject is a made-up number. */
    private static String notice(String messageId) {
        return "{\"MeddelelseId\":\"" + messageId + "\",\"EntitetId\":60010,\"EntitetNavn\":\"Akassemedlemskab\","
                + "\"Subjekt\":{\"IdentifikationType\":1,\"Identifikation\":\"0103851234\"},\"AendringType\":1,"
                + "\"Tidspunkt\":\"2025-03-03T08:01:05+01:00\"}";
    }

    /**
     * End of the ramp: what was counted so far moves to the ramp's figures (an answer to a ramp request that comes
     * later counts in the soak's). Accepted webhooks stay: every one must reach the feed.
     */
    private static void endRamp() {
        for (String path : PATHS) {
            RAMP_OK.put(path, TOTAL_OK.get(path).getAndSet(0));
            RAMP_ERRORS.put(path, TOTAL_ERRORS.get(path).getAndSet(0));
        }
        for (String kind : List.copyOf(ERROR_KINDS.keySet())) {
            Long n = ERROR_KINDS.remove(kind);
            if (n != null) {
                RAMP_ERROR_KINDS.merge(kind, n, Long::sum);
            }
        }
    }

    private static void error(String path, String kind) {
        WINDOWS.get(path).error(kind);
        TOTAL_ERRORS.get(path).incrementAndGet();
        ERROR_KINDS.merge(path + ":" + kind, 1L, Long::sum);
    }

    /** Nearest-rank percentile in milliseconds; NaN for no sample. */
    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    /** Mean of a column over one third of the rows (0 = first, 1 = middle, 2 = last), NaN values left out. */
    private static double mean(List<Map<String, Double>> rows, String column, int third) {
        int n = rows.size();
        int from = n * third / 3;
        int to = n * (third + 1) / 3;
        return rows.subList(from, to).stream().mapToDouble(r -> r.get(column)).filter(v -> !Double.isNaN(v)).average()
                .orElse(Double.NaN);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "?" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // the process is gone: 0
        }
        return 0;
    }

    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        } catch (Exception e) {
            return 0;
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        for (String required : List.of("seconds", "out", "watch", "pki", "proxy-url", "proxy-token", "broker-url",
                "broker-token", "webhook-url", "feed-url", "feed-token", "rate-get", "rate-token", "rate-webhook")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        return options;
    }
}
