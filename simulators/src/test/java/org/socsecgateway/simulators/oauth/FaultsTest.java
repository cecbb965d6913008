package org.socsecgateway.simulators.oauth;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.socsecgateway.simulators.TestAssertion;
import org.socsecgateway.simulators.TestHttp;
import org.socsecgateway.simulators.pki.LocalPki;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultsTest {

    static final String CLIENT = "partenaire:federal:service:bus:client:confidential";
    static final String CONSULT = "scope:cbss:api:demo:consult";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static BcssOAuthSimulator sim;
    static HttpClient http;
    static PrivateKey signingKey;
    static LocalPki pki;

    @BeforeAll
    static void start() throws Exception {
        pki = LocalPki.create(dir);
        signingKey = TestAssertion.readKey(pki.signingKey());
        sim = BcssOAuthSimulator.builder().tls(pki.serverCert(), pki.serverKey()).build().start()
                .registerClient(CLIENT, pki.signingCert(), Set.of(CONSULT), Set.of(CONSULT));
        http = TestHttp.trusting(pki.serverTruststoreP12(), pki.password());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void clear() {
        sim.faults().clear();
        sim.stats().reset();
    }

    @Test
    void failNextAnswersTheStatusThatManyTimesThenRecovers() throws Exception {
        sim.faults().failNext(503, 2);

        HttpResponse<String> first = requestToken();
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(first.body()).get("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(requestToken().statusCode()).isEqualTo(503);
        assertThat(requestToken().statusCode()).isEqualTo(200);

        assertThat(sim.stats().tokenRequests()).isEqualTo(3);
        assertThat(sim.stats().issued()).isEqualTo(1);
        assertThat(sim.stats().errors()).containsExactly("temporarily_unavailable", "temporarily_unavailable");
        assertThat(sim.faults().failRemaining()).isZero();
    }

    @Test
    void failAlwaysLastsUntilCleared() throws Exception {
        sim.faults().failAlways(500);
        assertThat(requestToken().statusCode()).isEqualTo(500);
        assertThat(requestToken().statusCode()).isEqualTo(500);
        assertThat(TestHttp.get(http, sim.metadataUrl()).statusCode()).isEqualTo(200); // metadata unaffected

        sim.faults().clear();

        assertThat(requestToken().statusCode()).isEqualTo(200);
    }

    @Test
    void latencyDelaysTokenAnswers() throws Exception {
        sim.faults().latency(Duration.ofMillis(400));

        long start = System.nanoTime();
        HttpResponse<String> response = requestToken();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void tokenLifetimeChangesExpiresIn() throws Exception {
        sim.faults().tokenLifetime(Duration.ofSeconds(42));

        HttpResponse<String> response = requestToken();

        assertThat(JSON.readTree(response.body()).get("expires_in").asLong()).isEqualTo(42);
    }

    @Test
    void expiresInJsonIsSentVerbatimAndClearedWithTheOtherFaults() throws Exception {
        for (String raw : new String[] { "1e12", "9223372036854775807", "-5", "0", "3599.5", "\"3600\"", "null" }) {
            sim.faults().expiresInJson(raw);

            HttpResponse<String> response = requestToken();

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"expires_in\":" + raw);
            assertThat(JSON.readTree(response.body()).get("access_token").asText()).isNotBlank();
        }
        sim.faults().clear();
        assertThat(JSON.readTree(requestToken().body()).get("expires_in").isIntegralNumber()).isTrue();
    }

    @Test
    void omitExpiresInLeavesTheMemberOut() throws Exception {
        sim.faults().omitExpiresIn(true);

        HttpResponse<String> response = requestToken();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).has("expires_in")).isFalse();
    }

    @Test
    void injectedFailuresCarryRetryAfterWhenSet() throws Exception {
        sim.faults().failNext(429, 1).retryAfter("7");
        HttpResponse<String> throttled = requestToken();
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("7");

        HttpResponse<String> fine = requestToken();
        assertThat(fine.statusCode()).isEqualTo(200);
        assertThat(fine.headers().firstValue("Retry-After")).isEmpty();

        sim.faults().clear().failNext(503, 1);
        assertThat(requestToken().headers().firstValue("Retry-After")).isEmpty();
    }

    @Test
    void aSkewedClockJudgesAssertionsAndDatesAnswersByItself() throws Exception {
        HttpResponse<String> normal = requestToken();
        assertThat(normal.statusCode()).isEqualTo(200);
        assertThat(dateOf(normal)).isBetween(Instant.now().minusSeconds(5), Instant.now().plusSeconds(5));

        sim.faults().clockSkew(Duration.ofMinutes(-10)); // the server is 10 minutes behind: our iat is in its future
        HttpResponse<String> refused = requestToken();

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(refused.body()).get("error_description").asText()).contains("iat is in the future");
        assertThat(dateOf(refused)).isBetween(Instant.now().minusSeconds(605), Instant.now().minusSeconds(595));
    }

    private static Instant dateOf(HttpResponse<String> response) {
        return ZonedDateTime.parse(response.headers().firstValue("Date").orElseThrow(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }

    @Test
    void refusedConnectionsComeBackOnTheSamePort() throws Exception {
        int port = sim.port();
        assertThat(requestToken().statusCode()).isEqualTo(200);

        sim.faults().refuseConnections(true);

        // A new client, so the connection kept alive by the call above (dropped, but perhaps not noticed yet) is not
        // reused: what is shown is that new connections are refused.
        HttpClient fresh = TestHttp.trusting(pki.serverTruststoreP12(), pki.password());
        assertThatThrownBy(() -> requestToken(fresh)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> TestHttp.get(fresh, sim.metadataUrl())).isInstanceOf(ConnectException.class);

        sim.faults().refuseConnections(false);

        assertThat(sim.port()).isEqualTo(port);
        assertThat(requestToken().statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> requestToken() throws Exception {
        return requestToken(http);
    }

    private static HttpResponse<String> requestToken(HttpClient client) throws Exception {
        return BcssOAuthSimulatorTest.requestToken(client, sim.tokenEndpoint(),
                TestAssertion.of(CLIENT, sim.tokenEndpoint(), signingKey).sign(), Map.of());
    }
}
