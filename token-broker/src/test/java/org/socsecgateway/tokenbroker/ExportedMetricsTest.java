package org.socsecgateway.tokenbroker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;
import static org.socsecgateway.tokenbroker.SimulatedBcss.scope;
import static org.socsecgateway.tokenbroker.TokenRequests.accessToken;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
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

    static final Path LIST = Path.of("../deploy/src/test/resources/exported-metrics/token-broker.txt");

    @InjectBcss
    Bcss bcss;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void everyMetricTheChartUsesIsExported() throws IOException {
        // One answered token request: the upstream call's timer and the HTTP server's meters exist from then on.
        accessToken(bcss.callerToken(PROXY), scope(9));

        Set<String> exported = names(given().get(metrics).then().statusCode(200).extract().asString());

        assertThat(listed()).isNotEmpty();
        assertThat(exported).containsAll(listed());
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
