package org.socsecgateway.simulators.internal;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.nio.file.Path;

/** The HTTP server settings the simulators share. */
public final class ServerOptions {

    /** Loopback by default: simulators accept forged credentials and must not be reachable from the network. */
    public static final String LOOPBACK = "127.0.0.1";

    private ServerOptions() {
    }

    public static HttpServerOptions plain(String bindHost, int port) {
        return new HttpServerOptions().setHost(bindHost).setPort(port);
    }

    /**
     * HTTPS with a PEM certificate and PKCS#8 key.
     *
     * @param trustedClientCerts when not null, a client certificate signed by (or equal to) one of these PEM
     *                           certificates is required (mutual TLS)
     */
    public static HttpServerOptions https(String bindHost, int port, Path certPem, Path keyPem, Path trustedClientCerts) {
        HttpServerOptions options = plain(bindHost, port)
                .setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(certPem.toString())
                        .setKeyPath(keyPem.toString()));
        if (trustedClientCerts != null) {
            options.setClientAuth(ClientAuth.REQUIRED)
                    .setTrustOptions(new PemTrustOptions().addCertPath(trustedClientCerts.toString()));
        }
        return options;
    }

    /** {@code https://host:port}, with brackets around IPv6 literals. */
    public static String httpsOrigin(String host, int port) {
        return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
