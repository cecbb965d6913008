package org.socsecgateway.wsbreceiver.service;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;
import org.socsecgateway.wsbreceiver.config.ReceiverConfig;
import org.socsecgateway.wsbreceiver.store.DatabaseUnavailableException;
import org.socsecgateway.wsbreceiver.store.InboxStore;
import org.socsecgateway.wsbreceiver.store.StoreOutcome;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Stores messages durably (or refuses them whole) and counts what happened. */
@ApplicationScoped
public class InboxService {

    private static final Logger LOG = Logger.getLogger(InboxService.class);

    private final InboxStore store;
    private final Publisher publisher;
    private final MeterRegistry meters;
    private final Duration retryAfter;
    private volatile boolean failing;

    InboxService(InboxStore store, Publisher publisher, MeterRegistry meters, ReceiverConfig config) {
        this.store = store;
        this.publisher = publisher;
        this.meters = meters;
        this.retryAfter = config.databaseRetryAfter();
    }

    /**
     * Commits the messages (one transaction) and only then returns; 503 with Retry-After when the database cannot
     * take them, in which case nothing of the batch was stored.
     */
    public List<StoreOutcome> store(List<IncomingMessage> messages) {
        Channel channel = messages.get(0).channel();
        long start = System.nanoTime();
        List<StoreOutcome> outcomes;
        try {
            outcomes = store.store(messages);
        } catch (DatabaseUnavailableException e) {
            // One warning per outage, not one per message: STAR retries every failing citizen.
            if (!failing) {
                failing = true;
                LOG.warnf("Messages are not being stored, senders get 503 and retry: %s", e.getMessage());
            } else {
                LOG.debugf("%d %s message(s) not stored: %s", messages.size(), channel.label(), e.getMessage());
            }
            messages.forEach(message -> count(message, "unavailable"));
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "The inbox cannot store messages right now; retry later")
                    .retryAfter(retryAfter);
        }
        // Committed: from here on nothing may turn this into an error for the sender.
        try {
            if (failing) {
                failing = false;
                LOG.info("Messages are being stored again");
            }
            Timer.builder("wsb.ingest.duration").description("Time to commit a message or batch durably")
                    .tag("channel", channel.label()).publishPercentileHistogram()
                    .register(meters).record(Duration.ofNanos(System.nanoTime() - start));
            boolean anyNew = false;
            for (int i = 0; i < messages.size(); i++) {
                IncomingMessage message = messages.get(i);
                boolean stored = outcomes.get(i).stored();
                anyNew |= stored;
                count(message, stored ? "stored" : "duplicate");
                if (!stored) {
                    Counter.builder("wsb.duplicates").description("Messages received again and stored only once")
                            .tag("channel", channel.label()).register(meters).increment();
                }
                LOG.debugf("%s message for %s, type %s: %s (receipt %d)", channel.label(), message.authority(),
                        message.fields().typeLabel(), stored ? "stored" : "duplicate", outcomes.get(i).receiptId());
            }
            if (anyNew) {
                publisher.wake();
            }
        } catch (RuntimeException e) {
            LOG.error("Bookkeeping after a commit failed; the messages are stored", e);
        }
        return outcomes;
    }

    /** Counts a message refused before storing (bad input). */
    public void countRejected(Channel channel, String typeLabel) {
        counter(channel, typeLabel, "rejected").increment();
    }

    private void count(IncomingMessage message, String outcome) {
        counter(message.channel(), message.fields().typeLabel(), outcome).increment();
    }

    private Counter counter(Channel channel, String type, String outcome) {
        return Counter.builder("wsb.messages.received")
                .description("Messages received, by channel, message type (EntitetId) and outcome")
                .tag("channel", channel.label()).tag("type", type).tag("outcome", outcome)
                .register(meters);
    }
}
