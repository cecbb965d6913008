package org.socsecgateway.wsbreceiver.service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

/** Wakes waiting long-polls when this replica published events. Take {@link #next()} before reading, then wait on it. */
@ApplicationScoped
public class FeedSignal {

    private final AtomicReference<CompletableFuture<Void>> next = new AtomicReference<>(new CompletableFuture<>());

    /** Completes at the next publication after this call. */
    public CompletableFuture<Void> next() {
        return next.get();
    }

    void fire() {
        next.getAndSet(new CompletableFuture<>()).complete(null);
    }
}
