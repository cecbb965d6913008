package org.socsecgateway.bcssproxy.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.socsecgateway.bcssproxy.config.ProxyConfig;
import org.socsecgateway.bcssproxy.config.ProxyConfig.Gateway.TlsEngine;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.certs.CertificateGenerator;
import io.smallrye.certs.CertificateRequest;
import io.smallrye.certs.Format;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * The TLS towards BCSS keeps its guarantees with either engine ({@code proxy.gateway.tls-engine}): the gateway's
 * certificate must be trusted and name the host called, and the client certificate is presented.
 */
class GatewayTlsEngineTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Vertx vertx;
    private static Path dir;
    private static final AtomicInteger served = new AtomicInteger();

    @BeforeAll
    static void certificates() throws Exception {
        vertx = Vertx.vertx();
        dir = Files.createTempDirectory("gateway-tls-engine");
        CertificateGenerator generator = new CertificateGenerator(dir, true);
        generator.generate(new CertificateRequest().withName("gateway").withCN("localhost")
                .withSubjectAlternativeName("DNS:localhost").withFormat(Format.PEM));
        generator.generate(new CertificateRequest().withName("elsewhere").withCN("bcss.example")
                .withSubjectAlternativeName("DNS:bcss.example").withFormat(Format.PEM));
        generator.generate(new CertificateRequest().withName("stranger").withCN("localhost")
                .withSubjectAlternativeName("DNS:localhost").withFormat(Format.PEM));
        generator.generate(new CertificateRequest().withName("proxy").withCN("bcss-proxy").withFormat(Format.PEM));
    }

    @AfterAll
    static void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void aTrustedGatewayNamingTheHostIsCalledWithTheClientCertificate(TlsEngine engine) throws Exception {
        HttpServer gateway = gateway("gateway");
        try {
            int before = served.get();
            assertThat(get(engine, gateway.actualPort())).isEqualTo(200);
            assertThat(served.get()).isEqualTo(before + 1);
        } finally {
            gateway.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void aTrustedCertificateForAnotherHostIsRefusedBeforeAnythingIsSent(TlsEngine engine) throws Exception {
        assertRefusedBeforeAnythingIsSent(engine, "elsewhere");
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void anUntrustedCertificateIsRefusedBeforeAnythingIsSent(TlsEngine engine) throws Exception {
        assertRefusedBeforeAnythingIsSent(engine, "stranger");
    }

    private static void assertRefusedBeforeAnythingIsSent(TlsEngine engine, String certificate) throws Exception {
        HttpServer gateway = gateway(certificate);
        try {
            int before = served.get();
            assertThatThrownBy(() -> get(engine, gateway.actualPort())).hasStackTraceContaining("SSL");
            assertThat(served.get()).isEqualTo(before);
        } finally {
            gateway.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void theConfiguredEngineIsTheOneUsed(TlsEngine engine) {
        // BoringSSL is bundled for this platform: if it stopped loading, the "openssl" cases above would test the JDK's
        assertThat(OpenSSLEngineOptions.isAvailable()).as("netty-tcnative loads here").isTrue();
        HttpClientOptions options = options(engine);
        assertThat(options.getSslEngineOptions() instanceof OpenSSLEngineOptions).isEqualTo(engine == TlsEngine.OPENSSL);
        assertThat(options.isVerifyHost()).isTrue();
    }

    /** A gateway presenting the named certificate and requiring the proxy's; it counts the requests it serves. */
    private static HttpServer gateway(String certificate) throws Exception {
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(path(certificate + ".crt")).setKeyPath(path(certificate + ".key")))
                .setTrustOptions(new PemTrustOptions().addCertPath(path("proxy.crt")))
                .setClientAuth(ClientAuth.REQUIRED);
        return vertx.createHttpServer(options)
                .requestHandler(request -> {
                    served.incrementAndGet();
                    request.response().end("{}");
                })
                .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** GET https://localhost:{port}/ as the proxy does it; the status, or the failure. */
    private static int get(TlsEngine engine, int port) throws Exception {
        HttpClient client = vertx.createHttpClient(options(engine));
        try {
            HttpClientResponse response = client.request(new RequestOptions().setMethod(HttpMethod.GET)
                    .setHost("localhost").setPort(port).setURI("/"))
                    .compose(request -> request.send())
                    .toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return response.statusCode();
        } finally {
            client.close();
        }
    }

    /** The proxy's options: trusting the gateway's and the other host's certificate (not the stranger's). */
    private static HttpClientOptions options(TlsEngine engine) {
        return BcssGatewayClient.clientOptions(gatewayConfig(engine),
                new PemTrustOptions().addCertPath(path("gateway.crt")).addCertPath(path("elsewhere.crt")),
                new PemKeyCertOptions().setCertPath(path("proxy.crt")).setKeyPath(path("proxy.key")));
    }

    private static String path(String file) {
        return dir.resolve(file).toString();
    }

    private static ProxyConfig.Gateway gatewayConfig(TlsEngine engine) {
        return new ProxyConfig.Gateway() {
            @Override
            public String tlsConfigurationName() {
                return "bcss-gateway";
            }

            @Override
            public Duration connectTimeout() {
                return Duration.ofSeconds(10);
            }

            @Override
            public MemorySize replayBuffer() {
                return new MemorySize(java.math.BigInteger.valueOf(65536));
            }

            @Override
            public int maxConnectionsPerHost() {
                return 4;
            }

            @Override
            public TlsEngine tlsEngine() {
                return engine;
            }
        };
    }
}
