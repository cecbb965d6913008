package org.socsecgateway.dfdgpoller;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.socsecgateway.common.testing.QuarkusJarProcess;
import org.socsecgateway.simulators.db.LocalPostgres;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.simulators.wsrm.DfdgWsrmSimulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The running partners of a test: the WSRM simulator, wsb-receiver with its PostgreSQL, the token issuer. */
public record Dfdg(LocalPki pki, CallerTokenIssuer issuer, LocalPostgres postgres, QuarkusJarProcess receiver,
                   DfdgWsrmSimulator wsrm, Path dir, LocalPki.Identity renewedFoces, Path focesCert, Path focesKey)
        implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Enqueues {@code count} messages of one service for the poller's subscriber; their MessageIdentifiers. */
    public java.util.Set<String> enqueue(org.socsecgateway.simulators.wsrm.MessageService service, int count, long seed) {
        return wsrm.queue().enqueue(SimulatedDfdg.SUBSCRIBER, service, count, Math.max(1, count / 10), seed).stream()
                .map(org.socsecgateway.simulators.wsrm.QueuedMessage::messageIdentifier)
                .collect(java.util.stream.Collectors.toSet());
    }

    /** The feed's message ids among {@code ids}, in feed order (a duplicate would show twice). */
    public List<String> inFeed(java.util.Set<String> ids) {
        return feed().stream().map(e -> e.path("messageId").asText()).filter(ids::contains).toList();
    }

    /** Puts the renewed FOCES certificate and key where the poller reads its identity, as a renewed Secret would. */
    public void renewFocesCertificate() {
        try {
            java.nio.file.Files.copy(renewedFoces.cert(), focesCert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.nio.file.Files.copy(renewedFoces.key(), focesKey, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server identity for localhost that the poller's trust store does not hold. */
    public LocalPki.Identity rogueServer() {
        return pki.identity("rogue-server", "localhost");
    }

    /** Every event in wsb-receiver's feed, in feed order. */
    public List<JsonNode> feed() {
        String token = issuer.mint(SimulatedDfdg.READER, "wsb-receiver", Duration.ofMinutes(5));
        List<JsonNode> events = new ArrayList<>();
        String after = "0";
        while (true) {
            JsonNode page = get("/v1/events?limit=500&after=" + after, token);
            for (JsonNode event : page.path("events")) {
                events.add(event);
            }
            if (page.path("events").isEmpty()) {
                return events;
            }
            after = page.path("next").asText();
        }
    }

    /** wsb-receiver's sequence receipts, newest first. */
    public JsonNode receipts() {
        return get("/v1/wsrm/sequences?limit=1000", issuer.mint(SimulatedDfdg.POLLER, "wsb-receiver", Duration.ofMinutes(5)));
    }

    private JsonNode get(String path, String token) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(receiver.url() + path))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        wsrm.close();
        receiver.close();
        postgres.close();
        issuer.close();
    }
}
