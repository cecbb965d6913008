package org.socsecgateway.wsbreceiver.service;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.socsecgateway.wsbreceiver.config.ReceiverConfig;
import org.socsecgateway.wsbreceiver.store.DatabaseUnavailableException;
import org.socsecgateway.wsbreceiver.store.FeedStore;

import io.quarkus.runtime.StartupEvent;

/**
 * Gives feed numbers, on one thread and on a timer, to committed events that were stored without one: by an older
 * version of the receiver (a rolling update) or written into the table by hand. The inbox numbers the events it stores
 * in their own transaction ({@link org.socsecgateway.wsbreceiver.store.InboxStore}), so normally this finds nothing.
 */
@ApplicationScoped
public class Publisher {

    private static final Logger LOG = Logger.getLogger(Publisher.class);

    private final FeedStore store;
    private final FeedSignal signal;
    private final int batch;
    private final Duration interval;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "feed-publisher");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean failing;

    Publisher(FeedStore store, FeedSignal signal, ReceiverConfig config) {
        this.store = store;
        this.signal = signal;
        this.batch = config.feed().publishBatch();
        this.interval = config.feed().publishInterval();
    }

    void start(@Observes StartupEvent event) {
        thread.scheduleWithFixedDelay(this::publish, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void publish() {
        try {
            long total = 0;
            int numbered;
            do {
                numbered = store.publish(batch);
                total += numbered;
            } while (numbered == batch);
            if (total > 0) {
                signal.fire();
            }
            if (failing) {
                LOG.info("Publishing events to the feed works again");
                failing = false;
            }
        } catch (DatabaseUnavailableException e) {
            if (!failing) {
                LOG.warnf("Publishing events to the feed failed; retrying every %s: %s", interval, e.getMessage());
                failing = true;
            }
        } catch (RuntimeException e) {
            LOG.error("Publishing events to the feed failed", e);
        }
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
