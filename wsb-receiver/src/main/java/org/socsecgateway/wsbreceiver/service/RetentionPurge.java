package org.socsecgateway.wsbreceiver.service;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.socsecgateway.wsbreceiver.config.ReceiverConfig;
import org.socsecgateway.wsbreceiver.store.DatabaseUnavailableException;
import org.socsecgateway.wsbreceiver.store.FeedStore;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * Deletes events past their retention, and message receipts and WSRM sequence receipts past 6 months (docs/partners.md),
 * in batches; counted in {@code wsb_purged_total{what}}.
 */
@ApplicationScoped
public class RetentionPurge {

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);

    private final FeedStore store;
    private final ReceiverConfig.Retention retention;
    private final MeterRegistry meters;
    private final Clock clock;

    RetentionPurge(FeedStore store, ReceiverConfig config, MeterRegistry meters) {
        this.store = store;
        this.retention = config.retention();
        this.meters = meters;
        this.clock = Clock.systemUTC();
    }

    @Scheduled(every = "${wsb.retention.purge-interval:1h}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            purge();
        } catch (DatabaseUnavailableException e) {
            LOG.warnf("Retention purge skipped, will run again in %s: %s", retention.purgeInterval(), e.getMessage());
        }
    }

    /** Runs the purge now; returns {events, receipts, sequence receipts} deleted. */
    public long[] purge() {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        long events = store.purgeEvents(now.minus(retention.events()), retention.purgeBatch());
        long receipts = store.purgeReceipts(now.minus(retention.receipts()), retention.purgeBatch());
        long sequences = store.purgeSequenceReceipts(now.minus(retention.receipts()), retention.purgeBatch());
        meters.counter("wsb.purged", "what", "events").increment(events);
        meters.counter("wsb.purged", "what", "receipts").increment(receipts);
        meters.counter("wsb.purged", "what", "sequence-receipts").increment(sequences);
        if (events + receipts + sequences > 0) {
            LOG.infof("Retention purge deleted %d event(s) older than %s, %d receipt record(s) and %d WSRM sequence"
                    + " receipt(s) older than %s", events, retention.events(), receipts, sequences, retention.receipts());
        }
        return new long[] {events, receipts, sequences};
    }
}
