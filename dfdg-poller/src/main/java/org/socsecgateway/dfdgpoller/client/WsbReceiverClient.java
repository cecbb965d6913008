package org.socsecgateway.dfdgpoller.client;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.socsecgateway.common.auth.OwnCallerToken;
import org.socsecgateway.dfdgpoller.config.PollerConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * Hands fetched messages to wsb-receiver ({@code POST /v1/ingest}: one transaction per batch, idempotent by
 * MessageIdentifier, 2xx only after commit) and records sequence receipts ({@code PUT /v1/wsrm/sequences/{id}}),
 * with the poller's own caller token. A call without answer or with a 5xx is sent again (both are idempotent) up to
 * 4 times, 1 s apart; a 4xx is final.
 */
@ApplicationScoped
public class WsbReceiverClient {

    /** The receipt outcome of a sequence not seen to an end yet. */
    public static final String IN_PROGRESS = "IN_PROGRESS";

    private final WsbReceiverApi api;
    private final OwnCallerToken token;
    private final ObjectMapper json;
    private final String authority;

    WsbReceiverClient(PollerConfig config, ObjectMapper json) {
        PollerConfig.Ingest ingest = config.ingest();
        this.token = new OwnCallerToken(ingest.tokenFile());
        this.json = json;
        this.authority = ingest.authority();
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(ingest.url())
                .connectTimeout(ingest.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(ingest.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(WsbReceiverApi.class);
    }

    /** What wsb-receiver did with a batch. */
    public record IngestResult(int stored, int duplicates) {
    }

    /**
     * Stores a batch in the feed, in the given order. Each event's message is
     * {@code {"MessageIdentifier","MessageType","EventDate","Subject":{"IdentificationType":1,"Identification"}?,"Xml"}}
     * ({@code Subject} only when the message names a CPR number), so wsb-receiver's default field pointers find the
     * id, type, time and subject.
     */
    @Retry(maxRetries = 4, delay = 1, delayUnit = ChronoUnit.SECONDS, jitter = 200,
            retryOn = WsbReceiverUnavailableException.class)
    public IngestResult ingest(List<WsrmMessage> batch) {
        ObjectNode body = json.createObjectNode();
        ArrayNode events = body.putArray("events");
        for (WsrmMessage message : batch) {
            ObjectNode event = events.addObject();
            event.put("messageId", message.messageIdentifier());
            event.put("authority", authority);
            event.set("message", message(message));
        }
        JsonNode answer = send("ingest", () -> api.ingest(bearer(), body));
        return new IngestResult(answer.path("stored").asInt(), answer.path("duplicates").asInt());
    }

    /** Records (or updates, after a crash) the receipt of a sequence. */
    @Retry(maxRetries = 4, delay = 1, delayUnit = ChronoUnit.SECONDS, jitter = 200,
            retryOn = WsbReceiverUnavailableException.class)
    public void recordSequence(SequenceReceipt receipt) {
        ObjectNode body = json.createObjectNode();
        body.put("authority", authority);
        body.put("startedAt", receipt.startedAt().toString());
        body.put("endedAt", receipt.endedAt().toString());
        ArrayNode inventory = body.putArray("inventory");
        for (Inventory.ServiceItem item : receipt.inventory()) {
            inventory.addObject().put("serviceName", item.serviceName()).put("messageCount", item.messageCount());
        }
        body.put("fetched", receipt.fetched());
        body.put("stored", receipt.stored());
        body.put("duplicates", receipt.duplicates());
        body.put("outcome", receipt.outcome());
        if (receipt.errorCode() != null) {
            body.put("errorCode", receipt.errorCode());
        }
        if (receipt.detail() != null) {
            body.put("detail", receipt.detail());
        }
        send("sequence receipt", () -> api.recordSequence(bearer(), receipt.sequenceId(), body));
    }

    /**
     * The receipts of this authority's sequences recorded as {@code IN_PROGRESS} (at most 100): sequences a poller
     * opened and did not see to an end.
     */
    @Retry(maxRetries = 4, delay = 1, delayUnit = ChronoUnit.SECONDS, jitter = 200,
            retryOn = WsbReceiverUnavailableException.class)
    public List<ObjectNode> sequencesInProgress() {
        JsonNode page = send("receipt listing", () -> api.sequences(bearer(), IN_PROGRESS, 100));
        List<ObjectNode> found = new java.util.ArrayList<>();
        for (JsonNode receipt : page.path("sequences")) {
            if (receipt instanceof ObjectNode object && authority.equals(receipt.path("authority").asText())) {
                found.add(object);
            }
        }
        return found;
    }

    /** Records how a sequence found in progress ended, keeping the rest of its receipt. */
    @Retry(maxRetries = 4, delay = 1, delayUnit = ChronoUnit.SECONDS, jitter = 200,
            retryOn = WsbReceiverUnavailableException.class)
    public void recordEnd(ObjectNode receipt, String outcome, String detail, java.time.Instant endedAt) {
        ObjectNode body = receipt.deepCopy();
        body.remove(List.of("sequenceId", "recordedBy", "recordedAt", "updatedAt"));
        body.put("outcome", outcome);
        body.put("detail", detail);
        body.put("endedAt", endedAt.toString());
        String sequenceId = receipt.path("sequenceId").asText();
        send("sequence receipt", () -> api.recordSequence(bearer(), sequenceId, body));
    }

    private ObjectNode message(WsrmMessage message) {
        ObjectNode node = json.createObjectNode();
        node.put("MessageIdentifier", message.messageIdentifier());
        node.put("MessageType", message.service());
        node.put("EventDate", message.eventDate());
        message.cpr().ifPresent(cpr -> node.putObject("Subject").put("IdentificationType", 1).put("Identification", cpr));
        node.put("Xml", message.xml());
        return node;
    }

    private String bearer() {
        return "Bearer " + token.get();
    }

    private interface Send {
        JsonNode run();
    }

    private static JsonNode send(String what, Send call) {
        try {
            return call.run();
        } catch (WebApplicationException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatus();
            String message = "wsb-receiver answered " + status + " to the " + what;
            if (status >= 500 || status == 429 || status == 408) {
                throw new WsbReceiverUnavailableException(status, message, null);
            }
            throw new WsbReceiverException(status, message, null);
        } catch (ProcessingException | java.io.UncheckedIOException e) {
            throw new WsbReceiverUnavailableException(0, "no answer from wsb-receiver to the " + what + ": "
                    + e.getClass().getSimpleName(), null);
        }
    }
}
