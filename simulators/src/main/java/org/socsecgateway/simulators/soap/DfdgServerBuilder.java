package org.socsecgateway.simulators.soap;

import org.socsecgateway.simulators.internal.ServerBuilder;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * The settings every fake DFDG SOAP service shares: HTTPS ({@link ServerBuilder}), optional mutual TLS with a
 * function certificate, the host name in its URLs and its clock. Generic in the concrete builder so that the
 * setters keep returning it.
 */
public abstract class DfdgServerBuilder<B extends DfdgServerBuilder<B>> extends ServerBuilder<B> {

    private String host = "localhost";
    private Clock clock = Clock.systemUTC();
    private boolean mutualTls;

    protected DfdgServerBuilder() {
    }

    /**
     * Requires mutual TLS with a client certificate issued by (or equal to) one of these PEM certificates, whose
     * subject names a function certificate ({@code CVR:<cvr>-UUID:<uuid>}): others get 403.
     */
    @Override
    public B requireClientCertificate(Path trustedCertsPem) {
        this.mutualTls = true;
        return super.requireClientCertificate(trustedCertsPem);
    }

    /** Host name in the URLs; default {@code localhost} (must match the certificate). */
    public B host(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return self();
    }

    /** The simulator's clock (tests move or fix it); default UTC system clock. */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** The host name set (for the simulator's constructor). */
    public final String host() {
        return host;
    }

    /** The clock set (for the simulator's constructor). */
    public final Clock clock() {
        return clock;
    }

    /** Whether {@link #requireClientCertificate} was called: the endpoints then require a function certificate. */
    public final boolean mutualTls() {
        return mutualTls;
    }

    @SuppressWarnings("unchecked") // B is the concrete subclass by construction
    private B self() {
        return (B) this;
    }
}
