package org.socsecgateway.tokenbroker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;
import static org.socsecgateway.tokenbroker.SimulatedBcss.scope;
import static org.socsecgateway.tokenbroker.TokenRequests.accessToken;

import java.io.IOException;
import java.net.URL;

import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.ExportedMetrics;
import org.socsecgateway.tokenbroker.service.TokenService;
import org.socsecgateway.tokenbroker.SimulatedBcss.InjectBcss;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every metric the chart's alerts and dashboard use (the list deploy/src/test/resources/exported-metrics/token-broker.txt,
 * which the chart test checks the rendered expressions against) is on /q/metrics.
 */
@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ExportedMetricsTest {

    @InjectBcss
    Bcss bcss;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void everyMetricTheChartUsesIsExported() throws IOException {
        // One answered token request: the upstream call's timer and the HTTP server's meters exist from then on.
        accessToken(bcss.callerToken(PROXY), scope(9));

        ExportedMetrics.assertAllExported("token-broker", given().get(metrics).then().statusCode(200).extract().asString());
    }

    /** Failures to fetch tokens are alerted on with increase(): every outcome's series exists before the first one. */
    @Test
    void everyTokenRequestOutcomeIsExportedFromTheStart() {
        String text = given().get(metrics).then().statusCode(200).extract().asString();

        for (String outcome : TokenService.OUTCOMES) {
            assertThat(text.lines().filter(line -> line.startsWith("broker_token_requests_total{"))
                    .anyMatch(line -> line.contains("outcome=\"" + outcome + "\""))).as(outcome).isTrue();
        }
    }
}
