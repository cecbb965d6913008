package org.socsecgateway.wsbreceiver.service;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Wakes waiting long-polls when this replica published events. Take {@link #publications()} before reading, then
 * {@link #await} with it: a publication between the two is not missed.
 * <p>
 * Each wait registers one waiter and removes it again when it ends, woken or timed out, so the waiters are never
 * more than the long-polls waiting right now — also on a replica that never publishes itself (with several replicas,
 * another one may do all the publishing). Gauge {@code wsb_feed_waiters}.
 */
@ApplicationScoped
public class FeedSignal {

    private final AtomicLong publications = new AtomicLong();
    private final Set<CompletableFuture<Void>> waiters = ConcurrentHashMap.newKeySet();

    FeedSignal(MeterRegistry meters) {
        Gauge.builder("wsb.feed.waiters", waiters, Set::size)
                .description("Long-polls of this replica waiting for events right now").register(meters);
    }

    /** How many publications this replica made so far; pass it to {@link #await}. */
    public long publications() {
        return publications.get();
    }

    /**
     * Completes at the first publication after the one counted in {@code seen} (at once if it already happened), or
     * after {@code timeout}, whichever comes first.
     */
    public CompletionStage<Void> await(long seen, Duration timeout) {
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        waiters.add(waiter);
        // what the caller waits on completes only once the waiter is gone
        CompletionStage<Void> deregistered = waiter.whenComplete((ignored, failure) -> waiters.remove(waiter));
        // after registering: fire() counts first and wakes the registered second, so either this sees its count or
        // fire() sees this waiter
        if (publications.get() != seen) {
            waiter.complete(null);
        } else {
            waiter.completeOnTimeout(null, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        return deregistered;
    }

    /** Waiters registered right now (the gauge's value). */
    int waiters() {
        return waiters.size();
    }

    void fire() {
        publications.incrementAndGet();
        waiters.forEach(waiter -> waiter.complete(null));
    }
}
