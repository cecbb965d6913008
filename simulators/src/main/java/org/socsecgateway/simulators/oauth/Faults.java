package org.socsecgateway.simulators.oauth;

import org.socsecgateway.simulators.internal.InjectedFailures;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Misbehaviour injected into the simulated authorization server, changeable while it runs (thread-safe).
 * Latency and failures apply to the token endpoint only (an injected failure answers
 * {@code temporarily_unavailable}); refusing connections closes the whole server.
 */
public final class Faults extends InjectedFailures<Faults> {

    /** Closes or reopens the listening socket of the simulator this instance belongs to. */
    @FunctionalInterface
    interface ConnectionSwitch {
        void refuse(boolean refuse);
    }

    private final Duration defaultTokenLifetime;
    private final ConnectionSwitch connections;

    private Duration tokenLifetime;

    // separate lock: the server's event loop must never wait on a thread that waits for the server to close
    private final Object connectionLock = new Object();
    private volatile boolean refusingConnections;

    Faults(Duration defaultTokenLifetime, ConnectionSwitch connections) {
        this.defaultTokenLifetime = requirePositive(defaultTokenLifetime, "token lifetime");
        this.connections = connections;
        this.tokenLifetime = defaultTokenLifetime;
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
    @Override
    public Faults clear() {
        synchronized (this) {
            clearFailures();
            tokenLifetime = defaultTokenLifetime;
        }
        return refuseConnections(false);
    }

    /** Consumes one injected failure, if any is pending. */
    OptionalInt takeFailure() {
        return nextFailure();
    }

    @Override
    public synchronized String toString() {
        return "Faults[" + failuresToString() + ", refusingConnections=" + refusingConnections
                + ", tokenLifetime=" + tokenLifetime + "]";
    }

    static Duration requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        return d;
    }
}
