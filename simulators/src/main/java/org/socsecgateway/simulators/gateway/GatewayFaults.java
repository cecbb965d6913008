package org.socsecgateway.simulators.gateway;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Misbehaviour injected into the simulated REST gateway, changeable while it runs (thread-safe).
 * <p>
 * Faults apply to API operations: every request under a configured API except its {@code /health} resource
 * (requests to an unknown API are not affected either). They are applied on arrival, before the access token
 * is checked, in this order: latency, dropped connection, 429, injected failure. The health resource is only
 * affected by {@link #failAlways(int)}: it then answers 503 {@code {"status":"DOWN"}}.
 */
public final class GatewayFaults {

    private Duration latency = Duration.ZERO;
    private int failStatus;
    private int failRemaining; // 0 = none, -1 = always
    private int tooManyRequestsRemaining;
    private Duration retryAfter = Duration.ZERO;
    private int dropRemaining;

    GatewayFaults() {
    }

    /** Delay added before every API operation is handled (its answer, a dropped connection or a fault). */
    public synchronized GatewayFaults latency(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        this.latency = latency;
        return this;
    }

    public synchronized Duration latency() {
        return latency;
    }

    /**
     * The next {@code count} API operations answer HTTP {@code status} (400-599) with the matching belgif
     * problem ({@code internalServerError}, {@code badGateway}, {@code serviceUnavailable}, ...); 0 clears.
     */
    public synchronized GatewayFaults failNext(int status, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        failStatus = count == 0 ? 0 : checkedStatus(status);
        failRemaining = count;
        return this;
    }

    /**
     * Every API operation answers HTTP {@code status} (400-599), and {@code /{api}/health} answers 503
     * {@code {"status":"DOWN"}}, until {@link #clear()} or another {@link #failNext}.
     */
    public synchronized GatewayFaults failAlways(int status) {
        failStatus = checkedStatus(status);
        failRemaining = -1;
        return this;
    }

    /** The injected status, 0 when no failure is pending. */
    public synchronized int failStatus() {
        return failStatus;
    }

    /** How many API operations will still fail: -1 = all, 0 = none. */
    public synchronized int failRemaining() {
        return failRemaining;
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

    /** Back to a well-behaved gateway. */
    public synchronized GatewayFaults clear() {
        latency = Duration.ZERO;
        failStatus = 0;
        failRemaining = 0;
        tooManyRequestsRemaining = 0;
        retryAfter = Duration.ZERO;
        dropRemaining = 0;
        return this;
    }

    synchronized boolean failingAlways() {
        return failRemaining == -1;
    }

    /** Consumes one pending connection drop, if any. */
    synchronized boolean takeDrop() {
        if (dropRemaining == 0) {
            return false;
        }
        dropRemaining--;
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
    synchronized OptionalInt takeFailure() {
        if (failRemaining == 0) {
            return OptionalInt.empty();
        }
        int status = failStatus;
        if (failRemaining > 0 && --failRemaining == 0) {
            failStatus = 0;
        }
        return OptionalInt.of(status);
    }

    private static int checkedStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an injected failure needs an HTTP error status (400-599), not " + status);
        }
        return status;
    }

    @Override
    public synchronized String toString() {
        return "GatewayFaults[latency=" + latency + ", failStatus=" + failStatus + ", failRemaining=" + failRemaining
                + ", tooManyRequests=" + tooManyRequestsRemaining + ", retryAfter=" + retryAfter
                + ", dropConnections=" + dropRemaining + "]";
    }
}
