package org.socsecgateway.wsbreceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.startsWith;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE_PATH;
import static org.socsecgateway.wsbreceiver.SimulatedStar.ALL_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.POLLER;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.wsb.WsbMessage;
import org.socsecgateway.simulators.wsb.WsbMessages;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * While PostgreSQL is away: 503 with Retry-After everywhere (webhook, feed, ingest, WSRM sequence receipts), readiness
 * down; afterwards the same message and receipt are stored.
 */
@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DatabaseOutageTest {

    @SimulatedStar.InjectStar
    Star star;

    @Inject
    AgroalDataSource receiverPool;

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL readiness;

    @Test
    void answers503WithRetryAfterWhileTheDatabaseIsDownAndStoresTheMessageOnceItIsBack() throws Exception {
        WsbMessage message = new WsbMessages(System.nanoTime(), 1).next();
        byte[] body = message.toJson().getBytes(StandardCharsets.UTF_8);
        HttpClient client = star.tlsClient(star.pki().starClientKeystoreP12());
        String url = "https://localhost:" + webhook.getPort() + AKASSE_PATH;
        String reader = star.token(ALL_READER);
        String from = Feed.head(reader);
        String sequenceId = java.util.UUID.randomUUID().toString();
        String sequenceReceipt = "{\"authority\":\"" + AKASSE + "\",\"startedAt\":\"2026-11-29T10:00:00Z\","
                + "\"endedAt\":\"2026-11-29T10:01:00Z\",\"inventory\":[],\"fetched\":0,\"stored\":0,\"duplicates\":0,"
                + "\"outcome\":\"EMPTY\"}";
        star.postgres().stop();
        try {
            long start = System.nanoTime();
            HttpResponse<String> refused = Star.post(client, url, "application/json", body);
            WebhookTest.assertProblem(refused, 503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered within the pool acquisition timeout (3 s), not hanging").isLessThan(Duration.ofSeconds(5));

            given().auth().oauth2(reader).when().get("/v1/events?after=" + from)
                    .then().statusCode(503).header("Retry-After", "2");
            given().auth().oauth2(star.token(POLLER)).contentType(ContentType.JSON)
                    .body("{\"events\":[{\"messageId\":\"outage-1\",\"authority\":\"" + AKASSE + "\",\"message\":{}}]}")
                    .when().post("/v1/ingest").then().statusCode(503).header("Retry-After", "2");
            given().auth().oauth2(star.token(POLLER)).contentType(ContentType.JSON).body(sequenceReceipt)
                    .when().put("/v1/wsrm/sequences/" + sequenceId).then().statusCode(503).header("Retry-After", "2")
                    .contentType(startsWith("application/problem+json"));
            given().auth().oauth2(star.token(POLLER)).when().get("/v1/wsrm/sequences")
                    .then().statusCode(503).header("Retry-After", "2");
            given().when().get(readiness).then().statusCode(503);
        } finally {
            star.restartPostgres(receiverPool);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get(readiness).then().statusCode(200));

        // STAR's retry: stored now (it was not stored before, so not a duplicate), and in the feed
        await().atMost(Duration.ofSeconds(10)).until(() -> Star.post(client, url, "application/json", body).statusCode() == 200);
        assertThat(star.count("select count(*) from inbox_event where message_id = ?", message.meddelelseId())).isOne();
        await().atMost(Duration.ofSeconds(10)).until(() -> Feed.all(reader, from, "authorities=" + AKASSE).stream()
                .map(e -> e.get("messageId")).anyMatch(message.meddelelseId()::equals));
        JsonPath outcome = JsonPath.from(Star.post(client, url, "application/json", body).body());
        assertThat(outcome.getBoolean("duplicate")).isTrue();

        // the poller's retry of its sequence receipt: recorded now, once
        given().auth().oauth2(star.token(POLLER)).contentType(ContentType.JSON).body(sequenceReceipt)
                .when().put("/v1/wsrm/sequences/" + sequenceId).then().statusCode(201);
        assertThat(star.count("select count(*) from wsrm_sequence_receipt where sequence_id = ?", sequenceId)).isOne();
    }
}
