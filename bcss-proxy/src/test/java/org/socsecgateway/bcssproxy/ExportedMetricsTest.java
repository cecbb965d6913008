package org.socsecgateway.bcssproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

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

    static final Path LIST = Path.of("../deploy/src/test/resources/exported-metrics/bcss-proxy.txt");

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void everyMetricTheChartUsesIsExported() throws IOException {
        // One call refused without a token: the per-call timer and the refusal counter exist from then on.
        given().get("/v1/bcss/demo/v1/organizations/1").then().statusCode(401);

        Set<String> exported = names(given().get(metrics).then().statusCode(200).extract().asString());

        assertThat(listed()).isNotEmpty();
        assertThat(exported).containsAll(listed());
    }

    static List<String> listed() throws IOException {
        return Files.readAllLines(LIST).stream().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    /** Metric names of a Prometheus text exposition (the part before the labels or the value). */
    static Set<String> names(String exposition) {
        return exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    }
}
