package org.socsecgateway.wsbreceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE_PATH;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.ALL_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.KOMMUNE;
import static org.socsecgateway.wsbreceiver.SimulatedStar.KOMMUNE_PATH;
import static org.socsecgateway.wsbreceiver.SimulatedStar.MEMBERSHIP_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.POLLER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.STRANGER;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.wsb.StarWsbSender;
import org.socsecgateway.simulators.wsb.WsbMessage;
import org.socsecgateway.simulators.wsb.WsbMessages;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Each caller reads only the message types and authorities it was granted; everyone else reads nothing. */
@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class FeedAuthTest {

    @SimulatedStar.InjectStar
    Star star;

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    private String from;

    /** Two authorities, three message types (60010, 100008, 90000 in turn). */
    @BeforeEach
    void sendAMix() {
        from = Feed.head(star.token(ALL_READER));
        List<WsbMessage> messages = oneOfEachTypeTwice();
        try (StarWsbSender sender = star.sender("https://localhost:" + webhook.getPort()).build()) {
            assertThat(sender.sendAll(AKASSE_PATH, messages.subList(0, 3)).allDelivered()).isTrue();
            assertThat(sender.sendAll(KOMMUNE_PATH, messages.subList(3, 6)).allDelivered()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Feed.all(star.token(ALL_READER), from, "").size() >= 6);
    }

    /** 60010, 100008, 90000, 60010, 100008, 90000: each authority gets every type. */
    private static List<WsbMessage> oneOfEachTypeTwice() {
        List<WsbMessage> pool = new WsbMessages(System.nanoTime(), 50).next(300);
        List<WsbMessage> picked = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int type : new int[] {60010, 100008, 90000}) {
                picked.add(pool.stream().filter(m -> m.entitetId() == type && !picked.contains(m)).findFirst().orElseThrow());
            }
        }
        return picked;
    }

    @Test
    void aCallerReadsOnlyWhatItWasGranted() {
        List<Map<String, Object>> all = Feed.all(star.token(ALL_READER), from, "");
        assertThat(all).extracting(e -> e.get("authority")).contains(AKASSE, KOMMUNE);

        List<Map<String, Object>> akasse = Feed.all(star.token(AKASSE_READER), from, "");
        assertThat(akasse).isNotEmpty().allSatisfy(e -> assertThat(e.get("authority")).isEqualTo(AKASSE));
        assertThat(akasse).hasSize((int) all.stream().filter(e -> AKASSE.equals(e.get("authority"))).count());

        List<Map<String, Object>> memberships = Feed.all(star.token(MEMBERSHIP_READER), from, "");
        assertThat(memberships).isNotEmpty().allSatisfy(e -> assertThat(e.get("type")).isEqualTo("60010"));

        // filters narrow further
        assertThat(Feed.all(star.token(ALL_READER), from, "types=100008,90000"))
                .isNotEmpty().allSatisfy(e -> assertThat(e.get("type")).isIn("100008", "90000"));
    }

    @Test
    void theCursorMovesPastEventsAFilterLeavesOut() {
        JsonPath page = Feed.page(star.token(MEMBERSHIP_READER), "after=" + from + "&limit=1000");
        JsonPath everything = Feed.page(star.token(ALL_READER), "after=" + from + "&limit=1000");
        List<String> cursors = everything.getList("events.cursor");
        assertThat(page.getString("next")).isEqualTo(everything.getString("next")).isEqualTo(cursors.get(cursors.size() - 1));
    }

    @Test
    void askingForMoreThanGrantedOrNotBeingAReaderIsRefused() {
        refused(star.token(AKASSE_READER), "authorities=" + KOMMUNE, 403);
        refused(star.token(MEMBERSHIP_READER), "types=90000", 403);
        refused(star.token(STRANGER), "", 403);
        refused(star.token(POLLER), "", 403);
        given().when().get("/v1/events").then().statusCode(401).contentType(startsWith("application/problem+json"));
        given().auth().oauth2("not-a-jwt").when().get("/v1/events").then().statusCode(401);
        CallerTokenIssuer elsewhere = CallerTokenIssuer.offline("https://someone-else.example");
        given().auth().oauth2(elsewhere.mint(ALL_READER, SimulatedStar.AUDIENCE, Duration.ofMinutes(5)))
                .when().get("/v1/events").then().statusCode(401);
        given().auth().oauth2(star.issuer().mint(ALL_READER, "token-broker", Duration.ofMinutes(5)))
                .when().get("/v1/events").then().statusCode(401);
    }

    @Test
    void malformedParametersAreRefused() {
        String token = star.token(ALL_READER);
        refused(token, "after=abc", 400);
        refused(token, "after=-1", 400);
        refused(token, "limit=0", 400);
        refused(token, "limit=100000", 400);
        refused(token, "wait=61", 400);
        refused(token, "wait=soon", 400);
        refused(token, "types=60010;drop", 400);
    }

    private static void refused(String token, String query, int status) {
        given().auth().oauth2(token).when().get(query.isEmpty() ? "/v1/events" : "/v1/events?" + query)
                .then().statusCode(status).contentType(startsWith("application/problem+json")).body("status", equalTo(status));
    }
}
