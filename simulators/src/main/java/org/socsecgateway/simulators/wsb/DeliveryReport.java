package org.socsecgateway.simulators.wsb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link StarWsbSender} run did: one {@link Delivery} per message sent (a duplicate is sent, and so
 * recorded, twice), in the order the deliveries completed.
 *
 * @param deliveries every outcome, in completion order
 * @param duplicates how many of the deliveries were duplicates (the same message id sent again)
 * @param elapsed    wall-clock time of the whole run
 */
public record DeliveryReport(List<Delivery> deliveries, int duplicates, Duration elapsed) {

    /** How STAR's delivery of one message ended. */
    public enum Outcome {
        /** The receiver answered 2xx. */
        DELIVERED,
        /** The receiver answered a permanent error: 4xx (unless 4xx are retried) or another non-2xx, non-5xx status. */
        REJECTED,
        /** Still failing (5xx, no answer, or 4xx when retried) after the sender's maximum number of attempts. */
        GAVE_UP
    }

    /**
     * One message sent until it was delivered, rejected or given up.
     *
     * @param messageId  the message's {@code MeddelelseId}
     * @param cpr        the citizen it is about
     * @param duplicate  true for the second sending of a message id
     * @param outcome    how it ended
     * @param attempts   how many requests were made (at least 1)
     * @param lastStatus HTTP status of the last attempt; 0 when it got no answer (connection or TLS failure, timeout)
     * @param lastError  why the last attempt got no answer; null when it got one
     * @param statuses   the status of every attempt, in order (0 = no answer)
     */
    public record Delivery(String messageId, String cpr, boolean duplicate, Outcome outcome, int attempts, int lastStatus,
                           String lastError, List<Integer> statuses) {

        public Delivery {
            statuses = List.copyOf(statuses);
        }

        public boolean delivered() {
            return outcome == Outcome.DELIVERED;
        }
    }

    public DeliveryReport {
        deliveries = List.copyOf(deliveries);
    }

    /** Number of messages sent, duplicates included. */
    public int sent() {
        return deliveries.size();
    }

    public long count(Outcome outcome) {
        return deliveries.stream().filter(d -> d.outcome() == outcome).count();
    }

    public long delivered() {
        return count(Outcome.DELIVERED);
    }

    public long rejected() {
        return count(Outcome.REJECTED);
    }

    public long gaveUp() {
        return count(Outcome.GAVE_UP);
    }

    /** HTTP requests made in all, retries included. */
    public long attempts() {
        return deliveries.stream().mapToLong(Delivery::attempts).sum();
    }

    /** The distinct message ids sent, in completion order. */
    public Set<String> messageIds() {
        Set<String> ids = new LinkedHashSet<>();
        deliveries.forEach(d -> ids.add(d.messageId()));
        return ids;
    }

    /** Every delivery of each message id (two for a duplicated message). */
    public Map<String, List<Delivery>> byMessageId() {
        Map<String, List<Delivery>> byId = new LinkedHashMap<>();
        deliveries.forEach(d -> byId.computeIfAbsent(d.messageId(), id -> new ArrayList<>()).add(d));
        return byId;
    }

    /** The first (original) delivery of a message id; fails when the id was not sent. */
    public Delivery delivery(String messageId) {
        return deliveries.stream().filter(d -> d.messageId().equals(messageId) && !d.duplicate()).findFirst()
                .or(() -> deliveries.stream().filter(d -> d.messageId().equals(messageId)).findFirst())
                .orElseThrow(() -> new IllegalArgumentException("message " + messageId + " was not sent"));
    }

    /** True when every message sent (duplicates included) was delivered. */
    public boolean allDelivered() {
        return deliveries.stream().allMatch(Delivery::delivered);
    }

    /** The message ids of which at least one sending was not delivered. */
    public Set<String> notDelivered() {
        Set<String> ids = new LinkedHashSet<>();
        deliveries.stream().filter(d -> !d.delivered()).forEach(d -> ids.add(d.messageId()));
        return ids;
    }

    /** Totals, as the admin API answers them. */
    public Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("sent", sent());
        summary.put("messages", messageIds().size());
        summary.put("duplicates", duplicates);
        summary.put("delivered", delivered());
        summary.put("rejected", rejected());
        summary.put("gaveUp", gaveUp());
        summary.put("attempts", attempts());
        summary.put("allDelivered", allDelivered());
        summary.put("elapsedMs", elapsed.toMillis());
        List<String> notDelivered = new ArrayList<>(notDelivered());
        summary.put("notDelivered", notDelivered.subList(0, Math.min(20, notDelivered.size()))); // the first few
        return summary;
    }
}
