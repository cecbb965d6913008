package org.socsecgateway.wsbreceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.ALL_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.KOMMUNE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.socsecgateway.wsbreceiver.service.FeedService;
import org.socsecgateway.wsbreceiver.store.FeedPage;
import org.socsecgateway.wsbreceiver.store.FeedQuery;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.shutdown.ShutdownRecorder;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * SIGTERM during long-polls (issue 12: max-wait 60 s is longer than the pod's grace period). Quarkus' real shutdown
 * sequence runs ({@link ShutdownRecorder#runShutdown()}, what the JVM's shutdown hook runs on SIGTERM, up to the HTTP
 * server's wait for running requests, {@code quarkus.shutdown.timeout} 20 s): the waiting long-polls must answer at
 * once with what they have, so that the wait ends long before that timeout, and a long-poll begun afterwards must
 * not wait at all.
 */
@QuarkusTest
@TestProfile(ShutdownLongPollTest.OwnApplication.class)
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ShutdownLongPollTest {

    /**
     * An application of its own: once shut down, it refuses new requests, which no other test class may meet. The
     * production maximum wait (the other tests use 10 s).
     */
    public static class OwnApplication implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wsb.feed.max-wait", "60s");
        }
    }

    @SimulatedStar.InjectStar
    Star star;

    @Inject
    MeterRegistry meters;

    @Inject
    FeedService feed;

    @Test
    void shutdownAnswersWaitingLongPollsAtOnceAndLetsNoneWaitAfterwards() throws Exception {
        String token = star.token(ALL_READER);
        String akasseToken = star.token(AKASSE_READER);
        String cursor = Feed.head(token);
        // long-polls of 60 s (wsb.feed.max-wait): the whole feed, one authority, a reader limited to one authority
        List<String> queries = List.of("after=" + cursor + "&wait=60", "after=" + cursor + "&authorities=" + KOMMUNE + "&wait=60",
                "after=" + cursor + "&authorities=" + AKASSE + "&limit=5&wait=60s");
        List<String> tokens = List.of(token, token, akasseToken);
        ExecutorService readers = Executors.newFixedThreadPool(queries.size());
        List<CompletableFuture<ExtractableResponse<Response>>> polls = new ArrayList<>();
        try {
            for (int i = 0; i < queries.size(); i++) {
                String query = queries.get(i);
                String bearer = tokens.get(i);
                polls.add(CompletableFuture.supplyAsync(
                        () -> given().auth().oauth2(bearer).when().get("/v1/events?" + query).then().extract(), readers));
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> meters.get("wsb.feed.waiters").gauge().value() >= queries.size());
            assertThat(polls).noneMatch(CompletableFuture::isDone);

            long started = System.nanoTime();
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(ShutdownRecorder::runShutdown);

            for (CompletableFuture<ExtractableResponse<Response>> poll : polls) {
                ExtractableResponse<Response> answer = poll.get(10, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.jsonPath().getList("events")).isEmpty();
                assertThat(answer.jsonPath().getString("next")).as("the cursor to continue from").isEqualTo(cursor);
            }
            shutdown.get(15, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("the HTTP server's wait for running requests ended with the long-polls, not at its 20 s timeout")
                    .isLessThan(Duration.ofSeconds(15));
        } finally {
            readers.shutdownNow();
        }

        // the HTTP server refuses new requests now (503); a long-poll that got past it just before must not wait
        long started = System.nanoTime();
        FeedPage page = feed.read(ALL_READER, new FeedQuery(Long.parseLong(cursor), 10, null, null), Duration.ofSeconds(60))
                .await().atMost(Duration.ofSeconds(10));
        assertThat(page.events()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
}
