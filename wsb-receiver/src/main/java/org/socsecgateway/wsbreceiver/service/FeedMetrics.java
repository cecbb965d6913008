package org.socsecgateway.wsbreceiver.service;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.socsecgateway.common.tls.Certificates;
import org.socsecgateway.wsbreceiver.store.DatabaseUnavailableException;
import org.socsecgateway.wsbreceiver.store.FeedStats;
import org.socsecgateway.wsbreceiver.store.FeedStore;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.tls.TlsConfigurationRegistry;

/**
 * Queue depth, feed lag and oldest unread event per reader, read from the database on a schedule (not per scrape),
 * and the days left on the webhook's server certificate and on the certificates it trusts.
 */
@ApplicationScoped
public class FeedMetrics {

    private static final Logger LOG = Logger.getLogger(FeedMetrics.class);

    private final FeedStore store;
    private final MeterRegistry meters;
    private final TlsConfigurationRegistry tls;
    private final AtomicReference<FeedStats> latest = new AtomicReference<>(new FeedStats(0, 0, 0, List.of()));
    private final Map<String, FeedStats.Reader> readers = new ConcurrentHashMap<>();
    private final List<Meter> registered = new CopyOnWriteArrayList<>();

    FeedMetrics(FeedStore store, MeterRegistry meters, TlsConfigurationRegistry tls) {
        this.store = store;
        this.meters = meters;
        this.tls = tls;
        registered.add(Gauge.builder("wsb.feed.head", latest, s -> s.get().head())
                .description("Highest feed number handed out").register(meters));
        registered.add(Gauge.builder("wsb.inbox.unpublished", latest, s -> s.get().unpublished())
                .description("Stored events waiting for a feed number (the publisher's queue)").register(meters));
        registered.add(Gauge.builder("wsb.feed.publish.lag.seconds", latest, s -> s.get().publishLagSeconds())
                .description("Age of the oldest stored event not yet in the feed").register(meters));
        registered.add(Gauge.builder("wsb.webhook.server.certificate.days.left", this, FeedMetrics::serverCertificateDaysLeft)
                .description("Days until the webhook's server certificate (the one STAR sees) expires").register(meters));
        registered.add(Gauge.builder("wsb.webhook.trusted.certificate.days.left", this, FeedMetrics::trustedCertificateDaysLeft)
                .description("Days until the first certificate of the webhook trust store (STAR's, or its CA) expires; "
                        + "after that STAR's deliveries fail in the TLS handshake").register(meters));
    }

    @Scheduled(every = "${wsb.metrics-interval:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        FeedStats stats;
        try {
            stats = store.stats();
        } catch (DatabaseUnavailableException e) {
            LOG.debugf("Feed metrics not refreshed: %s", e.getMessage());
            return;
        }
        latest.set(stats);
        for (FeedStats.Reader reader : stats.readers()) {
            if (readers.put(reader.caller(), reader) == null) {
                String caller = reader.caller();
                registered.add(Gauge.builder("wsb.feed.reader.lag.events", readers, r -> r.get(caller).lagEvents())
                        .description("Events in the feed after this reader's position").tag("caller", caller).register(meters));
                registered.add(Gauge.builder("wsb.feed.reader.oldest.unread.seconds", readers, r -> r.get(caller).oldestUnreadAgeSeconds())
                        .description("Age of the oldest event this reader has not read yet").tag("caller", caller).register(meters));
            }
        }
    }

    private double serverCertificateDaysLeft() {
        return Certificates.daysLeft(tls.get("webhook").flatMap(t -> Certificates.first(t.getKeyStore())));
    }

    private double trustedCertificateDaysLeft() {
        return Certificates.daysLeft(tls.get("webhook").flatMap(t -> Certificates.earliestExpiring(t.getTrustStore())));
    }

    @PreDestroy
    void close() {
        registered.forEach(meters::remove);
    }
}
