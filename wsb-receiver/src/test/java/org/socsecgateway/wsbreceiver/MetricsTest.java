package org.socsecgateway.wsbreceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE_PATH;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.ALL_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.POLLER;

import java.net.URL;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.wsb.WsbMessage;
import org.socsecgateway.simulators.wsb.WsbMessages;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** What an operator reads on /q/metrics moves with what really happened. */
@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class MetricsTest {

    @SimulatedStar.InjectStar
    Star star;

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private String url(String path) {
        return "https://localhost:" + webhook.getPort() + path;
    }

    @Test
    void messagesAreCountedByChannelTypeAndOutcome() throws Exception {
        WsbMessage message = new WsbMessages(System.nanoTime(), 1).next();
        String type = Integer.toString(message.entitetId());
        Map<String, String> stored = Map.of("channel", "wsb", "type", type, "outcome", "stored");
        Map<String, String> duplicate = Map.of("channel", "wsb", "type", type, "outcome", "duplicate");
        Map<String, String> rejected = Map.of("channel", "wsb", "type", "none", "outcome", "rejected");
        Map<String, String> wsrmStored = Map.of("channel", "wsrm", "type", type, "outcome", "stored");
        Map<String, String> wsb = Map.of("channel", "wsb");
        Scrape before = scrape();

        HttpClient client = star.tlsClient(star.pki().starClientKeystoreP12());
        byte[] body = message.toJson().getBytes(StandardCharsets.UTF_8);
        assertThat(Star.post(client, url(AKASSE_PATH), "application/json", body).statusCode()).isEqualTo(200);
        assertThat(Star.post(client, url(AKASSE_PATH), "application/json", body).statusCode()).isEqualTo(200);
        assertThat(Star.post(client, url(AKASSE_PATH), "application/json", "{not json".getBytes()).statusCode()).isEqualTo(400);
        given().auth().oauth2(star.token(POLLER)).contentType(ContentType.JSON)
                .body("{\"events\":[{\"messageId\":\"wsrm-" + UUID.randomUUID() + "\",\"authority\":\"WSRM:58\",\"message\":"
                        + message.toJson() + "}]}")
                .when().post("/v1/ingest").then().statusCode(200);

        Scrape after = scrape();
        assertThat(after.delta(before, "wsb_messages_received_total", stored)).isEqualTo(1);
        assertThat(after.delta(before, "wsb_messages_received_total", duplicate)).isEqualTo(1);
        assertThat(after.delta(before, "wsb_messages_received_total", rejected)).isEqualTo(1);
        assertThat(after.delta(before, "wsb_messages_received_total", wsrmStored)).isEqualTo(1);
        assertThat(after.delta(before, "wsb_duplicates_total", wsb)).isEqualTo(1);
        // the stored message and the duplicate were each committed (looked up) once; the refused one never reached the database
        assertThat(after.delta(before, "wsb_ingest_duration_seconds_count", wsb)).isEqualTo(2);
        assertThat(after.delta(before, "wsb_ingest_duration_seconds_count", Map.of("channel", "wsrm"))).isEqualTo(1);
        assertThat(after.delta(before, "wsb_ingest_duration_seconds_sum", wsb)).isPositive();
    }

    @Test
    void certificatesWithoutTheRightToDeliverAreCounted() throws Exception {
        byte[] body = new WsbMessages(System.nanoTime(), 1).next().toJson().getBytes(StandardCharsets.UTF_8);
        Scrape before = scrape();

        assertThat(Star.post(star.tlsClient(null), url(AKASSE_PATH), "application/json", body).statusCode()).isEqualTo(401);
        assertThat(Star.post(star.tlsClient(star.impostor().keystoreP12()), url(AKASSE_PATH), "application/json", body)
                .statusCode()).isEqualTo(403);

        Scrape after = scrape();
        assertThat(after.delta(before, "wsb_webhook_refused_total", Map.of("reason", "missing"))).isEqualTo(1);
        assertThat(after.delta(before, "wsb_webhook_refused_total", Map.of("reason", "not-pinned"))).isEqualTo(1);
    }

    /**
     * While the publisher cannot number events stored without a number (its lock is held here), they queue up and
     * age; once it can, the queue drains. A reader's lag is the number of events after its last cursor, and its oldest unread event ages.
     */
    @Test
    void queueDepthPublishLagAndReaderLagFollowTheFeed() throws Exception {
        String reader = star.token(AKASSE_READER);
        Map<String, String> ofReader = Map.of("caller", AKASSE_READER);
        // earlier tests' events are in the feed, so the head read next stays the head
        await().atMost(Duration.ofSeconds(10)).until(() -> star.count("select count(*) from inbox_event where feed_seq is null") == 0);
        String head = Feed.head(star.token(ALL_READER));
        Feed.page(reader, "after=" + head); // the reader is at the head
        awaitGauge("wsb_feed_reader_lag_events", ofReader, 0);

        try (Connection publisherBlocked = star.connect()) {
            publisherBlocked.setAutoCommit(false);
            try (Statement lock = publisherBlocked.createStatement()) {
                lock.execute("select last_seq from feed_state where id = 1 for update");
            }
            // events stored without a feed number, as an older version of the receiver does during a rolling update
            // (this version numbers its events in their own transaction, which the held lock would hold back)
            try (Connection olderReplica = star.connect(); Statement insert = olderReplica.createStatement()) {
                for (int i = 0; i < 3; i++) {
                    insert.execute("insert into inbox_event (receipt_id, channel, authority, message_type, message_id, raw)"
                            + " values (0, 'wsb', '" + SimulatedStar.AKASSE + "', '60010', 'older-" + UUID.randomUUID() + "', '{}')");
                }
            }
            awaitGauge("wsb_inbox_unpublished", Map.of(), 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> scrape().value("wsb_feed_publish_lag_seconds", Map.of()) > 0.5);
            publisherBlocked.rollback();
        }
        awaitGauge("wsb_inbox_unpublished", Map.of(), 0);
        awaitGauge("wsb_feed_reader_lag_events", ofReader, 3);
        assertThat(scrape().value("wsb_feed_reader_oldest_unread_seconds", ofReader)).isGreaterThan(0.5);

        Feed.page(reader, "after=" + Feed.head(star.token(ALL_READER))); // read up to the head again
        awaitGauge("wsb_feed_reader_lag_events", ofReader, 0);
        assertThat(scrape().value("wsb_feed_reader_oldest_unread_seconds", ofReader)).isZero();
        assertThat(scrape().value("wsb_feed_head", Map.of())).isEqualTo(Double.parseDouble(Feed.head(star.token(ALL_READER))));
    }

    @Test
    void certificateDaysLeftAreReported() {
        Scrape now = scrape();
        X509Certificate server = Star.certificate(star.pki().serverCert());
        X509Certificate earliestTrusted = Stream.of(star.pki().starClientCert(), star.impostor().cert())
                .map(Star::certificate).min(Comparator.comparing(X509Certificate::getNotAfter)).orElseThrow();
        assertThat(now.value("wsb_webhook_server_certificate_days_left", Map.of())).isCloseTo(daysLeft(server), within(1.0));
        assertThat(now.value("wsb_webhook_trusted_certificate_days_left", Map.of())).isCloseTo(daysLeft(earliestTrusted), within(1.0));
    }

    private static double daysLeft(X509Certificate certificate) {
        return Duration.between(Instant.now(), certificate.getNotAfter().toInstant()).toDays();
    }

    private void awaitGauge(String name, Map<String, String> labels, double expected) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(scrape().value(name, labels)).isEqualTo(expected));
    }

    private Scrape scrape() {
        return new Scrape(given().get(metrics).then().statusCode(200).extract().asString());
    }

    /** One Prometheus text exposition; a series that is not there counts as 0. */
    record Scrape(String text) {

        private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? (\\S+)$");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

        double value(String name, Map<String, String> labels) {
            Matcher sample = SAMPLE.matcher(text);
            double sum = 0;
            while (sample.find()) {
                if (sample.group(1).equals(name) && hasLabels(sample.group(3), labels)) {
                    sum += Double.parseDouble(sample.group(4));
                }
            }
            return sum;
        }

        double delta(Scrape before, String name, Map<String, String> labels) {
            return value(name, labels) - before.value(name, labels);
        }

        private static boolean hasLabels(String written, Map<String, String> wanted) {
            Map<String, String> present = new HashMap<>();
            if (written != null) {
                Matcher label = LABEL.matcher(written);
                while (label.find()) {
                    present.put(label.group(1), label.group(2));
                }
            }
            return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(present.get(e.getKey())));
        }
    }
}
