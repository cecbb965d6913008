package org.socsecgateway.simulators.internal;

import io.vertx.core.http.HttpServerOptions;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The HTTPS listening settings every simulator builder shares. Generic in the concrete builder so that the
 * setters keep returning it.
 */
public abstract class ServerBuilder<B extends ServerBuilder<B>> {

    private Path certPem;
    private Path keyPem;
    private Path trustedClientCerts;
    private int port;
    private String bindHost = ServerOptions.LOOPBACK;

    protected ServerBuilder() {
    }

    /** The server certificate (PEM) and its PKCS#8 key; the simulator always speaks HTTPS. */
    public B tls(Path serverCertPem, Path serverKeyPem) {
        this.certPem = Objects.requireNonNull(serverCertPem, "serverCertPem");
        this.keyPem = Objects.requireNonNull(serverKeyPem, "serverKeyPem");
        return self();
    }

    /** Requires mutual TLS with a client certificate issued by (or equal to) one of these PEM certificates. */
    // protected: only the builders of simulators that support mutual TLS make it public
    protected B requireClientCertificate(Path trustedCertsPem) {
        this.trustedClientCerts = Objects.requireNonNull(trustedCertsPem, "trustedCertsPem");
        return self();
    }

    /** 0 (the default) picks a free port. */
    public B port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        return self();
    }

    /** Address to listen on; loopback by default. */
    public B bindHost(String bindHost) {
        this.bindHost = Objects.requireNonNull(bindHost, "bindHost");
        return self();
    }

    /** For {@code build()}: the HTTPS server options; fails unless {@link #tls} was called. */
    protected final HttpServerOptions serverOptions() {
        if (certPem == null) {
            throw new IllegalStateException("tls(serverCertPem, serverKeyPem) is required");
        }
        return ServerOptions.https(bindHost, port, certPem, keyPem, trustedClientCerts);
    }

    @SuppressWarnings("unchecked") // B is the concrete subclass by construction
    private B self() {
        return (B) this;
    }
}
