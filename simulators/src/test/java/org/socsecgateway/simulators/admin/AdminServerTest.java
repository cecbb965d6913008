package org.socsecgateway.simulators.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.socsecgateway.simulators.TestAssertion;
import org.socsecgateway.simulators.TestHttp;
import org.socsecgateway.simulators.TestTokens;
import org.socsecgateway.simulators.gateway.BcssGatewaySimulator;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.oauth.BcssOAuthSimulator;
import org.socsecgateway.simulators.pki.LocalPki;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AdminServerTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static BcssOAuthSimulator oauth;
    static CallerTokenIssuer callers;
    static BcssGatewaySimulator gateway;
    static AdminServer admin;
    static HttpClient http = TestHttp.plain();
    static LocalPki pki;

    @BeforeAll
    static void start() {
        pki = LocalPki.create(dir);
        oauth = BcssOAuthSimulator.builder().tls(pki.serverCert(), pki.serverKey()).build().start()
                .registerClient(TestTokens.CLIENT, pki.signingCert(), Set.of(TestTokens.CONSULT),
                        Set.of(TestTokens.CONSULT));
        callers = CallerTokenIssuer.builder().tls(pki.serverCert(), pki.serverKey()).build().start();
        gateway = BcssGatewaySimulator.builder().tls(pki.serverCert(), pki.serverKey()).authorizationServer(oauth)
                .build().start();
        admin = new AdminServer(oauth, callers, gateway, 0).start();
    }

    @AfterAll
    static void stop() {
        admin.close();
        gateway.close();
        callers.close();
        oauth.close();
    }

    @AfterEach
    void clear() {
        oauth.faults().clear();
        gateway.faults().clear();
    }

    @Test
    void listensOnLoopbackAndIsHealthy() throws Exception {
        assertThat(admin.url()).isEqualTo("http://127.0.0.1:" + admin.port());
        HttpResponse<String> response = TestHttp.get(http, admin.url() + "/admin/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void mintsCallerTokens() throws Exception {
        HttpResponse<String> response = send("POST", "/admin/caller-tokens",
                "{\"subject\":\"system:serviceaccount:socsec:bench\",\"audience\":\"token-broker\",\"ttlSeconds\":120}");

        assertThat(response.statusCode()).isEqualTo(200);
        String token = JSON.readTree(response.body()).get("access_token").asText();
        JwtClaims claims = new JwtConsumerBuilder() // content only: CallerTokenIssuerTest covers the signature
                .setSkipSignatureVerification()
                .setExpectedAudience("token-broker")
                .build()
                .processToClaims(token);
        assertThat(claims.getIssuer()).isEqualTo(callers.issuer());
        assertThat(claims.getSubject()).isEqualTo("system:serviceaccount:socsec:bench");
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isEqualTo(120);
    }

    @Test
    void setsReadsAndClearsFaults() throws Exception {
        HttpResponse<String> put = send("PUT", "/admin/oauth/faults",
                "{\"latencyMs\":250,\"failStatus\":503,\"failCount\":2,\"tokenLifetimeSeconds\":30}");

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(oauth.faults().latency()).isEqualTo(Duration.ofMillis(250));
        assertThat(oauth.faults().failStatus()).isEqualTo(503);
        assertThat(oauth.faults().failRemaining()).isEqualTo(2);
        assertThat(oauth.faults().tokenLifetime()).isEqualTo(Duration.ofSeconds(30));
        JsonNode read = JSON.readTree(TestHttp.get(http, admin.url() + "/admin/oauth/faults").body());
        assertThat(read.get("latencyMs").asLong()).isEqualTo(250);
        assertThat(read.get("failCount").asInt()).isEqualTo(2);
        assertThat(read.get("refuseConnections").asBoolean()).isFalse();

        send("PUT", "/admin/oauth/faults", "{\"failStatus\":500,\"failCount\":-1,\"refuseConnections\":true}");
        assertThat(oauth.faults().failRemaining()).isEqualTo(-1);
        assertThat(oauth.faults().refusingConnections()).isTrue();
        assertThat(oauth.faults().latency()).isZero(); // PUT replaces the whole state

        assertThat(send("DELETE", "/admin/oauth/faults", null).statusCode()).isEqualTo(200);
        assertThat(oauth.faults().failRemaining()).isZero();
        assertThat(oauth.faults().refusingConnections()).isFalse();
        assertThat(oauth.faults().tokenLifetime()).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void reportsAndResetsStats() throws Exception {
        JsonNode stats = JSON.readTree(TestHttp.get(http, admin.url() + "/admin/oauth/stats").body());
        assertThat(stats.has("tokenRequests")).isTrue();
        assertThat(stats.get("errors").isArray()).isTrue();

        assertThat(send("DELETE", "/admin/oauth/stats", null).statusCode()).isEqualTo(200);
        assertThat(oauth.stats().tokenRequests()).isZero();
    }

    @Test
    void answersProblemDetailsToBadJsonAndBadValues() throws Exception {
        assertProblem(send("PUT", "/admin/oauth/faults", "{not json"));
        assertProblem(send("PUT", "/admin/oauth/faults", "{\"latency\":5}")); // unknown field: a typo
        assertProblem(send("PUT", "/admin/oauth/faults", "{\"failCount\":1}")); // no status
        assertProblem(send("POST", "/admin/caller-tokens", "{\"subject\":\"x\"}"));
        assertProblem(send("POST", "/admin/caller-tokens", ""));
        assertProblem(send("POST", "/admin/caller-tokens", " null "));
        assertThat(oauth.faults().latency()).isZero();
    }

    @Test
    void setsReadsAndClearsGatewayFaults() throws Exception {
        HttpResponse<String> put = send("PUT", "/admin/gateway/faults", "{\"latencyMs\":150,\"failStatus\":503,"
                + "\"failCount\":2,\"tooManyRequests\":3,\"retryAfterSeconds\":7,\"dropConnections\":1}");

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(gateway.faults().latency()).isEqualTo(Duration.ofMillis(150));
        assertThat(gateway.faults().failStatus()).isEqualTo(503);
        assertThat(gateway.faults().failRemaining()).isEqualTo(2);
        assertThat(gateway.faults().tooManyRequestsRemaining()).isEqualTo(3);
        assertThat(gateway.faults().retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(gateway.faults().dropConnectionsRemaining()).isEqualTo(1);
        JsonNode read = JSON.readTree(TestHttp.get(http, admin.url() + "/admin/gateway/faults").body());
        assertThat(read.get("latencyMs").asLong()).isEqualTo(150);
        assertThat(read.get("failCount").asInt()).isEqualTo(2);
        assertThat(read.get("tooManyRequests").asInt()).isEqualTo(3);
        assertThat(read.get("retryAfterSeconds").asLong()).isEqualTo(7);
        assertThat(read.get("dropConnections").asInt()).isEqualTo(1);

        send("PUT", "/admin/gateway/faults", "{\"failStatus\":500,\"failCount\":-1}");
        assertThat(gateway.faults().failRemaining()).isEqualTo(-1);
        assertThat(gateway.faults().latency()).isZero(); // PUT replaces the whole state
        assertThat(gateway.faults().tooManyRequestsRemaining()).isZero();
        assertThat(gateway.faults().dropConnectionsRemaining()).isZero();

        assertProblem(send("PUT", "/admin/gateway/faults", "{\"dropConnections\":-1}"));
        assertProblem(send("PUT", "/admin/gateway/faults", "{\"failCount\":2}"));
        assertThat(gateway.faults().failRemaining()).isEqualTo(-1); // unchanged by the rejected PUTs

        assertThat(send("DELETE", "/admin/gateway/faults", null).statusCode()).isEqualTo(200);
        assertThat(gateway.faults().failRemaining()).isZero();
    }

    @Test
    void reportsAndResetsGatewayStats() throws Exception {
        TestHttp.get(http(), gateway.baseUrl("demo") + "/health");

        JsonNode stats = JSON.readTree(TestHttp.get(http, admin.url() + "/admin/gateway/stats").body());
        assertThat(stats.get("requests").asLong()).isPositive();

        HttpResponse<String> reset = send("DELETE", "/admin/gateway/stats", null);
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(reset.body()).get("requests").asLong()).isZero();
        assertThat(gateway.stats().requests()).isZero();
    }

    @Test
    void revokesAllTokens() throws Exception {
        String token = TestTokens.request(http(), oauth, TestAssertion.readKey(pki.signingKey()), null);
        assertThat(oauth.introspect(token)).isPresent();

        assertThat(send("POST", "/admin/oauth/revoke-all", null).statusCode()).isEqualTo(204);

        assertThat(oauth.introspect(token)).isEmpty();
        assertThat(oauth.find(token).orElseThrow().revoked()).isTrue();
    }

    @Test
    void hasNoGatewayResourcesWithoutAGateway() throws Exception {
        try (AdminServer withoutGateway = new AdminServer(oauth, callers, 0).start()) {
            assertThat(TestHttp.get(http, withoutGateway.url() + "/admin/gateway/faults").statusCode()).isEqualTo(404);
        }
    }

    private static HttpClient http() {
        return TestHttp.trusting(pki.serverTruststoreP12(), pki.password());
    }

    private static void assertProblem(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("type").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static HttpResponse<String> send(String method, String path, String json) throws Exception {
        return TestHttp.send(http, admin.url() + path, method, json == null ? null : "application/json", json);
    }
}
