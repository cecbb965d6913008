package org.socsecgateway.bcssproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.socsecgateway.bcssproxy.SimulatedPartners.PAYROLL;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.socsecgateway.bcssproxy.SimulatedPartners.InjectBcss;
import org.socsecgateway.bcssproxy.SimulatedPartners.Partners;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Requests that Vert.x or Quarkus refuse before any route of the proxy: every answer is problem+json, and no ERROR
 * line (with or without a stack trace) is written for them.
 */
@QuarkusTest
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class EdgeErrorTest {

    @InjectBcss
    Partners bcss;

    private final ErrorLines errors = new ErrorLines();

    @BeforeEach
    void listen() {
        errors.start();
    }

    @AfterEach
    void noErrorLines() {
        errors.stop();
        assertThat(errors.lines()).isEmpty();
    }

    /** {@code %u002e} and a backslash; siblings on the other entry points and other malformed parts. */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = ' ', value = {
            "GET /v1/connectivity%u002e 400",
            "GET /v1/connectivity\\x 400",
            "GET /q/openapi%u002e%u002e 400",
            "GET /v1/nothing-here/%u002e 400",
            "GET /v1/nothing-here\\..\\q 400",
            "GET /v1/a|b 400",
            "GET /v1/nothing-here 404",
            "OPTIONS * 404" })
    void answeredWithProblemJson(String method, String target, int status) throws Exception {
        RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + bcss.callerToken(PAYROLL) + "\r\nConnection: close\r\n\r\n");
        assertThat(exchange.status()).as(exchange.text()).isEqualTo(status);
        assertThat(exchange.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(exchange.body()).contains("\"status\":" + status, "\"title\":");
    }

    @Test
    void aRequestWithoutHostIsProblemJsonWithoutStackOrErrorLine() throws Exception {
        for (String target : new String[] { "/v1/bcss/demo/v1/organizations/1", "/v1/connectivity" }) {
            RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, "GET " + target + " HTTP/1.1\r\nConnection: close\r\n\r\n");
            assertThat(exchange.status()).as(exchange.text()).isEqualTo(400);
            assertThat(exchange.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(exchange.body()).contains("Host").doesNotContain("stack", "Exception", "Error id");
        }
    }

    /**
     * HTTP/2 with prior knowledge on the cleartext port, which offers only HTTP/1.1: refused (Vert.x answers 501 to
     * the unknown version and closes) without any ERROR line on the server. An HTTP/2 client in the same JVM would
     * log its own ERROR ("First received frame was not SETTINGS") on reading that answer; that line is the
     * client's, so the attempt is made byte for byte here.
     */
    @Test
    void h2cPriorKnowledgeIsRefusedQuietly() throws Exception {
        ByteArrayOutputStream attempt = new ByteArrayOutputStream();
        attempt.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        attempt.write(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 }); // empty SETTINGS frame
        attempt.write(new byte[] { 0, 0, 4, 8, 0, 0, 0, 0, 0, 0, 0x0f, 0, 1 }); // WINDOW_UPDATE
        RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, attempt.toByteArray());
        assertThat(exchange.closed()).isTrue();
        assertThat(exchange.status() < 200 || exchange.status() >= 400).as(exchange.text()).isTrue();
        // An ERROR would be written once the connection is gone: give it the time to appear.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> errors.lines().isEmpty());
    }
}
