package org.socsecgateway.wsbreceiver.service;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.socsecgateway.common.log.LogSafe;
import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;
import org.socsecgateway.wsbreceiver.config.ReceiverConfig;
import org.socsecgateway.wsbreceiver.store.DatabaseUnavailableException;
import org.socsecgateway.wsbreceiver.store.InboxStore;
import org.socsecgateway.wsbreceiver.store.MessageNotStorableException;
import org.socsecgateway.wsbreceiver.store.SqlStates;
import org.socsecgateway.wsbreceiver.store.StoreOutcome;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

/**
 * Stores messages durably (or refuses them whole) and counts what happened. Concurrent requests share transactions
 * ({@link GroupCommit}): each is answered after the commit of its own messages.
 */
@Startup // the committer threads and their metrics exist from the start, not from the first message
@ApplicationScoped
public class InboxService {

    private static final Logger LOG = Logger.getLogger(InboxService.class);

    private final FeedSignal signal;
    private final MeterRegistry meters;
    private final Duration retryAfter;
    private volatile boolean failing;
    private final LogLimit refusals = new LogLimit(Duration.ofMinutes(1));
    private final GroupCommit<IncomingMessage, StoreOutcome> groupCommit;
    private final Counter transactions;
    private final DistributionSummary transactionSize;

