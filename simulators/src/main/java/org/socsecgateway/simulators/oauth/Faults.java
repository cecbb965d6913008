package org.socsecgateway.simulators.oauth;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Misbehaviour injected into the simulated authorization server, changeable while it runs (thread-safe).
 * Latency and failures apply to the token endpoint only; refusing connections closes the whole server.
 */
public final class Faults {

    /** Closes or reopens the listening socket of the simulator this instance belongs to. */
    @FunctionalInterface
    interface ConnectionSwitch {
        void refuse(boolean refuse);
    }

    private final Duration defaultTokenLifetime;
    private final ConnectionSwitch connections;

    private Duration latency = Duration.ZERO;
    private int failStatus;
    private int failRemaining; // 0 = none, -1 = always
    private Duration tokenLifetime;

    // separate lock: the server's event loop must never wait on a thread that waits for the server to close
    private final Object connectionLock = new Object();
    private volatile boolean refusingConnections;

    Faults(Duration defaultTokenLifetime, ConnectionSwitch connections) {
        this.defaultTokenLifetime = requirePositive(defaultTokenLifetime, "token lifetime");
        this.connections = connections;
        this.tokenLifetime = defaultTokenLifetime;
    }

    /** Delay added before every token endpoint answer (injected failures included). */
    public synchronized Faults latency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        this.latency = latency;
        return this;
    }

    public synchronized Duration latency() {
        return latency;
    }

    /** The next {@code count} token requests get HTTP {@code status} (400-599) and {@code temporarily_unavailable}. */
    public synchronized Faults failNext(int status, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        failStatus = count == 0 ? 0 : checkedStatus(status);
        failRemaining = count;
        return this;
    }

    /** Every token request gets HTTP {@code status} (400-599) until {@link #clear()} or another failNext. */
    public synchronized Faults failAlways(int status) {
        failStatus = checkedStatus(status);
        failRemaining = -1;
        return this;
    }

    /** The injected status, 0 when no failure is pending. */
    public synchronized int failStatus() {
        return failStatus;
    }

    /** How many requests will still fail: -1 = all, 0 = none. */
    public synchronized int failRemaining() {
        return failRemaining;
    }

    /**
     * {@code true} closes the listening socket (TCP connects are refused, open connections dropped);
     * {@code false} listens again on the same port. Returns once the change is effective.
     */
    public Faults refuseConnections(boolean refuse) {
        synchronized (connectionLock) {
            if (refuse != refusingConnections) {
                connections.refuse(refuse);
                refusingConnections = refuse;
            }
        }
        return this;
    }

    public boolean refusingConnections() {
        return refusingConnections;
    }

    /** Lifetime of the access tokens issued from now on. */
    public synchronized Faults tokenLifetime(Duration lifetime) {
        this.tokenLifetime = requirePositive(lifetime, "token lifetime");
        return this;
    }

    public synchronized Duration tokenLifetime() {
        return tokenLifetime;
    }

    /** Back to a well-behaved server: no latency, no failures, listening, configured token lifetime. */
    public Faults clear() {
        synchronized (this) {
            latency = Duration.ZERO;
            failStatus = 0;
            failRemaining = 0;
            tokenLifetime = defaultTokenLifetime;
        }
        return refuseConnections(false);
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
        return "Faults[latency=" + latency + ", failStatus=" + failStatus + ", failRemaining=" + failRemaining
                + ", refusingConnections=" + refusingConnections + ", tokenLifetime=" + tokenLifetime + "]";
    }

    static Duration requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        return d;
    }
}
