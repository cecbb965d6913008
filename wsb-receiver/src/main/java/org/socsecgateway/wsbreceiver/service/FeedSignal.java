package org.socsecgateway.wsbreceiver.service;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;

/**
 * Wakes waiting long-polls when this replica published events. Take {@link #publications()} before reading, then
 * {@link #await} with it: a publication between the two is not missed.
 * <p>
 * Each wait registers one waiter and removes it again when it ends, woken or timed out, so the waiters are never
 * more than the long-polls waiting right now — also on a replica that never publishes itself (with several replicas,
 * another one may do all the publishing). Gauge {@code wsb_feed_waiters}.
 * <p>
 * When shutdown begins (SIGTERM), every waiting long-poll is woken and none waits any more ({@link #closing()}), so
 * each answers at once with what it has: Quarkus' graceful shutdown ({@code quarkus.shutdown.timeout}) waits for
 * running requests, and a long-poll of up to {@code wsb.feed.max-wait} (60 s) would otherwise hold the pod past its
 * termination grace period and be cut.
 */
@ApplicationScoped
public class FeedSignal {

    private final AtomicLong publications = new AtomicLong();
    private volatile boolean closing;
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
        // after registering: fire() and release() change their field first and wake the registered second, so either
        // this sees the change or they see this waiter
        if (closing || publications.get() != seen) {
            waiter.complete(null);
        } else {
            waiter.completeOnTimeout(null, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        return deregistered;
    }

    /** True once shutdown has begun: a long-poll then answers with what it has instead of waiting. */
    public boolean closing() {
        return closing;
    }

    /**
     * Shutdown has begun: wakes every waiting long-poll and lets none wait from now on. Observes
     * {@link ShutdownDelayInitiatedEvent}, which Quarkus fires first when shutdown starts, before the HTTP server waits
     * for running requests ({@code quarkus.shutdown.delay-enabled=true}, set at build time, makes Quarkus fire it);
     * {@code ShutdownEvent} would come only after that wait.
     */
    void release(@Observes ShutdownDelayInitiatedEvent event) {
        closing = true;
        waiters.forEach(waiter -> waiter.complete(null));
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
