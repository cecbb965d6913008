package org.socsecgateway.bcssproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.socsecgateway.bcssproxy.SimulatedPartners.InjectBcss;
import org.socsecgateway.bcssproxy.SimulatedPartners.Partners;
import org.socsecgateway.common.testing.LogCapture;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Paths another server could read differently ({@code ..;}, overlong UTF-8, {@code %u} escapes, encoded
 * delimiters): refused with 400 problem+json before anything is sent, with the reason in the audit line (and the
 * caller, or {@code -}) and in {@code proxy_refused_total}.
 */
@QuarkusTest
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class HostilePathTest {

    @InjectBcss
    Partners bcss;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private final LogCapture log = new LogCapture();
    private final ErrorLines errors = new ErrorLines();

    @BeforeEach
    void listen() {
        log.start();
        errors.start();
    }

    @AfterEach
    void stopListening() {
        log.stop();
        errors.stop();
        assertThat(errors.lines()).isEmpty();
    }

    /** A caller of its own per test: refusal lines are limited per reason and caller. */
    private String callerToken(String subject) {
        return bcss.issuer().mint(subject, "bcss-proxy", Duration.ofMinutes(5));
    }

    private static String uniqueSubject() {
        return "system:serviceaccount:apps:probe-" + UUID.randomUUID();
    }

    private List<String> auditLines(String needle) {
        return log.lines().stream().filter(line -> line.startsWith("audit ") && line.contains(needle)).toList();
    }

    private double refused(String reason) {
        String text = given().get(metrics).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^proxy_refused_total\\{reason=\"" + Pattern.quote(reason) + "\"\\} (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ' ', value = {
            "/v1/bcss/demo/..;/other/x path_dot_segment",
            "/v1/bcss/demo/v1/..;x/organizations/1 path_dot_segment",
            "/v1/bcss/demo/.;/v1/organizations/1 path_dot_segment",
            "/v1/bcss/demo/%2e%2e;/other/x path_dot_segment",
            "/v1/bcss/..;/demo/v1/organizations/1 path_dot_segment",
            "/v1/bcss/demo/v1/organizations;jsessionid=1/1 path_parameter",
            "/v1/bcss/demo/v1/organizations/1;x path_parameter",
            "/v1/bcss/demo/%c0%ae%c0%ae/other/x path_encoding",
            "/v1/bcss/demo/%e0%80%ae%e0%80%ae/other/x path_encoding",
            "/v1/bcss/demo/%f0%80%80%ae/x path_encoding",
            "/v1/bcss/demo/%c0%af/x path_encoding",
            "/v1/bcss/demo/%u002e%u002e/other/x path_encoding",
            "/v1/bcss/demo/%ff/x path_encoding",
            "/v1/bcss/demo/v1/%zz path_encoding",
            "/v1/bcss/demo/v1/x% path_encoding",
            "/v1/bcss/demo/v1\\organizations\\1 path_character",
            "/v1/bcss/demo/v1/%2e%2e/%2e%2e/admin path_dot_segment",
            "/v1/bcss/demo/v1/.%2E/x path_dot_segment",
            "/v1/bcss/demo/v1/a%2ejson path_dot_segment",
            "/v1/bcss/demo/v1%2forganizations/1 path_encoded_delimiter",
            "/v1/bcss/demo/v1%5Corganizations/1 path_encoded_delimiter",
            "/v1/bcss/demo/v1%3borganizations/1 path_encoded_delimiter",
            "/v1/bcss/demo/v1/organizations/1%2500 path_double_encoding",
            "/v1/bcss/demo/v1/organizations/1%00 path_control_character",
            "/v1/bcss/demo/v1/organizations/1%0d%0aX:1 path_control_character",
            "/v1/bcss/demo/../readonly/v1/organizations/1 path_dot_segment",
            "/v1/bcss/demo//evil.example.org/v1 path_empty_segment",
            "/v1/bcss/demo/https:/evil.example.org/v1 path_absolute_url",
            "/v1/bcss/DEMO/v1/organizations/1 path_api_name",
            "/v1/./bcss/demo/v1/organizations/1 path_dot_segment",
            "/v1/bcss/demo/v1/organizations?q=%c0%ae query_encoding",
            "/v1/bcss/demo/v1/organizations?q=a\"b query_character" })
    void refusedWithItsReasonInTheAuditLineAndTheCounter(String target, String reason) throws Exception {
        String subject = uniqueSubject();
        long upstreamBefore = bcss.gateway().stats().requests();
        double counterBefore = refused(reason);

        RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + callerToken(subject) + "\r\nX-Correlation-Id: path-" + reason + "\r\n\r\n");

        assertThat(exchange.status()).as(exchange.text()).isEqualTo(400);
        assertThat(exchange.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(exchange.body()).contains("\"type\":\"urn:problem-type:belgif:badRequest\"", "\"status\":400");
        assertThat(bcss.gateway().stats().requests()).as("nothing sent to BCSS").isEqualTo(upstreamBefore);
        assertThat(refused(reason)).isEqualTo(counterBefore + 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !auditLines(subject).isEmpty());
        assertThat(auditLines(subject)).singleElement().asString()
                .contains("caller=" + subject, "status=400", "method=GET", "reason=" + reason, "correlationId=path-" + reason)
                .doesNotContain("null", target);
    }

    @Test
    void withoutAValidTokenTheCallerIsADashNeverNull() throws Exception {
        // Reasons no other test uses without a caller: their lines are not held back by the rate limit.
        List<String[]> attempts = List.of(new String[] { "", "/v1/bcss/demo/v1/a%2500" },
                new String[] { "Authorization: Bearer not-a-jwt\r\n", "/v1/bcss/demo/v1/a%01" });
        for (String[] attempt : attempts) {
            String correlationId = UUID.randomUUID().toString();
            RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, "GET " + attempt[1] + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + attempt[0] + "X-Correlation-Id: " + correlationId + "\r\n\r\n");
            assertThat(exchange.status()).as("a hostile path is refused whoever asks").isEqualTo(400);
            await().atMost(Duration.ofSeconds(5)).until(() -> !auditLines(correlationId).isEmpty());
            assertThat(auditLines(correlationId)).singleElement().asString()
                    .contains("caller=- ", "status=400").doesNotContain("null", "not-a-jwt");
        }
    }

    @Test
    void refusalLinesAreLimitedPerReasonAndCallerWhileTheCounterCountsThemAll() throws Exception {
        String subject = uniqueSubject();
        String token = callerToken(subject);
        double before = refused("path_parameter");
        for (int i = 0; i < 5; i++) {
            RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, "GET /v1/bcss/demo/v1/x;p=" + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + token + "\r\n\r\n");
            assertThat(exchange.status()).isEqualTo(400);
        }
        assertThat(refused("path_parameter")).isEqualTo(before + 5);
        await().atMost(Duration.ofSeconds(5)).until(() -> !auditLines(subject).isEmpty());
        assertThat(auditLines(subject)).as("one line per reason and caller within the period").hasSize(1);
    }

    @Test
    void aPlainDotInAFileNameAndLegitimateEncodingStillPass() throws Exception {
        // The first token from the broker can be slow on a busy machine: wait until calls go through.
        await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(bcss.callerToken(SimulatedPartners.PAYROLL))
                .get("/v1/bcss/demo/v1/organizations/1").statusCode() == 200);
        long before = bcss.gateway().stats().requests();
        RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, "GET /v1/bcss/demo/v1/organizations/1.json?name=caf%C3%A9 HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nAuthorization: Bearer " + bcss.callerToken(SimulatedPartners.PAYROLL) + "\r\nConnection: close\r\n\r\n");
        assertThat(exchange.status()).as(exchange.text()).isNotEqualTo(400);
        assertThat(bcss.gateway().stats().requests()).isEqualTo(before + 1);
    }
}
