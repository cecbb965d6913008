package org.socsecgateway.wsbreceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.socsecgateway.wsbreceiver.SimulatedStar.ALL_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.KOMMUNE;
import static org.socsecgateway.wsbreceiver.SimulatedStar.KOMMUNE_PATH;

import java.net.URL;
import java.sql.Connection;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.wsb.StarWsbSender;
import org.socsecgateway.simulators.wsb.WsbMessage;
import org.socsecgateway.simulators.wsb.WsbMessages;
import org.socsecgateway.wsbreceiver.service.RetentionPurge;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * A cursor the feed never handed out is refused (409, saying where the feed ends); a cursor older than what the
 * retention purge kept is answered, and the page says which events were purged before the reader got to them.
 */
@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class FeedCursorTest {

    @SimulatedStar.InjectStar
    Star star;

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    @Inject
    RetentionPurge purge;

    private Response get(String query) {
        return given().auth().oauth2(star.token(ALL_READER)).when().get("/v1/events?" + query);
    }

    @Test
    void aCursorBeyondTheHeadIsAConflictThatSaysWhereTheFeedEnds() {
        long head = Long.parseLong(Feed.head(star.token(ALL_READER)));
        for (String after : List.of(Long.toString(head + 1), Long.toString(head + 1000), "999999999999999999",
                "1000000000000000000", "9223372036854775807", "9223372036854775808", "000000000000000000000000" + (head + 1),
                "99999999999999999999999999999999999999")) {
            for (String extra : List.of("", "&wait=5", "&authorities=" + KOMMUNE + "&limit=1")) {
                long begin = System.nanoTime();
                Response response = get("after=" + after + extra);
                assertThat(response.statusCode()).as("after=%s%s", after, extra).isEqualTo(409);
                assertThat(response.contentType()).startsWith("application/problem+json");
                JsonPath problem = response.jsonPath();
                assertThat(problem.getInt("status")).isEqualTo(409);
                assertThat(problem.getString("detail")).contains("beyond the end");
                assertThat(Long.parseLong(problem.getString("head"))).isGreaterThanOrEqualTo(head);
                assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("refused at once, not after the wait")
                        .isLessThan(Duration.ofSeconds(4));
            }
        }
        // the head itself, 0 and no cursor are valid
        assertThat(get("after=" + head).statusCode()).isEqualTo(200);
        assertThat(get("after=0&limit=1").statusCode()).isEqualTo(200);
        assertThat(get("limit=1").statusCode()).isEqualTo(200);
    }

    /** {@code types=,,} names no type: answered as no filter, never as a filter that matches nothing and moves next to the head. */
    @Test
    void anEmptyFilterIsNoFilterNeverOneThatSkipsTheFeed() throws Exception {
        try (StarWsbSender sender = star.sender("https://localhost:" + webhook.getPort()).build()) {
            assertThat(sender.sendAll(KOMMUNE_PATH, new WsbMessages(47, 1).next(1)).allDelivered()).isTrue();
        }
        JsonPath unfiltered = get("after=0&limit=100").then().statusCode(200).extract().jsonPath();
        assertThat(unfiltered.getList("events")).isNotEmpty();
        for (String filter : List.of("types=,,", "types=,", "authorities=,", "types= , ", "authorities=,,&types=,")) {
            JsonPath page = get("after=0&limit=100&" + filter).then().statusCode(200).extract().jsonPath();
            assertThat(page.getList("events.cursor")).as(filter).containsExactlyElementsOf(unfiltered.getList("events.cursor"));
            assertThat(page.getString("next")).as(filter).isEqualTo(unfiltered.getString("next"));
        }
    }

    @Test
    void aCursorOlderThanWhatWasKeptIsAnsweredWithTheGap() throws Exception {
        List<WsbMessage> messages = new WsbMessages(43, 3).next(3);
        try (StarWsbSender sender = star.sender("https://localhost:" + webhook.getPort()).build()) {
            assertThat(sender.sendAll(KOMMUNE_PATH, messages).allDelivered()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> star.count("select count(*) from inbox_event where message_id in (?, ?, ?)"
                + " and feed_seq is not null", RetentionTest.ids(messages).toArray()) == 3);
        List<String> ids = RetentionTest.ids(messages).stream().sorted(Comparator.comparingLong(this::cursorOf)).toList();
        String first = ids.get(0);
        String second = ids.get(1);
        String third = ids.get(2);
        long c1 = cursorOf(first);
        long c2 = cursorOf(second);
        long c3 = cursorOf(third);
        // a reader that stopped just before the first (and its siblings further back), before the purge: no gap
        assertThat(get("after=" + (c1 - 1) + "&authorities=" + KOMMUNE).jsonPath().getMap("gap")).isNull();
        assertThat(get("after=" + (c1 - 1)).header(EventsGap.HEADER)).isNull();

        try (Connection db = star.connect()) {
            RetentionTest.ageUpTo(db, second); // everything up to the second event is 31 days old
        }
        purge.purge();
        assertThat(star.count("select count(*) from inbox_event where message_id in (?, ?)", first, second)).isZero();

        Response behind = get("after=" + (c1 - 1) + "&authorities=" + KOMMUNE);
        assertThat(behind.statusCode()).isEqualTo(200);
        assertGap(behind, c1, c2);
        assertThat(behind.jsonPath().getList("events", Map.class)).extracting(e -> e.get("messageId")).containsExactly(third);

        // siblings: from the middle of the purged run, from 0, and with a filter that matches nothing kept
        assertGap(get("after=" + c1), c1 + 1, c2);
        assertGap(get("after=0&limit=1"), 1, c2);
        Response nothingKept = get("after=" + (c1 - 1) + "&authorities=NOBODY:0");
        assertGap(nothingKept, c1, c2);
        assertThat(nothingKept.jsonPath().getList("events")).isEmpty();
        assertThat(Long.parseLong(nothingKept.jsonPath().getString("next"))).isGreaterThanOrEqualTo(c3);
        // a long-poll that finds nothing still says so when it returns
        assertGap(get("after=" + (c1 - 1) + "&authorities=NOBODY:0&wait=1"), c1, c2);

        // no gap from the last purged event on, nor from a cursor a page returned
        assertThat(get("after=" + c2).jsonPath().getMap("gap")).isNull();
        assertThat(get("after=" + c2).header(EventsGap.HEADER)).isNull();
        assertThat(get("after=" + behind.jsonPath().getString("next")).jsonPath().getMap("gap")).isNull();
    }

    private static void assertGap(Response response, long from, long to) {
        assertThat(response.statusCode()).isEqualTo(200);
        JsonPath page = response.jsonPath();
        assertThat(page.getString("gap.from")).isEqualTo(Long.toString(from));
        assertThat(page.getString("gap.to")).isEqualTo(Long.toString(to));
        assertThat(page.getString("gap.reason")).isEqualTo("retention");
        assertThat(response.header(EventsGap.HEADER)).isEqualTo(from + "-" + to);
    }

    private long cursorOf(String messageId) {
        return star.count("select feed_seq from inbox_event where message_id = ?", messageId);
    }

    /** The header's name, as a reader would write it. */
    private static final class EventsGap {
        static final String HEADER = "Feed-Gap";
    }
}
