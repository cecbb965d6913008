package org.socsecgateway.simulators.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Latency and injected HTTP failures, the faults every simulator offers (thread-safe: synchronized on this, so
 * subclasses can update their own faults atomically with these). Generic in the concrete class so that the
 * setters keep returning it.
 */
public abstract class InjectedFailures<F extends InjectedFailures<F>> {

    private Duration latency = Duration.ZERO;
    private int failStatus;
    private int failRemaining; // 0 = none, -1 = always

    protected InjectedFailures() {
    }

    /** Delay added before every affected request is answered (injected failures included). */
    public synchronized F latency(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        this.latency = latency;
        return self();
    }

    public synchronized Duration latency() {
        return latency;
    }

    /** The next {@code count} affected requests answer HTTP {@code status} (400-599); 0 clears. */
    public synchronized F failNext(int status, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        failStatus = count == 0 ? 0 : checkedStatus(status);
        failRemaining = count;
        return self();
    }

    /** Every affected request answers HTTP {@code status} (400-599) until {@link #clear()} or another failNext. */
    public synchronized F failAlways(int status) {
        failStatus = checkedStatus(status);
        failRemaining = -1;
        return self();
    }

    /** The injected status, 0 when no failure is pending. */
    public synchronized int failStatus() {
        return failStatus;
    }

    /** How many requests will still fail: -1 = all, 0 = none. */
    public synchronized int failRemaining() {
        return failRemaining;
    }

    /** Removes every fault, these and the subclass's own. */
    public abstract F clear();

    /** No latency, no failures; for the subclass's {@link #clear()}. */
    protected synchronized void clearFailures() {
        latency = Duration.ZERO;
        failStatus = 0;
        failRemaining = 0;
    }

    /** Consumes one injected failure, if any is pending. */
    protected synchronized OptionalInt nextFailure() {
        if (failRemaining == 0) {
            return OptionalInt.empty();
        }
        int status = failStatus;
        if (failRemaining > 0 && --failRemaining == 0) {
            failStatus = 0;
        }
        return OptionalInt.of(status);
    }

    /** {@code latency=..., failStatus=..., failRemaining=...} for the subclass's toString. */
    protected synchronized String failuresToString() {
        return "latency=" + latency + ", failStatus=" + failStatus + ", failRemaining=" + failRemaining;
    }

    private static int checkedStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an injected failure needs an HTTP error status (400-599), not " + status);
        }
        return status;
    }

    @SuppressWarnings("unchecked") // F is the concrete subclass by construction
    private F self() {
        return (F) this;
    }
}
