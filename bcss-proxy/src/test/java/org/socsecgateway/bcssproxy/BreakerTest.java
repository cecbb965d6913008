package org.socsecgateway.bcssproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.socsecgateway.bcssproxy.SimulatedPartners.PAYROLL;

import java.net.URL;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.bcssproxy.SimulatedPartners.InjectBcss;
import org.socsecgateway.bcssproxy.SimulatedPartners.Partners;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Upstream failures become 502/504 problems; repeated ones open the API's circuit, which closes again on recovery. */
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
    void aDroppedConnectionIs502() {
        bcss.gateway().faults().dropConnections(1);
        given().auth().oauth2(bcss.callerToken(PAYROLL)).get("/v1/bcss/demo/v1/organizations/6")
                .then().statusCode(502).body("type", equalTo("urn:problem-type:belgif:badGateway"));
    }

    @Test
    void aSlowUpstreamIs504() {
        bcss.gateway().faults().latency(java.time.Duration.ofSeconds(5)); // the demo API's timeout is 3 s
        given().auth().oauth2(bcss.callerToken(PAYROLL)).get("/v1/bcss/demo/v1/organizations/7")
                .then().statusCode(504).body("type", equalTo("urn:problem-type:belgif:gatewayTimeout"));
    }

    private void awaitDemoStatus(int status) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(10);
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
