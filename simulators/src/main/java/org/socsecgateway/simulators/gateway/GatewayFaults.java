package org.socsecgateway.simulators.gateway;

import org.socsecgateway.simulators.internal.InjectedFailures;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Misbehaviour injected into the simulated REST gateway, changeable while it runs (thread-safe).
 * <p>
 * Faults apply to API operations: every request under a configured API except its {@code /health} resource
 * (requests to an unknown API are not affected either). They are applied on arrival, before the access token
 * is checked, in this order: latency, dropped connection, 429, injected failure. An injected failure answers the
 * belgif problem matching its status ({@code internalServerError}, {@code badGateway},
 * {@code serviceUnavailable}, ...). The health resource is only affected by {@link #failAlways(int)}: it then
 * answers 503 {@code {"status":"DOWN"}}. A broken-off answer ({@link #breakOffAnswers(int)}) applies to the demo
 * API's documents, once the token is accepted.
 */
public final class GatewayFaults extends InjectedFailures<GatewayFaults> {

    private int tooManyRequestsRemaining;
    private Duration retryAfter = Duration.ZERO;
    private int dropRemaining;
    private int breakOffRemaining;

    GatewayFaults() {
    }

    /**
     * The next {@code count} API operations answer 429 {@code tooManyRequests} with {@code Retry-After} set to
     * {@code retryAfter} in whole seconds (rounded up); 0 clears.
     */
    public synchronized GatewayFaults tooManyRequests(int count, Duration retryAfter) {
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
        tooManyRequestsRemaining = count;
        this.retryAfter = retryAfter;
        return this;
    }

    /** How many API operations will still answer 429. */
    public synchronized int tooManyRequestsRemaining() {
        return tooManyRequestsRemaining;
    }

    /** The {@code Retry-After} of the injected 429 answers. */
    public synchronized Duration retryAfter() {
        return retryAfter;
    }

    /** The next {@code count} API operations get no answer: the TCP connection is closed; 0 clears. */
    public synchronized GatewayFaults dropConnections(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        dropRemaining = count;
        return this;
    }

    /** How many API operations will still have their connection dropped. */
    public synchronized int dropConnectionsRemaining() {
        return dropRemaining;
    }

    /**
     * The next {@code count} documents ({@code GET /demo/v1/documents/{bytes}}) are sent chunked, without
     * Content-Length, and the connection is closed after about half of the bytes, before the terminating chunk:
     * an answer broken off mid-body; 0 clears.
     */
    public synchronized GatewayFaults breakOffAnswers(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        breakOffRemaining = count;
        return this;
    }

    /** How many documents will still be broken off. */
    public synchronized int breakOffAnswersRemaining() {
        return breakOffRemaining;
    }

    /** Back to a well-behaved gateway. */
    @Override
    public synchronized GatewayFaults clear() {
        clearFailures();
        tooManyRequestsRemaining = 0;
        retryAfter = Duration.ZERO;
        dropRemaining = 0;
        breakOffRemaining = 0;
        return this;
    }

    synchronized boolean failingAlways() {
        return failRemaining() == -1;
    }

    /** Consumes one pending connection drop, if any. */
    synchronized boolean takeDrop() {
        if (dropRemaining == 0) {
            return false;
        }
        dropRemaining--;
        return true;
    }

    /** Consumes one pending broken-off answer, if any. */
    synchronized boolean takeBreakOff() {
        if (breakOffRemaining == 0) {
            return false;
        }
        breakOffRemaining--;
        return true;
    }

    /** Consumes one pending 429, if any; the value is the Retry-After delay. */
    synchronized Optional<Duration> takeTooManyRequests() {
        if (tooManyRequestsRemaining == 0) {
            return Optional.empty();
        }
        tooManyRequestsRemaining--;
        return Optional.of(retryAfter);
    }

    /** Consumes one injected failure, if any is pending. */
    OptionalInt takeFailure() {
        return nextFailure();
    }

    @Override
    public synchronized String toString() {
        return "GatewayFaults[" + failuresToString() + ", tooManyRequests=" + tooManyRequestsRemaining
                + ", retryAfter=" + retryAfter + ", dropConnections=" + dropRemaining
                + ", breakOffAnswers=" + breakOffRemaining + "]";
    }
}
