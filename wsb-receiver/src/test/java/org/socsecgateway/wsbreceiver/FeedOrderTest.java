package org.socsecgateway.wsbreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.socsecgateway.wsbreceiver.SimulatedStar.ALL_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.JOBCENTER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.JOBCENTER_PATH;
import static org.socsecgateway.wsbreceiver.SimulatedStar.KOMMUNE;
import static org.socsecgateway.wsbreceiver.SimulatedStar.KOMMUNE_PATH;

import java.net.URL;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.wsb.DeliveryReport;
import org.socsecgateway.simulators.wsb.LoadSpec;
import org.socsecgateway.simulators.wsb.StarWsbSender;
import org.socsecgateway.simulators.wsb.WsbMessages;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class FeedOrderTest {

    @SimulatedStar.InjectStar
    Star star;

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    @Inject
    MeterRegistry meters;

    private String base() {
        return "https://localhost:" + webhook.getPort();
    }

    /**
     * An insert that commits late (its id is lower than events already in the feed) must still reach a reader who
     * is already past those events: the case where sequence numbers become visible out of order.
     */
    @Test
    void anEventThatCommitsLateIsNotSkipped() throws Exception {
        String token = star.token(ALL_READER);
        String lateId = "late-" + UUID.randomUUID();
        try (Connection held = star.connect()) {
            held.setAutoCommit(false);
            try (PreparedStatement insert = held.prepareStatement("""
                    insert into inbox_event (receipt_id, channel, authority, message_type, message_id, raw)
                    values (0, 'wsb', ?, '60010', ?, '{"late":true}')""")) {
                insert.setString(1, KOMMUNE);
                insert.setString(2, lateId);
                insert.executeUpdate(); // takes its id now, commits later
            }
            String cursor = Feed.head(token);
            try (StarWsbSender sender = star.sender(base()).build()) {
                assertThat(sender.sendAll(KOMMUNE_PATH, new WsbMessages(11, 5).next(5)).allDelivered()).isTrue();
            }
            // the reader follows the feed past the five later, already committed events
            List<Map<String, Object>> seen = new ArrayList<>();
            while (seen.size() < 5) {
                JsonPath page = Feed.page(token, "after=" + cursor + "&authorities=" + KOMMUNE + "&wait=5");
                seen.addAll(page.getList("events"));
                cursor = page.getString("next");
            }
            assertThat(seen).extracting(e -> e.get("messageId")).doesNotContain(lateId);
            held.commit();
            // ... and still gets the late one
            JsonPath page = Feed.page(token, "after=" + cursor + "&authorities=" + KOMMUNE + "&wait=5");
            assertThat(page.getList("events", Map.class)).extracting(e -> e.get("messageId")).containsExactly(lateId);
        }
    }

    @Test
    void aReaderFollowingTheFeedDuringConcurrentIngestSeesEveryEventOnceInOrder() throws Exception {
        String token = star.token(ALL_READER);
        String start = Feed.head(token);
        int count = 1200;
        Set<String> seen = new HashSet<>();
        List<Long> cursors = new ArrayList<>();
        // the reader long-polls from the current end while STAR sends over 32 connections at once
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            String cursor = start;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (seen.size() < count && System.nanoTime() < deadline) {
                JsonPath page = Feed.page(token, "after=" + cursor + "&limit=37&authorities=" + JOBCENTER + "&wait=1");
                for (Map<String, Object> event : page.<Map<String, Object>>getList("events")) {
                    assertThat(seen.add((String) event.get("messageId"))).as("seen twice").isTrue();
                    cursors.add(Long.parseLong((String) event.get("cursor")));
                }
                cursor = page.getString("next");
            }
        });
        DeliveryReport report;
        try (StarWsbSender sender = star.sender(base()).build()) {
            report = sender.load(new LoadSpec(JOBCENTER_PATH, count, 32, 0.0, 99));
        }
        reader.get(150, TimeUnit.SECONDS);
        assertThat(report.allDelivered()).isTrue();
        assertThat(seen).isEqualTo(report.messageIds());
        assertThat(cursors).isSorted().doesNotHaveDuplicates();
    }

    /**
     * Long-polls on a replica that publishes nothing (here: nothing is delivered meanwhile) look again every poll
     * interval (200 ms in the tests); each look must deregister its waiter, so the gauge never exceeds the number of
     * long-polls and is back at 0 when they end.
     */
    @Test
    void longPollsThatFindNothingLeaveNoWaiterBehind() throws Exception {
        String token = star.token(ALL_READER);
        String cursor = Feed.head(token);
        int polls = 4;
        ExecutorService readers = Executors.newFixedThreadPool(polls);
        List<CompletableFuture<JsonPath>> waiting = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            waiting.add(CompletableFuture.supplyAsync(() -> Feed.page(token, "after=" + cursor + "&authorities=NOBODY:0&wait=3"),
                    readers));
        }
        readers.shutdown();
        List<Double> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            seen.add(waiters());
            return waiting.stream().allMatch(CompletableFuture::isDone);
        });
        for (CompletableFuture<JsonPath> poll : waiting) {
            assertThat(poll.get().getList("events")).isEmpty();
        }
        assertThat(seen).as("waiters while %d long-polls looked again every 200 ms", polls)
                .allMatch(count -> count <= polls).anyMatch(count -> count > 0);
        assertThat(waiters()).isZero();
    }

    private double waiters() {
        return meters.get("wsb.feed.waiters").gauge().value();
    }

    @Test
    void aLongPollReturnsAsSoonAsAnEventArrives() throws Exception {
        String token = star.token(ALL_READER);
        String cursor = Feed.head(token);
        CompletableFuture<JsonPath> waiting = CompletableFuture.supplyAsync(
                () -> Feed.page(token, "after=" + cursor + "&authorities=" + KOMMUNE + "&wait=10"));
        Thread.sleep(500);
        assertThat(waiting).isNotDone();
        long sentAt = System.nanoTime();
        try (StarWsbSender sender = star.sender(base()).build()) {
            sender.send(KOMMUNE_PATH, new WsbMessages(12, 1).next());
        }
        JsonPath page = waiting.get(10, TimeUnit.SECONDS);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
        assertThat(page.getList("events")).hasSize(1);
        assertThat(waitedMs).as("answered soon after the event, not at the end of the wait").isLessThan(5_000);

        // with nothing to read, the wait ends empty after the asked time, with a cursor to ask again with
        long begin = System.nanoTime();
        String next = page.getString("next");
        JsonPath empty = Feed.page(token, "after=" + next + "&authorities=" + KOMMUNE + "&wait=1");
        assertThat(empty.getList("events")).isEmpty();
        assertThat(Long.parseLong(empty.getString("next"))).isGreaterThanOrEqualTo(Long.parseLong(next));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)).isBetween(900L, 5_000L);
    }
}
