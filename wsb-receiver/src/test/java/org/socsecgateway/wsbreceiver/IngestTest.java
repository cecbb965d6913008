package org.socsecgateway.wsbreceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.socsecgateway.wsbreceiver.SimulatedStar.ALL_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.POLLER;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.wsb.WsbMessage;
import org.socsecgateway.simulators.wsb.WsbMessages;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** dfdg-poller's batches join the same feed, idempotent by message id, all-or-nothing. */
@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class IngestTest {

    private static final String WSRM = "WSRM:58";

    @SimulatedStar.InjectStar
    Star star;

    private static String batch(List<String> ids, List<WsbMessage> messages) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            items.add("{\"messageId\":\"" + ids.get(i) + "\",\"authority\":\"" + WSRM + "\",\"message\":" + messages.get(i).toJson() + "}");
        }
        return "{\"events\":[" + String.join(",", items) + "]}";
    }

    private static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("wsrm-" + UUID.randomUUID());
        }
        return ids;
    }

    private long stored() {
        return star.count("select count(*) from inbox_event where authority = ?", WSRM);
    }

    @Test
    void aBatchIsStoredOnceInItsOrderAndASecondDeliveryStoresNothing() {
        String from = Feed.head(star.token(ALL_READER));
        List<String> ids = ids(4);
        String body = batch(ids, new WsbMessages(31, 4).next(4));
        given().auth().oauth2(star.token(POLLER)).contentType(ContentType.JSON).body(body)
                .when().post("/v1/ingest").then().statusCode(200).body("stored", equalTo(4)).body("duplicates", equalTo(0));
        given().auth().oauth2(star.token(POLLER)).contentType(ContentType.JSON).body(body)
                .when().post("/v1/ingest").then().statusCode(200).body("stored", equalTo(0)).body("duplicates", equalTo(4));

        await().atMost(Duration.ofSeconds(10)).until(() -> Feed.all(star.token(ALL_READER), from, "authorities=" + WSRM).size() >= 4);
        List<Map<String, Object>> events = Feed.all(star.token(ALL_READER), from, "authorities=" + WSRM);
        assertThat(events).extracting(e -> e.get("messageId")).containsExactlyElementsOf(ids);
        assertThat(events).allSatisfy(e -> assertThat(e.get("channel")).isEqualTo("wsrm"));
        assertThat(events.get(0).get("type")).isNotNull();
    }

    @Test
    void aBadBatchIsRefusedWholeWithNothingStored() {
        long before = stored();
        String token = star.token(POLLER);
        String good = "{\"messageId\":\"" + UUID.randomUUID() + "\",\"authority\":\"" + WSRM + "\",\"message\":{\"EntitetId\":60010}}";
        refused(token, "{\"events\":[" + good + ",{\"authority\":\"" + WSRM + "\",\"message\":{}}]}", 400); // no messageId
        refused(token, "{\"events\":[" + good + ",{\"messageId\":\"x\",\"authority\":\"" + WSRM + "\",\"message\":[1]}]}", 400);
        refused(token, "{\"events\":[" + good + ",{\"messageId\":\"x\",\"authority\":\"bad authority!\",\"message\":{}}]}", 400);
        refused(token, "{\"events\":[]}", 400);
        refused(token, "{\"events\":[" + good + "", 400);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add("{\"messageId\":\"m" + i + "-" + UUID.randomUUID() + "\",\"authority\":\"" + WSRM + "\",\"message\":{}}");
        }
        refused(token, "{\"events\":[" + String.join(",", many) + "]}", 413);
        given().auth().oauth2(token).contentType(ContentType.TEXT).body("{\"events\":[" + good + "]}")
                .when().post("/v1/ingest").then().statusCode(415).contentType(startsWith("application/problem+json"));
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void onlyThePollerMayHandOverMessages() {
        String body = batch(ids(1), new WsbMessages(32, 1).next(1));
        given().auth().oauth2(star.token(ALL_READER)).contentType(ContentType.JSON).body(body)
                .when().post("/v1/ingest").then().statusCode(403).contentType(startsWith("application/problem+json"));
        given().contentType(ContentType.JSON).body(body).when().post("/v1/ingest").then().statusCode(401);
    }

    private static void refused(String token, String body, int status) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/v1/ingest").then().statusCode(status).contentType(startsWith("application/problem+json"));
    }
}
