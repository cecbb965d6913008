package org.socsecgateway.bcssproxy.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Per-API circuit breaker: after {@code threshold} consecutive failures the circuit opens and calls are refused
 * without touching the upstream; after {@code openFor} one trial call is let through (half open), whose outcome
 * closes or reopens it.
 */
public final class CircuitBreaker {

    public enum State {
        CLOSED(0),
        OPEN(1),
        HALF_OPEN(2);

        private final int gaugeValue;

        State(int gaugeValue) {
            this.gaugeValue = gaugeValue;
        }

        public int gaugeValue() {
            return gaugeValue;
        }
    }

    private final int threshold;
    private final Duration openFor;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Instant openUntil = Instant.EPOCH;
    private boolean trialInFlight;

    public CircuitBreaker(int threshold, Duration openFor) {
        this.threshold = threshold;
        this.openFor = openFor;
    }

    /** Empty when a call may go ahead; otherwise how long the caller should wait. */
    public synchronized Optional<Duration> refusal(Instant now) {
        if (state == State.OPEN) {
            if (now.isBefore(openUntil)) {
                return Optional.of(Duration.between(now, openUntil));
            }
            state = State.HALF_OPEN;
            trialInFlight = false;
        }
        if (state == State.HALF_OPEN) {
            if (trialInFlight) {
                return Optional.of(Duration.ofSeconds(1));
            }
            trialInFlight = true;
        }
        return Optional.empty();
    }

    public synchronized void succeeded() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        trialInFlight = false;
    }

    public synchronized void failed(Instant now) {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= threshold) {
            state = State.OPEN;
            openUntil = now.plus(openFor);
            trialInFlight = false;
        }
    }

    public synchronized State state() {
        return state;
    }
}
