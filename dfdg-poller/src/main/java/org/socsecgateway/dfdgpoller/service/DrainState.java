package org.socsecgateway.dfdgpoller.service;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Singleton;

/** When the poller started and when a drain last emptied the queue; read by the drain health check. */
@Singleton
public class DrainState {

    private final Instant startedAt = Instant.now();
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();

    /** Records a drain that left the queue empty. */
    public void succeeded(Instant at) {
        lastSuccess.set(at);
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The end of the last drain that left the queue empty, if any since start. */
    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess.get());
    }
}
