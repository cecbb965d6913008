package org.socsecgateway.bcssproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;

import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.ExportedMetrics;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every metric the chart's alerts and dashboard use (the list deploy/src/test/resources/exported-metrics/bcss-proxy.txt,
 * which the chart test checks the rendered expressions against) is on /q/metrics.
 */
@QuarkusTest
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ExportedMetricsTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void everyMetricTheChartUsesIsExported() throws IOException {
        // One call refused without a token: the per-call timer and the refusal counter exist from then on.
        given().get("/v1/bcss/demo/v1/organizations/1").then().statusCode(401);

        ExportedMetrics.assertAllExported("bcss-proxy", given().get(metrics).then().statusCode(200).extract().asString());
    }
}
