package org.socsecgateway.wsbreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE_PATH;
import static org.socsecgateway.wsbreceiver.SimulatedStar.ALL_READER;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.wsb.DeliveryReport;
import org.socsecgateway.simulators.wsb.LoadSpec;
import org.socsecgateway.simulators.wsb.StarWsbSender;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The packaged jar: Flyway migrates an empty database, STAR delivers over mutual TLS, the feed hands it all out once. */
@QuarkusIntegrationTest
@WithTestResource(SimulatedStar.class)
class WsbReceiverIT {

    @SimulatedStar.InjectStar
    Star star;

    @Test
    void deliversALoadWithDuplicatesIntoTheFeedExactlyOnce() {
        DeliveryReport report;
        try (StarWsbSender sender = star.sender(star.webhookBase()).build()) {
            report = sender.load(new LoadSpec(AKASSE_PATH, 300, 16, 0.2, 5));
        }
        assertThat(report.allDelivered()).isTrue();
        assertThat(report.duplicates()).isPositive();
        String token = star.token(ALL_READER);
        await().atMost(Duration.ofSeconds(20)).until(() -> Feed.all(token, "0", "").size() >= report.messageIds().size());
        List<Map<String, Object>> events = Feed.all(token, "0", "");
        assertThat(events).extracting(e -> (String) e.get("messageId")).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(report.messageIds());
    }
}
