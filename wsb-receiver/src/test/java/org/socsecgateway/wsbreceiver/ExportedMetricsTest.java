package org.socsecgateway.wsbreceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE_PATH;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE_READER;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.ExportedMetrics;
import org.socsecgateway.simulators.wsb.WsbMessages;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every metric the chart's alerts and dashboard use (the list deploy/src/test/resources/exported-metrics/wsb-receiver.txt,
 * which the chart test checks the rendered expressions against) is on /q/metrics.
 */
@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ExportedMetricsTest {

    @SimulatedStar.InjectStar
    Star star;

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void everyMetricTheChartUsesIsExported() throws Exception {
        // One delivery from STAR: the per-message counter and the commit timer exist from then on (their labels
        // include the message type, so they cannot be registered ahead).
        byte[] body = new WsbMessages(System.nanoTime(), 1).next().toJson().getBytes(StandardCharsets.UTF_8);
        assertThat(Star.post(star.tlsClient(star.pki().starClientKeystoreP12()),
                "https://localhost:" + webhook.getPort() + AKASSE_PATH, "application/json", body).statusCode()).isEqualTo(200);
        // A reader that has read: its lag gauges exist from the next metrics refresh on (wsb.metrics-interval).
        String reader = star.token(AKASSE_READER);
        Feed.page(reader, "after=" + Feed.head(reader));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ExportedMetrics.assertAllExported("wsb-receiver", scrape()));
    }

    /** Refusals are alerted on with increase(): both reasons' series exist before the first refusal. */
    @Test
    void webhookRefusalsAreExportedForEveryReason() {
        String text = scrape();

        for (String reason : List.of("missing", "not-pinned")) {
            assertThat(text.lines().filter(line -> line.startsWith("wsb_webhook_refused_total{"))
                    .anyMatch(line -> line.contains("reason=\"" + reason + "\""))).as(reason).isTrue();
        }
    }

    private String scrape() {
        return given().get(metrics).then().statusCode(200).extract().asString();
    }
}
