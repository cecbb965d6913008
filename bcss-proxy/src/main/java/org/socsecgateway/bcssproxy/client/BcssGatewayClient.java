package org.socsecgateway.bcssproxy.client;

import java.security.cert.X509Certificate;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.socsecgateway.bcssproxy.config.ProxyConfig;
import org.socsecgateway.bcssproxy.config.ProxyConfig.Gateway.TlsEngine;
import org.socsecgateway.common.tls.Certificates;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.TrustOptions;

/**
 * The HTTPS client towards the BCSS REST gateway: the configured TLS identity (mutual TLS), the configured trust,
 * host name verification always on. A raw Vert.x client because bodies are streamed both ways. Created at start, so
 * that proxy_client_certificate_days_left is exported before the first call (the expiry alert relies on it).
 */
@Startup
@ApplicationScoped
public class BcssGatewayClient {

    private static final Logger LOG = Logger.getLogger(BcssGatewayClient.class);

    private final HttpClient client;
    private final TlsConfiguration tls;
    private final MeterRegistry meters;
    private final Gauge daysLeft;

    BcssGatewayClient(Vertx vertx, TlsConfigurationRegistry registry, ProxyConfig config, MeterRegistry meters) {
        this.tls = registry.get(config.gateway().tlsConfigurationName()).orElse(null);
        this.meters = meters;
        this.daysLeft = Gauge.builder("proxy.client.certificate.days.left", this, BcssGatewayClient::clientCertificateDaysLeft)
                .description("Days until the client certificate for mutual TLS towards BCSS expires (NaN without one)")
                .register(meters);
        HttpClientOptions options = clientOptions(config.gateway(),
                tls == null ? null : tls.getTrustStoreOptions(), tls == null ? null : tls.getKeyStoreOptions());
        LOG.infof("TLS towards BCSS: %s engine", options.getSslEngineOptions() instanceof OpenSSLEngineOptions ? "openssl" : "jdk");
        this.client = vertx.createHttpClient(options);
    }

    /**
     * The client's options: TLS with host name verification always on, keep-alive pool, connect timeout, the given
     * trust ({@code null} = the JVM's) and client identity ({@code null} = none), and the TLS engine chosen by
     * {@code proxy.gateway.tls-engine} (OpenSSL only where its native library loads).
     */
    static HttpClientOptions clientOptions(ProxyConfig.Gateway gateway, TrustOptions trust, KeyCertOptions identity) {
        HttpClientOptions options = new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setKeepAlive(true)
                .setMaxPoolSize(gateway.maxConnectionsPerHost())
                .setConnectTimeout((int) gateway.connectTimeout().toMillis());
        if (trust != null) {
            options.setTrustOptions(trust);
        }
        if (identity != null) {
            options.setKeyCertOptions(identity);
        }
        if (gateway.tlsEngine() == TlsEngine.OPENSSL && OpenSSLEngineOptions.isAvailable()) {
            options.setSslEngineOptions(new OpenSSLEngineOptions());
        }
        return options;
    }

    public Future<HttpClientRequest> request(RequestOptions options) {
        return client.request(options);
    }

    /** The client certificate presented to BCSS, if one is configured. */
    public Optional<X509Certificate> clientCertificate() {
        return Certificates.first(tls == null ? null : tls.getKeyStore());
    }

    private double clientCertificateDaysLeft() {
        return Certificates.daysLeft(clientCertificate());
    }

    /** The TLS configuration in use (for the connectivity test), or null for the JVM defaults. */
    public TlsConfiguration tls() {
        return tls;
    }

    @PreDestroy
    void close() {
        meters.remove(daysLeft);
        client.close();
    }
}
