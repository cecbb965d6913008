package org.socsecgateway.dfdgpoller.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.socsecgateway.dfdgpoller.client.DfdgCallException;
import org.socsecgateway.dfdgpoller.client.DfdgUnavailableException;
import org.socsecgateway.dfdgpoller.client.Inventory;
import org.socsecgateway.dfdgpoller.client.Page;
import org.socsecgateway.dfdgpoller.client.SequenceReceipt;
import org.socsecgateway.dfdgpoller.client.TerminateAnswer;
import org.socsecgateway.dfdgpoller.client.WsbReceiverClient;
import org.socsecgateway.dfdgpoller.client.WsbReceiverException;
import org.socsecgateway.dfdgpoller.client.WsbReceiverUnavailableException;
import org.socsecgateway.dfdgpoller.client.WsrmClient;
import org.socsecgateway.dfdgpoller.client.WsrmMessage;
import org.socsecgateway.dfdgpoller.config.PollerConfig;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Drains DFDG's WSRM queue (DFDG guide §2.3.1–2.3.2.7, docs/partners.md), one sequence after another until the
 * inventory is empty: CreateSequence → every Get of every ServiceItem → sort by EventDate, oldest first (stable) →
 * ingest into wsb-receiver in batches → only after every batch committed: SequenceAcknowledgement (when used) and
 * TerminateSequence. Anything that fails before DFDG confirms ends in CloseSequence, so DFDG deletes nothing we have
 * not stored, and a message stored twice is recognised by its MessageIdentifier: never lost, never doubled. An
 * inventory naming an operation the WSDL lacks or an endpoint off the DFDG hosts is closed unread (terminating would
 * delete unread messages). One drain at a time.
 */
@ApplicationScoped
public class Drainer {

    private static final Logger LOG = Logger.getLogger(Drainer.class);
    private static final String CORRELATION = "correlationId";
    /** A safety stop: a queue that never empties (or a server that keeps answering) cannot hold the drain forever. */
    private static final int MAX_SEQUENCES_PER_DRAIN = 1000;
    private static final Comparator<WsrmMessage> OLDEST_FIRST = Comparator.comparing(
            (WsrmMessage m) -> m.eventInstant().orElse(Instant.MAX));

    private final WsrmClient dfdg;
    private final WsbReceiverClient receiver;
    private final PollerConfig config;
    private final DrainMetrics metrics;
    private final DrainState state;
    private final Clock clock = Clock.systemUTC();
    private final ReentrantLock oneAtATime = new ReentrantLock();
    /** Sequences whose CloseSequence got no answer in this process: closed again at the start of the next drains. */
    private final Set<String> unconfirmed = ConcurrentHashMap.newKeySet();
    /** Set on shutdown: the running drain closes its sequence at the next step instead of going on. */
    private volatile boolean interrupted;

    Drainer(WsrmClient dfdg, WsbReceiverClient receiver, PollerConfig config, DrainMetrics metrics, DrainState state) {
        this.dfdg = dfdg;
        this.receiver = receiver;
        this.config = config;
        this.metrics = metrics;
        this.state = state;
    }

    /**
     * Runs one drain now; when one is already running, or after {@link #interrupt}, returns an empty, unsuccessful
     * report at once.
     */
    public DrainReport drain() {
        if (interrupted || !oneAtATime.tryLock()) {
            return new DrainReport(List.of(), false);
        }
        String drainId = "drain-" + UUID.randomUUID();
        MDC.put(CORRELATION, drainId);
        long started = System.nanoTime();
        try {
            closeLeftovers();
            List<DrainReport.SequenceSummary> sequences = new ArrayList<>();
            boolean succeeded = false;
            for (int i = 0; i < MAX_SEQUENCES_PER_DRAIN && !interrupted; i++) {
                DrainReport.SequenceSummary summary = runSequence();
                sequences.add(summary);
                if (summary.outcome() == SequenceOutcome.EMPTY) {
                    succeeded = true;
                    break;
                }
                if (summary.outcome() != SequenceOutcome.TERMINATED) {
                    break;
                }
            }
            if (succeeded) {
                Instant now = clock.instant();
                state.succeeded(now);
                metrics.succeeded(now);
            }
            DrainReport report = new DrainReport(List.copyOf(sequences), succeeded);
            LOG.infof("Drain %s: %d sequence(s), %d message(s) fetched, %d stored", succeeded ? "done" : "stopped",
                    sequences.size(), report.fetched(), report.stored());
            return report;
        } finally {
            metrics.drainTime().record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            MDC.remove(CORRELATION);
            oneAtATime.unlock();
        }
    }

