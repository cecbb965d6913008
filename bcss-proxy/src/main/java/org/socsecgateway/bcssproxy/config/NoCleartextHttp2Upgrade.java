package org.socsecgateway.bcssproxy.config;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * Refuses the cleartext HTTP/2 upgrade (h2c). The body of an upgrade request must be read in full before the
 * connection switches, which would make the proxy hold a whole upload in memory instead of streaming it. Callers
 * keep HTTP/1.1 on plain connections; HTTP/2 over TLS (ALPN) is unaffected.
 */
@ApplicationScoped
public class NoCleartextHttp2Upgrade implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
