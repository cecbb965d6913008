package org.socsecgateway.bcssproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.socsecgateway.bcssproxy.SimulatedPartners.PAYROLL;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.bcssproxy.SimulatedPartners.InjectBcss;
import org.socsecgateway.bcssproxy.SimulatedPartners.Partners;
import org.socsecgateway.common.testing.LogCapture;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Upstream failures become 502/504 problems; repeated ones open the API's circuit, which closes again on recovery.
 * Every way a half-open trial call can end settles the circuit: none leaves it refusing calls for ever.
 */
@QuarkusTest
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class BreakerTest {

    @InjectBcss
    Partners bcss;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL readiness;

    @AfterEach
    void clearFaults() throws InterruptedException {
        bcss.gateway().faults().clear();
        awaitDemoStatus(200); // leave the circuit closed for the next test
    }

    @Test
    void upstreamDownGives502ThenOpensTheCircuitThenRecovers() throws Exception {
        awaitDemoStatus(200);
        bcss.gateway().faults().failAlways(503);
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(bcss.callerToken(PAYROLL)).get("/v1/bcss/demo/v1/organizations/5")
                    .then().statusCode(502).contentType("application/problem+json")
                    .body("type", equalTo("urn:problem-type:belgif:badGateway"))
                    .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("localhost")));
        }
        long before = bcss.gateway().stats().requests();
        given().auth().oauth2(bcss.callerToken(PAYROLL)).get("/v1/bcss/demo/v1/organizations/5")
                .then().statusCode(503).header("Retry-After", notNullValue())
                .body("type", equalTo("urn:problem-type:belgif:serviceUnavailable"));
        assertThat(bcss.gateway().stats().requests()).as("an open circuit does not call upstream").isEqualTo(before);
        assertThat(given().get(metrics).asString()).contains("proxy_breaker_state{api=\"demo\"} 1.0");
        assertThat(given().get(readiness).asString()).contains("open");

        bcss.gateway().faults().clear();
        awaitDemoStatus(200);
        String text = given().get(metrics).asString();
        assertThat(text).contains("proxy_breaker_state{api=\"demo\"} 0.0");
        assertThat(text).containsPattern("proxy_client_certificate_days_left [1-9]");
        assertThat(text).contains("proxy_requests_seconds_count{api=\"demo\",method=\"GET\",status=\"502\"}");
    }

    @Test
    void aDroppedConnectionIs502AndItsWarningCarriesTheCallsCorrelationId() {
        String correlationId = java.util.UUID.randomUUID().toString();
        LogCapture log = new LogCapture();
        log.start();
        try {
            bcss.gateway().faults().dropConnections(1);
            given().auth().oauth2(bcss.callerToken(PAYROLL)).header("X-Correlation-Id", correlationId)
                    .get("/v1/bcss/demo/v1/organizations/6")
                    .then().statusCode(502).body("type", equalTo("urn:problem-type:belgif:badGateway"));
            // so that an operator can find the caller's request from the WARN line
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> log.lines().stream()
                    .anyMatch(line -> line.contains("Call to BCSS API 'demo' failed") && line.contains(correlationId)));
        } finally {
            log.stop();
        }
    }

    @Test
    void aSlowUpstreamIs504() {
        bcss.gateway().faults().latency(java.time.Duration.ofSeconds(5)); // the demo API's timeout is 3 s
        given().auth().oauth2(bcss.callerToken(PAYROLL)).get("/v1/bcss/demo/v1/organizations/7")
                .then().statusCode(504).body("type", equalTo("urn:problem-type:belgif:gatewayTimeout"));
    }

    /** The sequence: 503 x3 opens; the trial gets a 401; faults cleared: calls reach BCSS, the circuit closes. */
    @Test
    void aTrialAnsweredWith401ClosesTheCircuit() throws Exception {
        openTheCircuitAndAwaitHalfOpen();
        bcss.gateway().faults().clear().failNext(401, 2); // the call and its one retry with a fresh token

        given().auth().oauth2(bcss.callerToken(PAYROLL)).get("/v1/bcss/demo/v1/organizations/5")
                .then().statusCode(401).body("type", equalTo("urn:problem-type:belgif:invalidAccessToken"));

        assertClosedAndReachingBcss();
    }

    @Test
    void aTrialEndingWithATokenBrokerFailureDoesNotStrandTheCircuit() throws Exception {
        openTheCircuitAndAwaitHalfOpen();
        // The trial's token is refused by the gateway; the fresh one cannot be had: Smals is down.
        bcss.gateway().faults().clear().failNext(401, 1);
        bcss.oauth().faults().failAlways(503);
        try {
            int status = given().auth().oauth2(bcss.callerToken(PAYROLL)).get("/v1/bcss/demo/v1/organizations/5").statusCode();
            assertThat(status).as("the broker had no token").isIn(502, 503);
        } finally {
            bcss.oauth().faults().clear();
        }
        assertThat(metric("proxy_breaker_state\\{api=\"demo\"}")).as("not open again: the broker is not BCSS").isNotEqualTo(1.0);
        // The broker may back off a little after Smals failed; then every call must reach BCSS again.
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() ->
                given().auth().oauth2(bcss.callerToken(PAYROLL)).get("/v1/bcss/demo/v1/organizations/5").statusCode() == 200);
        assertClosedAndReachingBcss();
    }

    @Test
    void aTrialAbandonedByItsCallerClosesTheCircuitAndFreesItsPlace() throws Exception {
        openTheCircuitAndAwaitHalfOpen();
        bcss.gateway().faults().clear().latency(Duration.ofSeconds(2));
        long before = bcss.gateway().stats().requests();
        try (Socket socket = new Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/bcss/demo/v1/organizations/5 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + bcss.callerToken(PAYROLL) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> bcss.gateway().stats().requests() > before);
        } // the caller gives up while BCSS is still working on the trial
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> metric("proxy_upstream_in_flight\\{api=\"demo\"}") == 0.0);
        assertThat(metric("proxy_breaker_state\\{api=\"demo\"}")).as("a caller's abort is not a BCSS failure").isZero();
        bcss.gateway().faults().clear();
        assertClosedAndReachingBcss();
    }

    @Test
    void callersThatAbortDoNotOpenTheCircuit() throws Exception {
        awaitDemoStatus(200);
        bcss.gateway().faults().latency(Duration.ofSeconds(2));
        for (int i = 0; i < 4; i++) { // more than the failure threshold (3)
            long before = bcss.gateway().stats().requests();
            try (Socket socket = new Socket("127.0.0.1", io.restassured.RestAssured.port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /v1/bcss/demo/v1/organizations/9 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + bcss.callerToken(PAYROLL) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> bcss.gateway().stats().requests() > before);
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> metric("proxy_upstream_in_flight\\{api=\"demo\"}") == 0.0);
        assertThat(metric("proxy_breaker_state\\{api=\"demo\"}")).isZero();
        bcss.gateway().faults().clear();
        given().auth().oauth2(bcss.callerToken(PAYROLL)).get("/v1/bcss/demo/v1/organizations/9").then().statusCode(200);
    }

    /** 503 x3 (the test's failure threshold) opens the circuit; its open period (2 s) then ends by itself. */
    private void openTheCircuitAndAwaitHalfOpen() throws Exception {
        awaitDemoStatus(200);
        bcss.gateway().faults().failAlways(503);
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(bcss.callerToken(PAYROLL)).get("/v1/bcss/demo/v1/organizations/5").then().statusCode(502);
        }
        given().auth().oauth2(bcss.callerToken(PAYROLL)).get("/v1/bcss/demo/v1/organizations/5").then().statusCode(503)
                .body("detail", org.hamcrest.Matchers.containsString("circuit open"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> metric("proxy_breaker_state\\{api=\"demo\"}") == 2.0);
        assertThat(given().get(readiness).asString()).contains("half_open");
    }

    private void assertClosedAndReachingBcss() {
        for (int i = 0; i < 3; i++) {
            long before = bcss.gateway().stats().requests();
            given().auth().oauth2(bcss.callerToken(PAYROLL)).get("/v1/bcss/demo/v1/organizations/5").then().statusCode(200);
            assertThat(bcss.gateway().stats().requests()).as("reached BCSS").isEqualTo(before + 1);
        }
        assertThat(metric("proxy_breaker_state\\{api=\"demo\"}")).isZero();
        assertThat(given().get(readiness).asString()).contains("closed");
    }

    private double metric(String nameAndLabels) {
        Matcher value = Pattern.compile("(?m)^" + nameAndLabels + " ([0-9.eE+-]+)$").matcher(given().get(metrics).asString());
        assertThat(value.find()).as(nameAndLabels).isTrue();
        return Double.parseDouble(value.group(1));
    }

    private void awaitDemoStatus(int status) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(30); // the first call may wait for a cold token broker
        int last = 0;
        while (Instant.now().isBefore(end)) {
            last = given().auth().oauth2(bcss.callerToken(PAYROLL)).get("/v1/bcss/demo/v1/organizations/8").statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(250);
        }
        assertThat(last).isEqualTo(status);
    }
}
