package org.socsecgateway.simulators.oauth;

import org.socsecgateway.simulators.internal.InjectedFailures;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Misbehaviour injected into the simulated authorization server, changeable while it runs (thread-safe).
 * Latency and failures apply to the token endpoint only (an injected failure answers
 * {@code temporarily_unavailable}, with {@link #retryAfter(String)} when set); refusing connections closes the whole
 * server. {@link #expiresInJson(String)} and {@link #omitExpiresIn(boolean)} bend successful token answers.
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
    private String expiresInJson;   // null = the token lifetime in whole seconds
    private boolean omitExpiresIn;
    private String retryAfter;      // null = no Retry-After on injected failures
    private Duration clockSkew = Duration.ZERO;

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

    /**
     * Sends this raw JSON text as the {@code expires_in} member of successful token answers from now on, in place
     * of the token lifetime (e.g. {@code 1e12}, {@code 9223372036854775807}, {@code -5}, {@code "3600"},
     * {@code 3599.5}, {@code null}). The issued token still lives {@link #tokenLifetime()}. {@code null} restores
     * the normal member. The text is not checked: misbehaving is the point.
     */
    public synchronized Faults expiresInJson(String json) {
        this.expiresInJson = json;
        return this;
    }

    public synchronized String expiresInJson() {
        return expiresInJson;
    }

    /** {@code true} leaves {@code expires_in} out of successful token answers (it is only RECOMMENDED, RFC 6749 section 5.1). */
    public synchronized Faults omitExpiresIn(boolean omit) {
        this.omitExpiresIn = omit;
        return this;
    }

    public synchronized boolean omitExpiresIn() {
        return omitExpiresIn;
    }

    /**
     * {@code Retry-After} header value (RFC 9110 section 10.2.3: delta-seconds or an HTTP-date, sent as given) on
     * injected failures from now on; {@code null} sends none.
     */
    public synchronized Faults retryAfter(String value) {
        this.retryAfter = value;
        return this;
    }

    public synchronized String retryAfter() {
        return retryAfter;
    }

    /**
     * How far the token endpoint's clock is off (positive: ahead): it judges assertion times ({@code iat},
     * {@code nbf}, {@code exp}) and dates its answers ({@code Date} header) by it. Issued tokens' lifetimes are not
     * affected.
     */
    public synchronized Faults clockSkew(Duration skew) {
        this.clockSkew = Objects.requireNonNull(skew, "skew");
        return this;
    }

    public synchronized Duration clockSkew() {
        return clockSkew;
    }

    /** Back to a well-behaved server: no latency, no failures, listening, configured token lifetime. */
    @Override
    public Faults clear() {
        synchronized (this) {
            clearFailures();
            tokenLifetime = defaultTokenLifetime;
            expiresInJson = null;
            omitExpiresIn = false;
            retryAfter = null;
            clockSkew = Duration.ZERO;
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
                + ", tokenLifetime=" + tokenLifetime + ", expiresInJson=" + expiresInJson + ", omitExpiresIn=" + omitExpiresIn
                + ", retryAfter=" + retryAfter + ", clockSkew=" + clockSkew + "]";
    }

    static Duration requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        return d;
    }
}
