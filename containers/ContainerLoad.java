import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.socsecgateway.simulators.pki.LocalPki;

import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The load driver of containers/run-stack.sh. Two modes:
 * <ul>
 *   <li>{@code load}: {@code --loops} loops, each sending one request after the other on its own keep-alive
 *   connection (JDK HttpClient, HTTP/1.1), until {@code --stop-file} exists or {@code --max-seconds} have passed.
 *   {@code --path}: {@code get} (GET {@code --url} with {@code --token} ({@code none}: no Authorization header), e.g. through bcss-proxy or to
 *   codelist-service), {@code token} (POST /v1/tokens to token-broker), {@code webhook} (a STAR notice with a new
 *   MeddelelseId over mutual TLS with STAR's certificate from {@code --pki}, host name verified), {@code poll} (a
 *   long-poll GET {@code --url}: answered when shutdown begins). Writes one line per request to {@code --out}:
 *   {@code start_ms end_ms outcome id} (outcome: the HTTP status, {@code connect} when no connection could be made,
 *   {@code timeout}, or {@code io:<exception>} when the connection broke after the request was sent).</li>
 *   <li>{@code feed}: reads the whole feed {@code --url} (/v1/events) from cursor 0 with {@code --token}, pages of
 *   1000, and writes {@code messageId channel authority} per event to {@code --out}.</li>
 * </ul>
 * Bounded: every request has a timeout ({@code --timeout-s}, 90 by default), every loop ends by {@code --max-seconds}.
 */
public final class ContainerLoad {

    public static void main(String[] args) throws Exception {
        Map<String, String> o = parse(args);
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (o.containsKey("pki")) {
            builder.sslContext(LocalPki.create(Path.of(o.get("pki"))).starClientSslContext());
        }
        if ("feed".equals(o.get("mode"))) {
            readFeed(builder.build(), o.get("url"), o.get("token"), Path.of(o.get("out")));
            return;
        }
        load(builder, o);
    }

    private static void load(HttpClient.Builder builder, Map<String, String> o) throws Exception {
        String path = o.get("path");
        URI url = URI.create(o.get("url"));
        String token = o.get("token");
        int loops = Integer.parseInt(o.getOrDefault("loops", "4"));
        long deadline = System.currentTimeMillis() + 1000L * Integer.parseInt(o.getOrDefault("max-seconds", "120"));
        Duration timeout = Duration.ofSeconds(Integer.parseInt(o.getOrDefault("timeout-s", "90")));
        Path stop = Path.of(o.get("stop-file"));
        // a line per answer, written at once: the script watches the file while the load runs
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(o.get("out"))), true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < loops; i++) {
            HttpClient http = builder.build(); // one connection per loop
            Thread loop = new Thread(() -> {
                while (!Files.exists(stop) && System.currentTimeMillis() < deadline) {
                    String id = "webhook".equals(path) ? UUID.randomUUID().toString() : "-";
                    long start = System.currentTimeMillis();
                    String outcome;
                    try {
                        HttpResponse<String> answer = http.send(request(path, url, token, id, timeout),
                                HttpResponse.BodyHandlers.ofString());
                        outcome = Integer.toString(answer.statusCode());
                    } catch (ConnectException e) {
                        outcome = "connect";
                    } catch (HttpTimeoutException e) {
                        outcome = "timeout";
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        outcome = "io:" + e.getClass().getSimpleName();
                    }
                    long end = System.currentTimeMillis();
                    synchronized (out) {
                        out.println(start + " " + end + " " + outcome + " " + id);
                    }
                    if (!outcome.startsWith("2")) {
                        pause(200); // refused (shutting down, or gone): do not spin
                    }
                }
            });
            loop.start();
            threads.add(loop);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        out.close();
    }

    private static HttpRequest request(String path, URI url, String token, String id, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout);
        if (token != null && !token.equals("none")) {
            request.header("Authorization", "Bearer " + token);
        }
        return switch (path) {
            case "token" -> request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"scopes\":[\"scope:cbss:api:demo:consult\"]}")).build();
            case "webhook" -> request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(notice(id))).build();
            case "get", "poll" -> request.GET().build();
            default -> throw new IllegalArgumentException("unknown --path " + path);
        };
    }

    /** A STAR notice (the shape of the simulators' WsbMessages, as in bench/SoakLoad.java) with that MeddelelseId. */
    private static String notice(String messageId) {
        return "{\"MeddelelseId\":\"" + messageId + "\",\"EntitetId\":60010,\"EntitetNavn\":\"Akassemedlemskab\","
                + "\"Subjekt\":{\"IdentifikationType\":1,\"Identifikation\":\"0103851234\"},\"AendringType\":1,"
                + "\"Tidspunkt\":\"2025-03-03T08:01:05+01:00\"}";
    }

    private static void readFeed(HttpClient http, String feedUrl, String token, Path out) throws Exception {
        ObjectMapper json = new ObjectMapper();
        String after = "0";
        try (PrintWriter lines = new PrintWriter(Files.newBufferedWriter(out))) {
            for (int pages = 0; pages < 10_000; pages++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(feedUrl + "?after=" + after + "&limit=1000"))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build();
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("feed answered " + answer.statusCode() + ": " + answer.body());
                }
                JsonNode page = json.readTree(answer.body());
                for (JsonNode event : page.path("events")) {
                    lines.println(event.path("messageId").asText() + " " + event.path("channel").asText() + " "
                            + event.path("authority").asText());
                }
                if (page.path("events").size() < 1000) {
                    return;
                }
                after = page.path("next").asText();
            }
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }
}
