package org.socsecgateway.bcssproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.bcssproxy.SimulatedPartners.PAYROLL;

import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.socsecgateway.bcssproxy.SimulatedPartners.InjectBcss;
import org.socsecgateway.bcssproxy.SimulatedPartners.Partners;
import org.socsecgateway.simulators.pki.LocalPki;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * The same refusals over HTTP/2 (TLS with ALPN, as an operator can enable it): hostile paths and targets that are
 * not URIs are 400 problem+json on the stream, made-up methods open no metric series, and no ERROR line is written.
 */
@QuarkusTest
@TestProfile(Http2EdgeTest.Tls.class)
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class Http2EdgeTest {

    /** The proxy's listener with TLS (a certificate from the simulators' local PKI) next to the plain one. */
    public static class Tls implements QuarkusTestProfile {

        static final LocalPki PKI = LocalPki.create(Path.of("target", "http2-edge-pki"));

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.tls.proxy-listener.key-store.pem.0.cert", PKI.serverCert().toString(),
                    "quarkus.tls.proxy-listener.key-store.pem.0.key", PKI.serverKey().toString(),
                    "quarkus.http.tls-configuration-name", "proxy-listener",
                    "quarkus.http.test-ssl-port", "0");
        }
    }

    @InjectBcss
    Partners bcss;

    @Inject
    Vertx vertx;

    @TestHTTPResource(value = "/", tls = true)
    URL tlsRoot;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private final ErrorLines errors = new ErrorLines();
    private HttpClient client;

    @BeforeEach
    void connect() {
        errors.start();
        client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setSsl(true).setUseAlpn(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(Tls.PKI.serverCert().toString())).setVerifyHost(true));
    }

    @AfterEach
    void close() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        errors.stop();
        assertThat(errors.lines()).isEmpty();
    }

    private record Answer(HttpVersion version, int status, String contentType, String body) {
    }

    private Answer send(HttpMethod method, String target, String body) throws Exception {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("localhost").setPort(tlsRoot.getPort())
                .setURI(target).putHeader("Authorization", "Bearer " + bcss.callerToken(PAYROLL))
                .putHeader("Content-Type", "application/json");
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose((HttpClientResponse response) -> response.body().map(content -> new Answer(response.version(),
                        response.statusCode(), response.getHeader("Content-Type"), content.toString())))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static double refused(String text, String reason) {
        Matcher m = Pattern.compile("(?m)^proxy_refused_total\\{reason=\"" + Pattern.quote(reason) + "\"\\} (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = ' ', value = {
            "GET /v1/bcss/demo/..;/other/x path_dot_segment",
            "GET /v1/bcss/demo/%c0%ae%c0%ae/other/x path_encoding",
            "GET /v1/bcss/demo/%u002e%u002e/other/x path_encoding",
            "GET /v1/bcss/demo/v1\\organizations path_character",
            "POST /v1/bcss/demo/..;/other/x path_dot_segment",
            "GET /v1/connectivity%u002e -",
            "GET /v1/connectivity\\x -" })
    void refusedOnTheStreamWithProblemJson(String method, String target, String reason) throws Exception {
        long upstreamBefore = bcss.gateway().stats().requests();
        double before = reason.equals("-") ? 0 : refused(given().get(metrics).asString(), reason);

        Answer answer = send(HttpMethod.valueOf(method), target, method.equals("POST") ? "{\"ssin\":\"" + ProxyTest.SSIN + "\"}" : null);

        assertThat(answer.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("\"status\":400");
        assertThat(bcss.gateway().stats().requests()).isEqualTo(upstreamBefore);
        if (!reason.equals("-")) {
            assertThat(refused(given().get(metrics).asString(), reason)).isEqualTo(before + 1);
        }
    }

    @ParameterizedTest
    @CsvSource({ "FOO2", "BREW2" })
    void madeUpMethodsAreTaggedOther(String method) throws Exception {
        Answer answer = send(HttpMethod.valueOf(method), "/v1/bcss/demo/v1/organizations/1", null);
        assertThat(answer.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(given().get(metrics).asString()).doesNotContain(method);
    }
}