    InboxService(InboxStore store, FeedSignal signal, MeterRegistry meters, ReceiverConfig config) {
        this.signal = signal;
        this.meters = meters;
        this.retryAfter = config.databaseRetryAfter();
        this.transactions = Counter.builder("wsb.ingest.transactions")
                .description("Transactions that stored messages (group commit: concurrent requests share one)").register(meters);
        this.transactionSize = DistributionSummary.builder("wsb.ingest.transaction.messages")
                .description("Messages per committed transaction").register(meters);
        this.groupCommit = new GroupCommit<>("group-commit", config.groupCommit().committers(),
                config.groupCommit().maxMessages(), store::store, e -> e instanceof MessageNotStorableException,
                () -> new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "The receiver is shutting down; retry later")
                        .retryAfter(retryAfter),
                this::countTransaction);
        Gauge.builder("wsb.ingest.pending.messages", groupCommit, GroupCommit::pending)
                .description("Messages received and waiting for their commit (queued for, or in, a group transaction)")
                .register(meters);
    }

    private void countTransaction(int messages) {
        try {
            transactions.increment();
            transactionSize.record(messages);
        } catch (RuntimeException e) {
            LOG.debug("Counting a transaction failed", e);
        }
    }

    /** On shutdown (before the datasource closes): refuse new messages with 503, commit those already received. */
    void drain(@Observes ShutdownEvent event) throws InterruptedException {
        groupCommit.close(Duration.ofSeconds(30));
    }

    /**
     * Commits the messages (one transaction, which concurrent requests may share) and only then returns. Nothing of
     * the batch is stored when it throws: 400 when the database refuses a value of a message (SQLState class 22/23:
     * the same message would fail again, so the sender must not retry it), 503 with Retry-After for any other
     * database trouble or while shutting down.
     */
    public List<StoreOutcome> store(List<IncomingMessage> messages) {
        Channel channel = messages.get(0).channel();
        long start = System.nanoTime();
        List<StoreOutcome> outcomes;
        try {
            outcomes = awaitCommit(messages);
        } catch (MessageNotStorableException e) {
            messages.forEach(message -> count(message, "rejected"));
            // Caller-caused and repeatable by the caller: WARN, at most once a minute; the SQLState, never a value.
            String text = "%d %s message(s) refused: the database cannot store a value of message %d (SQLState %s)";
            if (refusals.tryAcquire()) {
                LOG.warnf(text, messages.size(), channel.label(), e.index(), e.sqlState());
            } else {
                LOG.debugf(text, messages.size(), channel.label(), e.index(), e.sqlState());
            }
            String which = messages.size() == 1 || e.index() < 0 ? "The message" : "Event " + e.index() + " (counting from 0)";
            throw new ProblemException(ProblemType.BAD_REQUEST, which + " cannot be stored: the database refuses one of its"
                    + " values (SQLState " + e.sqlState() + "). Nothing was stored; sending it again will not help.");
        } catch (DatabaseUnavailableException e) {
            // One warning per outage, not one per message: STAR retries every failing citizen.
            if (!failing) {
                failing = true;
                // Not a known passing trouble (e.g. 42xxx, a missing migration): still 503, never the message's fault.
                boolean known = e.getCause() instanceof SQLException sql && SqlStates.isTransient(sql);
                LOG.warnf("Messages are not being stored, senders get 503 and retry%s: %s",
                        known ? "" : " (not a connection or resource problem: see the database log)", e.getMessage());
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
                if (stored) {
                    countContent(message);
                } else {
                    Counter.builder("wsb.duplicates").description("Messages received again and stored only once")
                            .tag("channel", channel.label()).register(meters).increment();
                }
                LOG.debugf("%s message for %s, type %s: %s (receipt %d)", channel.label(), LogSafe.escape(message.authority()),
                        message.fields().typeLabel(), stored ? "stored" : "duplicate", outcomes.get(i).receiptId());
            }
            if (anyNew) {
                signal.fire(); // numbered in their own transaction: long-polls may read them now
            }
        } catch (RuntimeException e) {
            LOG.error("Bookkeeping after a commit failed; the messages are stored", e);
        }
        return outcomes;
    }

    /** The outcomes once the group transaction holding the messages committed; its error (unwrapped) otherwise. */
    private List<StoreOutcome> awaitCommit(List<IncomingMessage> messages) {
        try {
            return groupCommit.submit(messages).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("Storing failed", e.getCause());
        } catch (InterruptedException e) {
            // shutting down: the messages may still be committed; a 503 makes the sender retry (then a duplicate)
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "The receiver is shutting down; retry later")
                    .retryAfter(retryAfter);
        }
    }

    /**
     * Counts, once per stored message, what an operator should know about its content: no id found (the duplicate
     * check then falls back to other fields; {@code wsb.fields.message-id} may need another pointer), and fields left
     * out because the database cannot hold their value exactly.
     */
    private void countContent(IncomingMessage message) {
        if (message.fields().messageId() == null) {
            // authority: configured webhook authorities only (an ingest item always names its message id)
            Counter.builder("wsb.messages.without.id")
                    .description("Stored messages in which no message id was found at the wsb.fields.message-id pointers")
                    .tag("channel", message.channel().label()).tag("authority", message.authority())
                    .register(meters).increment();
        }
        for (String field : message.fields().unstorable()) {
            Counter.builder("wsb.fields.unstorable")
                    .description("Fields left out of a stored event because the database cannot store their value exactly"
                            + " (U+0000 or an unpaired surrogate); the raw message keeps them")
                    .tag("channel", message.channel().label()).tag("field", field)
                    .register(meters).increment();
        }
    }

    /** Counts a message refused before storing (bad input). */
    public void countRejected(Channel channel, String typeLabel) {
        counter(channel, typeLabel, "rejected").increment();
    }

    private void count(IncomingMessage message, String outcome) {
        counter(message.channel(), message.fields().typeLabel(), outcome).increment();
    }

    /** Lets one line through per interval. */
    static final class LogLimit {
        private final long intervalNanos;
        private final AtomicLong next = new AtomicLong(System.nanoTime());

        LogLimit(Duration interval) {
            this.intervalNanos = interval.toNanos();
        }

        boolean tryAcquire() {
            long now = System.nanoTime();
            long due = next.get();
            return now - due >= 0 && next.compareAndSet(due, now + intervalNanos);
        }
    }

    private Counter counter(Channel channel, String type, String outcome) {
        return Counter.builder("wsb.messages.received")
                .description("Messages received, by channel, message type (EntitetId) and outcome")
                .tag("channel", channel.label()).tag("type", type).tag("outcome", outcome)
                .register(meters);
    }
}
