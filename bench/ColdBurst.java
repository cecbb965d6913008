import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold burst against token-broker: n callers ask for the same, never requested scope set at the same instant.
 * With single flight in the broker, they all share one upstream token request and receive the same token.
 *
 * <pre>java bench/ColdBurst.java URL CALLER_TOKEN N SCOPES_JSON</pre>
 *
 * Prints key=value lines (parsed by token-broker-bench.sh). Exits 1 when any request did not get a 200.
 * Platform threads (one per caller) wait on a latch, so every request is sent as soon as the latch opens;
 * HTTP/1.1, so each caller has its own connection.
 */
public final class ColdBurst {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long RUN_LIMIT_SECONDS = 60;

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: java bench/ColdBurst.java URL CALLER_TOKEN N SCOPES_JSON");
            System.exit(2);
        }
        URI url = URI.create(args[0]);
        String callerToken = args[1];
        int n = Integer.parseInt(args[2]);
        String body = args[3];
        if (n < 1 || n > 1000) {
            throw new IllegalArgumentException("N must be between 1 and 1000");
        }
        if (!"127.0.0.1".equals(url.getHost())) {
            throw new IllegalArgumentException("the burst only targets 127.0.0.1, not " + url.getHost());
        }

        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + callerToken)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();

        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(n);
        long[] latencyNanos = new long[n];
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Map<String, Boolean> tokens = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        long[] releasedAt = new long[1];

        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                try {
                    ready.countDown();
                    go.await();
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        if (response.statusCode() == 200) {
                            Matcher m = ACCESS_TOKEN.matcher(response.body());
                            if (m.find()) {
                                tokens.put(m.group(1), Boolean.TRUE);
                            }
                        }
                    } catch (Exception e) {
                        failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                    }
                    latencyNanos[index] = System.nanoTime() - start;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    finished.countDown();
                }
            }, "burst-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }

        if (!ready.await(30, TimeUnit.SECONDS)) {
            System.err.println("callers not ready within 30 s");
            System.exit(1);
        }
        Thread.sleep(200); // let every thread reach go.await()
        releasedAt[0] = System.nanoTime();
        go.countDown();
        boolean allDone = finished.await(RUN_LIMIT_SECONDS, TimeUnit.SECONDS);
        long wallNanos = System.nanoTime() - releasedAt[0];

        long[] sorted = Arrays.stream(latencyNanos).filter(v -> v > 0).sorted().toArray();
        int ok = statuses.getOrDefault(200, new AtomicInteger()).get();
        int otherStatus = statuses.entrySet().stream().filter(e -> e.getKey() != 200)
                .mapToInt(e -> e.getValue().get()).sum();
        int errors = failures.values().stream().mapToInt(AtomicInteger::get).sum();
        int unfinished = (int) finished.getCount();

        Map<Integer, Integer> statusView = new TreeMap<>();
        statuses.forEach((k, v) -> statusView.put(k, v.get()));
        Map<String, Integer> failureView = new TreeMap<>();
        failures.forEach((k, v) -> failureView.put(k, v.get()));
        Set<String> distinct = tokens.keySet();

        System.out.println("requests=" + n);
        System.out.println("ok_200=" + ok);
        System.out.println("other_status=" + otherStatus);
        System.out.println("statuses=" + statusView);
        System.out.println("client_errors=" + errors + (failureView.isEmpty() ? "" : " " + failureView));
        System.out.println("unfinished=" + unfinished);
        System.out.println("distinct_tokens=" + distinct.size());
        System.out.printf("wall_ms=%.1f%n", wallNanos / 1e6);
        if (sorted.length > 0) {
            System.out.printf("min_latency_ms=%.1f%n", sorted[0] / 1e6);
            System.out.printf("p50_latency_ms=%.1f%n", sorted[(sorted.length - 1) / 2] / 1e6);
            System.out.printf("max_latency_ms=%.1f%n", sorted[sorted.length - 1] / 1e6);
        }
        System.exit(allDone && ok == n ? 0 : 1);
    }
}
