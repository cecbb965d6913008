package org.socsecgateway.simulators.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.socsecgateway.simulators.TestAssertion;
import org.socsecgateway.simulators.TestHttp;
import org.socsecgateway.simulators.TestTokens;
import org.socsecgateway.simulators.oauth.BcssOAuthSimulator;
import org.socsecgateway.simulators.pki.LocalPki;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.socsecgateway.simulators.TestTokens.CONSULT;
import static org.socsecgateway.simulators.TestTokens.UPDATE;

class GatewayFaultsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ORGANIZATION = "/v1/organizations/42";

    @TempDir
    static Path dir;

    static LocalPki pki;
    static BcssOAuthSimulator oauth;
    static BcssGatewaySimulator gateway;
    static HttpClient http;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        pki = LocalPki.create(dir);
        oauth = BcssOAuthSimulator.builder().tls(pki.serverCert(), pki.serverKey()).build().start()
                .registerClient(TestTokens.CLIENT, pki.signingCert(), Set.of(CONSULT, UPDATE), Set.of(CONSULT));
        gateway = BcssGatewaySimulator.builder().tls(pki.serverCert(), pki.serverKey()).authorizationServer(oauth)
                .build().start();
        http = TestHttp.trusting(pki.serverTruststoreP12(), pki.password());
        token = TestTokens.request(http, oauth, TestAssertion.readKey(pki.signingKey()), CONSULT + " " + UPDATE);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        oauth.close();
    }

    @AfterEach
    void clear() {
        gateway.faults().clear();
        gateway.stats().reset();
    }

    @Test
    void latencyDelaysApiCallsButNotHealth() throws Exception {
        // A long latency, so that a slow build machine cannot make the undelayed health call look delayed.
        Duration latency = Duration.ofMillis(1500);
        gateway.faults().latency(latency);

        long start = System.nanoTime();
        HttpResponse<String> response = call(ORGANIZATION);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(elapsed).isGreaterThanOrEqualTo(latency);

        start = System.nanoTime();
        assertThat(health().statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(latency);
    }

    @Test
    void failNextAnswersBelgifProblemsThatManyTimesThenRecovers() throws Exception {
        gateway.faults().failNext(503, 2);

        assertThat(health().statusCode()).isEqualTo(200); // health is not an API operation
        BcssGatewaySimulatorTest.assertProblem(call(ORGANIZATION), 503, "serviceUnavailable", "/demo" + ORGANIZATION);
        BcssGatewaySimulatorTest.assertProblem(call(ORGANIZATION), 503, "serviceUnavailable", "/demo" + ORGANIZATION);
        assertThat(call(ORGANIZATION).statusCode()).isEqualTo(200);
        assertThat(gateway.faults().failRemaining()).isZero();

        gateway.faults().failNext(500, 1);
        BcssGatewaySimulatorTest.assertProblem(call(ORGANIZATION), 500, "internalServerError", "/demo" + ORGANIZATION);
        gateway.faults().failNext(502, 1);
        BcssGatewaySimulatorTest.assertProblem(call(ORGANIZATION), 502, "badGateway", "/demo" + ORGANIZATION);
    }

    @Test
    void failAlwaysTakesHealthDownUntilCleared() throws Exception {
        gateway.faults().failAlways(500);

        assertThat(call(ORGANIZATION).statusCode()).isEqualTo(500);
        assertThat(call(ORGANIZATION).statusCode()).isEqualTo(500);
        HttpResponse<String> down = health();
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(down.body()).get("status").asText()).isEqualTo("DOWN");

        gateway.faults().clear();

        assertThat(call(ORGANIZATION).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health().body()).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void tooManyRequestsAnswers429WithRetryAfter() throws Exception {
        gateway.faults().tooManyRequests(2, Duration.ofMillis(2500));

        HttpResponse<String> throttled = call(ORGANIZATION);
        JsonNode problem = BcssGatewaySimulatorTest.assertProblem(throttled, 429, "tooManyRequests",
                "/demo" + ORGANIZATION);
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("3"); // whole seconds, rounded up
        assertThat(health().statusCode()).isEqualTo(200);
        assertThat(call(ORGANIZATION).statusCode()).isEqualTo(429);
        assertThat(call(ORGANIZATION).statusCode()).isEqualTo(200);
    }

    @Test
    void droppedConnectionsGiveTheClientAnIoException() throws Exception {
        gateway.faults().dropConnections(1);
        HttpClient fresh = TestHttp.trusting(pki.serverTruststoreP12(), pki.password());
        HttpRequest search = HttpRequest.newBuilder(URI.create(gateway.baseUrl("demo") + "/v1/persons/search"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ssin\":\"85073003328\"}"))
                .build();

        assertThat(health().statusCode()).isEqualTo(200); // not dropped
        assertThatThrownBy(() -> fresh.send(search, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(ConnectException.class);

        assertThat(gateway.faults().dropConnectionsRemaining()).isZero();
        assertThat(fresh.send(search, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        List<Integer> statuses = gateway.stats().recent().stream().map(RecordedRequest::status).toList();
        assertThat(statuses).containsExactly(200, 0, 200);
    }

    @Test
    void aBrokenOffAnswerEndsWithoutItsTerminatingChunk() throws Exception {
        gateway.faults().breakOffAnswers(1);
        HttpClient fresh = TestHttp.trusting(pki.serverTruststoreP12(), pki.password());
        HttpRequest document = HttpRequest.newBuilder(URI.create(gateway.baseUrl("demo") + "/v1/documents/1048576"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .GET().build();

        assertThatThrownBy(() -> fresh.send(document, HttpResponse.BodyHandlers.ofByteArray()))
                .isInstanceOf(IOException.class);

        assertThat(gateway.faults().breakOffAnswersRemaining()).isZero();
        HttpResponse<byte[]> whole = fresh.send(document, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).hasSize(1048576);
    }

    @Test
    void faultsComeBeforeTheTokenCheck() throws Exception {
        gateway.faults().failNext(503, 1);

        HttpResponse<String> anonymous = TestHttp.get(http, gateway.baseUrl("demo") + ORGANIZATION);

        assertThat(anonymous.statusCode()).isEqualTo(503);
        assertThat(TestHttp.get(http, gateway.baseUrl("demo") + ORGANIZATION).statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> call(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl("demo") + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> health() throws Exception {
        return TestHttp.get(http, gateway.baseUrl("demo") + "/health");
    }
}
