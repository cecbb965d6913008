package org.socsecgateway.bcssproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.socsecgateway.bcssproxy.SimulatedPartners.PAYROLL;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.LogCapture;
import org.socsecgateway.bcssproxy.SimulatedPartners.InjectBcss;
import org.socsecgateway.bcssproxy.SimulatedPartners.Partners;
import org.socsecgateway.simulators.gateway.RecordedRequest;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Every log line written while SSINs and tokens pass through the proxy is checked for them. */
@QuarkusTest
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AuditLogTest {

    @InjectBcss
    Partners bcss;

    private final LogCapture log = new LogCapture();

    @BeforeEach
    void listen() {
        log.start();
    }

    @AfterEach
    void stopListening() {
        log.stop();
    }

    @Test
    void oneAuditLinePerCallWithoutSsinOrTokens() {
        String callerToken = bcss.callerToken(PAYROLL);
        given().auth().oauth2(callerToken).header("X-Correlation-Id", "audit-1").contentType(ContentType.JSON)
                .body(Map.of("ssin", ProxyTest.SSIN))
                .post("/v1/bcss/demo/v1/persons/search").then().statusCode(200);
        // An SSIN in a path must not reach the log either.
        given().auth().oauth2(callerToken).header("X-Correlation-Id", "audit-2")
                .get("/v1/bcss/demo/v1/organizations/" + ProxyTest.SSIN).then().statusCode(200);
        List<RecordedRequest> recent = bcss.gateway().stats().recent();
        String accessToken = recent.get(recent.size() - 1).headers().get("authorization").get(0).substring("Bearer ".length());

        // The audit line is written once the answer has been sent, so it may follow the client's receipt of it.
        await().atMost(Duration.ofSeconds(5)).until(() -> auditLines().size() >= 2);
        List<String> audit = auditLines();
        assertThat(audit).hasSize(2);
        assertThat(audit.get(0)).contains("caller=" + PAYROLL, "api=demo", "method=POST", "status=200",
                "correlationId=audit-1", "belgovTraceId=", "upstreamTraceId=");
        assertThat(audit.get(0)).doesNotContain("belgovTraceId=null", "upstreamTraceId=null");
        assertThat(log.all()).doesNotContain(ProxyTest.SSIN, callerToken, accessToken);
    }

    /** A subject with a line break (from the trusted issuer) cannot forge a second audit line: it is escaped. */
    @Test
    void aSubjectWithLineBreaksIsEscapedInTheAuditLine() {
        String forged = "15:00:00.000 ERROR [audit] caller=forged";
        for (String subject : List.of("evil\n" + forged, "evil\r\n" + forged, "evil\u2028" + forged)) {
            given().auth().oauth2(bcss.callerToken(subject)).get("/v1/bcss/demo/v1/organizations/1").then().statusCode(403);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> auditLines().size() >= 3);
        List<String> audit = auditLines();
        assertThat(audit).hasSize(3);
        assertThat(audit.get(0)).contains("caller=evil\\n15:00:00.000 ERROR [audit] caller=forged", "status=403");
        assertThat(audit.get(1)).contains("caller=evil\\r\\n15:00");
        assertThat(audit.get(2)).contains("caller=evil\\u2028" + "15:00");
        assertThat(log.lines()).allSatisfy(line -> assertThat(line).doesNotContain("\n", "\r", "\u2028"));
    }

    private List<String> auditLines() {
        return log.lines().stream().filter(line -> line.startsWith("audit ")).toList();
    }
}
