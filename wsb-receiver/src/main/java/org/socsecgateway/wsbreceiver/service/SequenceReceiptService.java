package org.socsecgateway.wsbreceiver.service;

import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.socsecgateway.common.log.LogSafe;
import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;
import org.socsecgateway.wsbreceiver.config.ReceiverConfig;
import org.socsecgateway.wsbreceiver.store.DatabaseUnavailableException;
import org.socsecgateway.wsbreceiver.store.MessageNotStorableException;
import org.socsecgateway.wsbreceiver.store.SequenceReceipt;
import org.socsecgateway.wsbreceiver.store.SequenceReceiptStore;
import org.socsecgateway.wsbreceiver.store.SqlStates;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Records and reads the receipts of WSRM sequences (docs/partners.md: receipts are kept 6 months, then deleted by
 * {@link RetentionPurge}). Database trouble is answered like the inbox's: 400 for a value the database refuses
 * (permanent), 503 with Retry-After for everything else.
 */
@ApplicationScoped
public class SequenceReceiptService {

    private static final Logger LOG = Logger.getLogger(SequenceReceiptService.class);

    private final SequenceReceiptStore store;
    private final MeterRegistry meters;
    private final Duration retryAfter;
    private final InboxService.LogLimit refusals = new InboxService.LogLimit(Duration.ofMinutes(1));
    private final InboxService.LogLimit outages = new InboxService.LogLimit(Duration.ofMinutes(1));

    SequenceReceiptService(SequenceReceiptStore store, MeterRegistry meters, ReceiverConfig config) {
        this.store = store;
        this.meters = meters;
        this.retryAfter = config.databaseRetryAfter();
    }

    /**
     * Records the receipt (insert, or replace the one with the same sequence id, keeping when it was first recorded).
     * Counts {@code wsb_wsrm_sequences_recorded_total{outcome}} once per sequence, when its end is first recorded (an
     * {@code IN_PROGRESS} receipt is not counted; its replacement by the outcome is).
     */
    public SequenceReceipt.Recorded record(SequenceReceipt receipt) {
        SequenceReceipt.Recorded recorded;
        try {
            recorded = store.record(receipt);
        } catch (MessageNotStorableException e) {
            String text = "WSRM sequence receipt %s refused: the database cannot store one of its values (SQLState %s)";
            if (refusals.tryAcquire()) {
                LOG.warnf(text, receipt.sequenceId(), e.sqlState());
            } else {
                LOG.debugf(text, receipt.sequenceId(), e.sqlState());
            }
            throw new ProblemException(ProblemType.BAD_REQUEST, "The receipt cannot be stored: the database refuses one of"
                    + " its values (SQLState " + e.sqlState() + "). Nothing was stored; sending it again will not help.");
        } catch (DatabaseUnavailableException e) {
            throw unavailable(e);
        }
        if (recorded.ended()) {
            Counter.builder("wsb.wsrm.sequences.recorded")
                    .description("WSRM sequences whose receipt dfdg-poller recorded, by outcome (once per sequence)")
                    .tag("outcome", receipt.outcome()).register(meters).increment();
        }
        LOG.infof("WSRM sequence %s for %s %s: %s, %d announced, %d fetched, %d stored, %d duplicate(s)%s",
                receipt.sequenceId(), LogSafe.escape(receipt.authority()), recorded.created() ? "recorded" : "recorded again",
                receipt.outcome(), receipt.inventory().stream().mapToLong(SequenceReceipt.InventoryItem::messageCount).sum(),
                receipt.fetched(), receipt.stored(), receipt.duplicates(),
                receipt.errorCode() == null ? "" : ", DFDG error code " + receipt.errorCode());
        return recorded;
    }

    /** The receipt of this sequence; 404 when none is kept. */
    public SequenceReceipt find(String sequenceId) {
        Optional<SequenceReceipt> found;
        try {
            found = store.find(sequenceId);
        } catch (DatabaseUnavailableException e) {
            throw unavailable(e);
        }
        return found.orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND,
                "No receipt of this sequence is kept (never recorded, or older than the retention)"));
    }

    /**
     * Receipts of sequences that ended at or after {@code since} (null: any) with this outcome (null: any), newest
     * first, at most {@code limit}.
     */
    public List<SequenceReceipt> list(OffsetDateTime since, SequenceOutcome outcome, int limit) {
        try {
            return store.list(since, outcome == null ? null : outcome.name(), limit);
        } catch (DatabaseUnavailableException e) {
            throw unavailable(e);
        }
    }

    private ProblemException unavailable(DatabaseUnavailableException e) {
        boolean known = e.getCause() instanceof SQLException sql && SqlStates.isTransient(sql);
        String text = "WSRM sequence receipts unavailable, callers get 503 and retry%s: %s";
        String why = known ? "" : " (not a connection or resource problem: see the database log)";
        if (outages.tryAcquire()) {
            LOG.warnf(text, why, e.getMessage());
        } else {
            LOG.debugf(text, why, e.getMessage());
        }
        return new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "The receipts cannot be used right now; retry later")
                .retryAfter(retryAfter);
    }
}
