package org.socsecgateway.bcssproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.socsecgateway.bcssproxy.SimulatedPartners.OPERATOR;
import static org.socsecgateway.bcssproxy.SimulatedPartners.OTHER;
import static org.socsecgateway.bcssproxy.SimulatedPartners.PAYROLL;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.socsecgateway.bcssproxy.SimulatedPartners.InjectBcss;
import org.socsecgateway.bcssproxy.SimulatedPartners.Partners;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The configuration test against the reachable simulated gateway and against a port where nothing listens; only
 * the configured operators may run it.
 */
@QuarkusTest
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ConnectivityTest {

    @InjectBcss
    Partners bcss;

    @Test
    void reportsEachStepWithAHintForWhatFails() {
        JsonPath report = given().auth().oauth2(bcss.callerToken(OPERATOR)).get("/v1/connectivity")
                .then().statusCode(200).extract().jsonPath();

        String gateway = "localhost:" + bcss.gateway().port();
        List<Map<String, Object>> steps = report.getList("steps");
        assertThat(stepsFor(steps, gateway)).extracting(s -> s.get("step") + "=" + s.get("status"))
                .containsExactly("dns=PASS", "tcp=PASS", "tls=PASS");
        assertThat(stepsFor(steps, gateway).get(2).get("detail").toString()).contains("client certificate requested, sent and accepted");
        assertThat(steps).filteredOn(s -> "token".equals(s.get("step"))).allMatch(s -> "PASS".equals(s.get("status")));
        assertThat(steps).filteredOn(s -> "health".equals(s.get("step")) && s.get("target").toString().contains(gateway))
                .isNotEmpty().allMatch(s -> "PASS".equals(s.get("status")));

        Map<String, Object> refused = steps.stream()
                .filter(s -> "tcp".equals(s.get("step")) && !s.get("target").equals(gateway)).findFirst().orElseThrow();
        assertThat(refused.get("status")).isEqualTo("FAIL");
        assertThat(refused.get("hint").toString()).contains("nothing accepts connections");
        assertThat(report.getString("overall")).isEqualTo("FAIL");
    }

    @Test
    void applicationsThatAreNotOperatorsAreRefusedWithoutAnyConnection() {
        long before = bcss.gateway().stats().requests();
        for (String caller : List.of(PAYROLL, OTHER)) {
            given().auth().oauth2(bcss.callerToken(caller)).get("/v1/connectivity")
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo("urn:problem-type:belgif:missingPermission"));
        }
        given().get("/v1/connectivity").then().statusCode(401);
        assertThat(bcss.gateway().stats().requests()).as("no health call reached BCSS").isEqualTo(before);
    }

    private static List<Map<String, Object>> stepsFor(List<Map<String, Object>> steps, String hostPort) {
        String host = hostPort.substring(0, hostPort.indexOf(':'));
        return steps.stream().filter(s -> List.of("dns", "tcp", "tls").contains(s.get("step")))
                .filter(s -> s.get("target").equals(hostPort) || s.get("step").equals("dns") && s.get("target").equals(host))
                .limit(3).toList();
    }
}