    /**
     * Stops draining (on shutdown): the running drain closes its sequence before its next Get or before the ingest, so
     * DFDG can hand the messages out again at once instead of when the abandoned sequence expires; an ingest or
     * terminate under way is finished. Waits up to {@code wait} for the drain to end; no drain starts afterwards.
     *
     * @return true when no drain is running any more
     */
    public boolean interrupt(java.time.Duration wait) {
        interrupted = true;
        try {
            if (oneAtATime.tryLock(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                oneAtATime.unlock();
                return true;
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Lets drains run again after {@link #interrupt} (for tests: in production, interrupt means shutdown). */
    public void resume() {
        interrupted = false;
    }

    private DrainReport.SequenceSummary runSequence() {
        Instant startedAt = clock.instant();
        Inventory inventory;
        try {
            inventory = dfdg.createSequence();
        } catch (DfdgCallException e) {
            logFault(e);
            metrics.sequence(SequenceOutcome.NOT_CREATED);
            return new DrainReport.SequenceSummary(null, SequenceOutcome.NOT_CREATED, 0, 0, 0);
        }
        metrics.waiting(inventory.messageCount());
        if (inventory.empty()) {
            metrics.sequence(SequenceOutcome.EMPTY);
            return new DrainReport.SequenceSummary(inventory.sequenceId(), SequenceOutcome.EMPTY, 0, 0, 0);
        }
        MDC.put(CORRELATION, inventory.sequenceId());
        Run run = new Run(inventory, startedAt);
        try {
            if (recordStart(run)) {
                run.execute();
            } else {
                // wsb-receiver cannot take even the receipt, so it cannot take the messages: close before fetching them
                run.closeAfter("wsb-receiver unavailable");
            }
        } finally {
            metrics.sequence(run.outcome);
            record(run);
        }
        return new DrainReport.SequenceSummary(inventory.sequenceId(), run.outcome, run.messages.size(), run.stored,
                run.duplicates);
    }

    /** The drain was interrupted before the ingest began. */
    private static final class Interrupted extends Exception {
        Interrupted() {
            super(null, null, false, false);
        }
    }

    /** The state of one sequence while it runs. */
    private final class Run {
        final Inventory inventory;
        final Instant startedAt;
        final List<WsrmMessage> messages = new ArrayList<>();
        final TreeSet<Long> messageNumbers = new TreeSet<>();
        boolean ackRequested;
        int stored;
        int duplicates;
        SequenceOutcome outcome = SequenceOutcome.CLOSED;
        Integer errorCode;
        String detail;

        Run(Inventory inventory, Instant startedAt) {
            this.inventory = inventory;
            this.startedAt = startedAt;
        }

        void execute() {
            String id = inventory.sequenceId();
            for (Inventory.ServiceItem item : inventory.services()) {
                if (!dfdg.knowsOperation(item.serviceName())) {
                    metrics.refusedInventory("unknown_operation");
                    LOG.warnf("Sequence %s names the operation %s, which the WsrmMessageService WSDL does not have: closing"
                            + " it unread (update the WSDL to fetch these messages)", id, safeName(item.serviceName()));
                    closeAfter("unknown operation in the inventory");
                    return;
                }
                if (!dfdg.allowedEndpoint(item.serviceEndpoint())) {
                    metrics.refusedInventory("endpoint_not_allowed");
                    LOG.warnf("Sequence %s sends %s to %s, not on an allowed DFDG host (poller.dfdg.allowed-hosts):"
                            + " closing it unread", id, item.serviceName(),
                            item.serviceEndpoint() == null ? "no endpoint" : item.serviceEndpoint().getHost());
                    closeAfter("endpoint not on an allowed DFDG host");
                    return;
                }
            }
            try {
                for (Inventory.ServiceItem item : inventory.services()) {
                    fetchAll(item);
                }
            } catch (Interrupted e) {
                LOG.infof("Sequence %s: shutting down, closing it so DFDG hands the messages out again", id);
                closeAfter("shutting down");
                return;
            } catch (DfdgCallException e) {
                logFault(e);
                errorCode = e.fault().errorCode();
                closeAfter("fetch failed: " + e.operation());
                return;
            }
            // DFDG guide §2.3.1 (docs/partners.md): several events can concern one person, so the oldest goes first.
            // Stable: equal times keep the order DFDG gave.
            messages.sort(OLDEST_FIRST);
            try {
                int batch = config.wsrm().ingestBatch();
                for (int from = 0; from < messages.size(); from += batch) {
                    WsbReceiverClient.IngestResult result = receiver.ingest(
                            messages.subList(from, Math.min(messages.size(), from + batch)));
                    stored += result.stored();
                    duplicates += result.duplicates();
                    metrics.ingested(result.stored(), result.duplicates());
                }
            } catch (WsbReceiverException e) {
                metrics.receiverFailure("ingest");
                LOG.warnf("Sequence %s: wsb-receiver did not store the messages (%s); closing the sequence, DFDG keeps"
                        + " them for the next drain", id, e.getMessage());
                closeAfter("ingest failed");
                return;
            }
            if (acknowledge()) {
                try {
                    if (!dfdg.acknowledge(id, ranges())) {
                        LOG.warnf("Sequence %s: DFDG answered AckCorrect=false", id);
                    }
                } catch (DfdgCallException e) {
                    logFault(e);
                    errorCode = e.fault().errorCode();
                    closeAfter("acknowledgement failed");
                    return;
                }
            }
            try {
                TerminateAnswer answer = dfdg.terminate(id);
                if (answer.correct()) {
                    outcome = SequenceOutcome.TERMINATED;
                    return;
                }
                LOG.warnf("Sequence %s: DFDG answered TerminateSequenceCorrect=false, missing message numbers %s;"
                        + " closing it, the messages come again", id, answer.missing());
                close();
                outcome = SequenceOutcome.TERMINATE_REFUSED;
                detail = "terminate refused";
            } catch (DfdgCallException e) {
                logFault(e);
                errorCode = e.fault().errorCode();
                closeAfter("terminate failed");
            }
        }

        private void fetchAll(Inventory.ServiceItem item) throws DfdgCallException, Interrupted {
            int fetched = 0;
            while (fetched < item.messageCount()) {
                if (interrupted) {
                    throw new Interrupted();
                }
                Page page = dfdg.fetch(item.serviceName(), item.serviceEndpoint(), inventory.sequenceId());
                if (page.messages().isEmpty()) {
                    break; // DFDG has no more of this service in the sequence; Terminate says whether we missed any
                }
                messages.addAll(page.messages());
                fetched += page.messages().size();
                if (page.messageNumber() > 0) {
                    messageNumbers.add(page.messageNumber());
                }
                ackRequested |= page.ackRequested();
            }
            metrics.fetched(item.serviceName(), fetched);
        }

        private boolean acknowledge() {
            return switch (config.wsrm().acknowledge()) {
                case ALWAYS -> true;
                case NEVER -> false;
                case AUTO -> ackRequested && dfdg.acknowledgementSupported();
            };
        }

        /** The message numbers received, as contiguous ranges (DFDG guide §2.3.2.4, docs/partners.md). */
        private List<TerminateAnswer.Range> ranges() {
            List<TerminateAnswer.Range> ranges = new ArrayList<>();
            Long lower = null;
            Long upper = null;
            for (long n : messageNumbers) {
                if (upper != null && n == upper + 1) {
                    upper = n;
                    continue;
                }
                if (lower != null) {
                    ranges.add(new TerminateAnswer.Range(lower, upper));
                }
                lower = n;
                upper = n;
            }
            if (lower != null) {
                ranges.add(new TerminateAnswer.Range(lower, upper));
            }
            return ranges;
        }

        private void closeAfter(String reason) {
            detail = reason;
            close();
        }

        private void close() {
            try {
                dfdg.close(inventory.sequenceId());
                if (outcome != SequenceOutcome.TERMINATE_REFUSED) {
                    outcome = SequenceOutcome.CLOSED;
                }
            } catch (DfdgUnavailableException e) {
                logFault(e);
                outcome = SequenceOutcome.ABANDONED;
                unconfirmed.add(inventory.sequenceId());
            } catch (DfdgCallException e) {
                logFault(e);
                outcome = SequenceOutcome.ABANDONED;
            }
        }
    }

    /**
     * Closes what an earlier drain left open: sequences recorded {@code IN_PROGRESS} (their poller stopped: a crash, a
     * kill) and those whose CloseSequence got no answer here. Without this, DFDG would refuse CreateSequence until it
     * expires them (how long is not published). DFDG no longer knowing one means it was terminated or has expired.
     */
    private void closeLeftovers() {
        Map<String, ObjectNode> leftovers = new LinkedHashMap<>();
        unconfirmed.forEach(id -> leftovers.put(id, null));
        try {
            receiver.sequencesInProgress().forEach(r -> leftovers.put(r.path("sequenceId").asText(), r));
        } catch (WsbReceiverException e) {
            metrics.receiverFailure("receipt");
            LOG.warnf("Could not list the sequences left in progress (%s); they are closed by a later drain", e.getMessage());
        }
        for (Map.Entry<String, ObjectNode> leftover : leftovers.entrySet()) {
            String id = leftover.getKey();
            String outcome;
            String detail;
            try {
                dfdg.close(id);
                LOG.infof("Sequence %s was left open by an earlier drain: closed, its messages come again", id);
                outcome = SequenceOutcome.CLOSED.name();
                detail = "left open by an earlier drain; closed by the next one";
            } catch (DfdgUnavailableException e) {
                logFault(e);
                continue; // no answer: next drain
            } catch (DfdgCallException e) {
                logFault(e);
                outcome = SequenceOutcome.ABANDONED.name();
                detail = "left open by an earlier drain; DFDG no longer knew it (terminated or expired)";
            }
            unconfirmed.remove(id);
            if (leftover.getValue() != null) {
                try {
                    receiver.recordEnd(leftover.getValue(), outcome, detail, clock.instant());
                } catch (WsbReceiverException e) {
                    metrics.receiverFailure("receipt");
                    LOG.warnf("Sequence %s: the receipt was not updated (%s)", id, e.getMessage());
                }
            }
        }
    }

    /**
     * The receipt of a sequence under way, so a poller that stops before its end leaves a trace the next one finds.
     *
     * @return false when wsb-receiver could not record it
     */
    private boolean recordStart(Run run) {
        SequenceReceipt receipt = new SequenceReceipt(run.inventory.sequenceId(), run.startedAt, run.startedAt,
                run.inventory.services(), 0, 0, 0, WsbReceiverClient.IN_PROGRESS, null, null);
        try {
            receiver.recordSequence(receipt);
            return true;
        } catch (WsbReceiverUnavailableException e) {
            metrics.receiverFailure("receipt");
            LOG.warnf("Sequence %s: wsb-receiver did not record its start (%s); closing it before fetching anything, DFDG"
                    + " keeps the messages for the next drain", run.inventory.sequenceId(), e.getMessage());
            return false;
        } catch (WsbReceiverException e) {
            // refused, not unavailable: a receipt must never hold up the messages themselves
            metrics.receiverFailure("receipt");
            LOG.warnf("Sequence %s: wsb-receiver refused its start receipt (%s); draining it anyway",
                    run.inventory.sequenceId(), e.getMessage());
            return true;
        }
    }

    private void record(Run run) {
        SequenceReceipt receipt = new SequenceReceipt(run.inventory.sequenceId(), run.startedAt, clock.instant(),
                run.inventory.services(), run.messages.size(), run.stored, run.duplicates, run.outcome.name(),
                run.errorCode, run.detail);
        try {
            receiver.recordSequence(receipt);
        } catch (WsbReceiverException e) {
            metrics.receiverFailure("receipt");
            LOG.warnf("Sequence %s: the receipt was not recorded (%s)", run.inventory.sequenceId(), e.getMessage());
        }
    }

    /**
     * DFDG guide §3.5 (docs/partners.md): every fault is logged with its ErrorCode. Once, here, with a reason that
     * never holds a CPR number.
     */
    private void logFault(DfdgCallException e) {
        metrics.fault(e.operation(), e.fault());
        if (e.fault().configurationProblem()) {
            LOG.errorf("DFDG refused %s because of our configuration (certificate, organisation or permissions): %s",
                    e.operation(), e.fault().describe());
        } else {
            LOG.warnf("DFDG call %s failed: %s", e.operation(), e.fault().describe());
        }
    }

    private static String safeName(String name) {
        return name == null ? "" : org.socsecgateway.common.log.LogSafe.escape(name.length() > 100 ? name.substring(0, 100) : name);
    }
}
