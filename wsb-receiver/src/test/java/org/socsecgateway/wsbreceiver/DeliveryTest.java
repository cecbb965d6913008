package org.socsecgateway.wsbreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.socsecgateway.wsbreceiver.SimulatedStar.ALL_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.JOBCENTER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.JOBCENTER_PATH;

import java.net.URL;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.wsb.DeliveryReport;
import org.socsecgateway.simulators.wsb.LoadSpec;
import org.socsecgateway.simulators.wsb.StarWsbSender;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * STAR sends a load with duplicates; the database goes away in the middle (503s, STAR retries) and comes back:
 * every message sent is in the feed exactly once, in feed order.
 */
@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DeliveryTest {

    private static final int MESSAGES = 1500;

    @SimulatedStar.InjectStar
    Star star;

    @Inject
    AgroalDataSource receiverPool;

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    @Test
    void everyMessageSentArrivesInTheFeedExactlyOnceThroughDuplicatesRetriesAndADatabaseOutage() throws Exception {
        String token = star.token(ALL_READER);
        String from = Feed.head(token);
        long before = star.count("select count(*) from inbox_event where authority = ?", JOBCENTER);
        DeliveryReport report;
        try (StarWsbSender sender = star.sender("https://localhost:" + webhook.getPort()).maxAttempts(60).build()) {
            CompletableFuture<DeliveryReport> run = sender.loadAsync(new LoadSpec(JOBCENTER_PATH, MESSAGES, 32, 0.1, 7))
                    .toCompletableFuture();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> star.count("select count(*) from inbox_event where authority = ?", JOBCENTER) > before + MESSAGES / 5);
            star.postgres().stop();
            Thread.sleep(1500);
            star.restartPostgres(receiverPool);
            report = run.get(180, TimeUnit.SECONDS);
        }

        assertThat(report.notDelivered()).isEmpty();
        assertThat(report.duplicates()).isGreaterThan(0);
        long retried = report.deliveries().stream().filter(d -> d.attempts() > 1).count();
        assertThat(retried).as("messages STAR had to send again because of the outage").isGreaterThan(0);
        assertThat(report.deliveries().stream().flatMap(d -> d.statuses().stream())).contains(503);

        Set<String> sent = report.messageIds();
        await().atMost(Duration.ofSeconds(30)).until(() -> Feed.all(token, from, "authorities=" + JOBCENTER).size() >= sent.size());
        List<Map<String, Object>> events = Feed.all(token, from, "authorities=" + JOBCENTER);
        Set<String> seen = new HashSet<>();
        long previous = Long.parseLong(from);
        for (Map<String, Object> event : events) {
            assertThat(seen.add((String) event.get("messageId"))).as("delivered twice: " + event.get("messageId")).isTrue();
            long cursor = Long.parseLong((String) event.get("cursor"));
            assertThat(cursor).isGreaterThan(previous);
            previous = cursor;
        }
        assertThat(seen).isEqualTo(sent);
        assertThat(star.count("select count(*) from inbox_event where authority = ?", JOBCENTER)).isEqualTo(before + sent.size());
    }
}
