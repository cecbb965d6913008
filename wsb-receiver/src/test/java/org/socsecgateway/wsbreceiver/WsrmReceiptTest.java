package org.socsecgateway.wsbreceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.socsecgateway.wsbreceiver.SimulatedStar.ALL_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.POLLER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.RECEIPT_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.STRANGER;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.socsecgateway.common.testing.LogCapture;
import org.socsecgateway.wsbreceiver.service.RetentionPurge;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;

/**
 * {@code /v1/wsrm/sequences}: the receipt of each WSRM sequence dfdg-poller drained (docs/partners.md: kept 6 months, then
 * deleted). Recorded once and replaced when sent again; anything malformed is 400 with nothing stored; only the poller
 * records, the poller and the receipt readers read; the retention purge deletes the old ones.
 */
@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class WsrmReceiptTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTHORITY = "DFDG:58";

    @SimulatedStar.InjectStar
    Star star;

    @Inject
    RetentionPurge purge;

    @TestHTTPResource("/")
    URL internal;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapiUrl;

    private final LogCapture log = new LogCapture();
    private static Vertx vertx;

    @BeforeAll
    static void startClients() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopClients() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void startLog() {
        log.start();
    }

    @AfterEach
    void noErrorLogged() {
        log.stop();
        assertThat(log.errors()).as("nothing a caller sends logs an ERROR").isEmpty();
    }

    /** A complete, valid receipt: a terminated sequence of 5 messages over two services, ending at {@code endedAt}. */
    private static Map<String, Object> receipt(OffsetDateTime endedAt) {
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("authority", AUTHORITY);
        receipt.put("startedAt", endedAt.minusMinutes(2).toString());
        receipt.put("endedAt", endedAt.toString());
        receipt.put("inventory", List.of(Map.of("serviceName", "GetAkassemedlemskabVersion1", "messageCount", 3),
                Map.of("serviceName", "GetIndkaldelseVersion2", "messageCount", 2)));
        receipt.put("fetched", 5);
        receipt.put("stored", 4);
        receipt.put("duplicates", 1);
        receipt.put("outcome", "TERMINATED");
        return receipt;
    }

    private static Map<String, Object> receipt() {
        return receipt(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS));
    }

    private static Map<String, Object> with(Map<String, Object> receipt, Consumer<Map<String, Object>> change) {
        Map<String, Object> changed = new LinkedHashMap<>(receipt);
        change.accept(changed);
        return changed;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private ValidatableResponse put(String subject, String id, String body) {
        return given().auth().oauth2(star.token(subject)).contentType(ContentType.JSON).body(body)
                .when().put("/v1/wsrm/sequences/" + id).then();
    }

    private long rows(String id) {
        return star.count("select count(*) from wsrm_sequence_receipt where sequence_id = ?", id.toLowerCase(Locale.ROOT));
    }

    private long rows() {
        return star.count("select count(*) from wsrm_sequence_receipt");
    }

    private MetricsTest.Scrape scrape() {
        return new MetricsTest.Scrape(given().get(metrics).then().statusCode(200).extract().asString());
    }

    @Test
    void recordedOnceAndSentAgainTheOneRowIsUpdatedKeepingWhenItWasFirstRecorded() throws Exception {
        String id = newId();
        Map<String, Object> first = receipt();
        MetricsTest.Scrape before = scrape();

        put(POLLER, id, json(first)).statusCode(201).contentType(startsWith("application/json"))
                .header("Location", endsWith("/v1/wsrm/sequences/" + id))
                .body("sequenceId", equalTo(id)).body("authority", equalTo(AUTHORITY)).body("outcome", equalTo("TERMINATED"))
                .body("inventory[0].serviceName", equalTo("GetAkassemedlemskabVersion1")).body("inventory[0].messageCount", equalTo(3))
                .body("inventory[1].serviceName", equalTo("GetIndkaldelseVersion2")).body("inventory.size()", equalTo(2))
                .body("fetched", equalTo(5)).body("stored", equalTo(4)).body("duplicates", equalTo(1))
                .body("errorCode", nullValue()).body("detail", nullValue()).body("recordedBy", equalTo(POLLER));
        assertThat(rows(id)).isOne();
        OffsetDateTime recordedAt = column(id, "recorded_at");
        assertThat(scrape().delta(before, "wsb_wsrm_sequences_recorded_total", Map.of("outcome", "TERMINATED"))).isEqualTo(1);

        // the poller crashed after recording and sends it again, now closed with DFDG's error code; in upper case
        Map<String, Object> again = with(first, r -> {
            r.put("outcome", "CLOSED");
            r.put("fetched", 3);
            r.put("stored", 2);
            r.put("errorCode", 1001);
            r.put("detail", "Get failed: SOAP fault");
        });
        JsonPath replaced = put(POLLER, id.toUpperCase(Locale.ROOT), json(again)).statusCode(200)
                .body("sequenceId", equalTo(id)).body("outcome", equalTo("CLOSED")).body("fetched", equalTo(3))
                .body("errorCode", equalTo(1001)).body("detail", equalTo("Get failed: SOAP fault"))
                .extract().jsonPath();
        assertThat(rows(id)).as("one row per sequence").isOne();
        assertThat(column(id, "recorded_at")).as("recorded_at kept").isEqualTo(recordedAt);
        assertThat(OffsetDateTime.parse(replaced.getString("recordedAt")).toInstant()).isEqualTo(recordedAt.toInstant());
        assertThat(OffsetDateTime.parse(replaced.getString("updatedAt"))).isAfterOrEqualTo(recordedAt);
        assertThat(star.count("select count(*) from wsrm_sequence_receipt where sequence_id = ? and outcome = 'CLOSED'"
                + " and fetched = 3 and stored = 2 and duplicates = 1 and error_code = 1001", id)).isOne();
        MetricsTest.Scrape after = scrape();
        assertThat(after.delta(before, "wsb_wsrm_sequences_recorded_total", Map.of("outcome", "TERMINATED")))
                .as("counted once per sequence").isEqualTo(1);
        assertThat(after.delta(before, "wsb_wsrm_sequences_recorded_total", Map.of("outcome", "CLOSED"))).isZero();
        // one bounded uri label for every sequence, never the id itself
        // (the server records a request's timing after its answer went out: wait for it)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape().text().lines())
                .anyMatch(line -> line.startsWith("http_server_requests_seconds_count{method=\"PUT\"")
                        && line.contains("status=\"201\",uri=\"/v1/wsrm/sequences/{sequenceId}\"}"))
                .anyMatch(line -> line.startsWith("http_server_requests_seconds_count{method=\"PUT\"")
                        && line.contains("status=\"200\",uri=\"/v1/wsrm/sequences/{sequenceId}\"}")));
        assertThat(scrape().text()).doesNotContain(id);

        // and it reads back as kept, for the poller and for an operator
        for (String reader : List.of(POLLER, RECEIPT_READER)) {
            given().auth().oauth2(star.token(reader)).when().get("/v1/wsrm/sequences/" + id.toUpperCase(Locale.ROOT))
                    .then().statusCode(200).body("sequenceId", equalTo(id)).body("outcome", equalTo("CLOSED"))
                    .body("recordedAt", equalTo(replaced.getString("recordedAt")));
        }
        given().auth().oauth2(star.token(RECEIPT_READER)).when().get("/v1/wsrm/sequences/" + newId())
                .then().statusCode(404).contentType(startsWith("application/problem+json"));
    }

    @Test
    void anEmptySequenceIsRecordedWithAnEmptyInventory() {
        String id = newId();
        put(POLLER, id, json(with(receipt(), r -> {
            r.put("inventory", List.of());
            r.put("fetched", 0);
            r.put("stored", 0);
            r.put("duplicates", 0);
            r.put("outcome", "EMPTY");
        }))).statusCode(201).body("inventory.size()", equalTo(0)).body("outcome", equalTo("EMPTY"));
        assertThat(rows(id)).isOne();
    }

    @Test
    void aBadIdOutcomeOrSizeIs400WithNothingStored() {
        long before = rows();
        String good = json(receipt());
        // not DFDG's GUID
        for (String id : List.of("not-a-guid", "6f1c2a520b7e4c1e9a7d3f5e2d1c0b9a", "urn:uuid:6f1c2a52-0b7e-4c1e-9a7d-3f5e2d1c0b9a",
                "6f1c2a52-0b7e-4c1e-9a7d-3f5e2d1c0b9", "6f1c2a52-0b7e-4c1e-9a7d-3f5e2d1c0b9g", "6f1c2a52-0b7e-4c1e-9a7d-3f5e2d1c0b9a0",
                "%7B6f1c2a52-0b7e-4c1e-9a7d-3f5e2d1c0b9a%7D", "6f1c2a52-0b7e-4c1e-9a7d-3f5e2d1c0b9a%20")) {
            given().urlEncodingEnabled(false).auth().oauth2(star.token(POLLER)).contentType(ContentType.JSON).body(good)
                    .when().put("/v1/wsrm/sequences/" + id).then().statusCode(400)
                    .contentType(startsWith("application/problem+json")).body("status", equalTo(400));
        }
        Map<String, Object> valid = receipt();
        List<Map<String, Object>> inventory = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            inventory.add(Map.of("serviceName", "GetThingVersion" + i, "messageCount", 1));
        }
        List<String> bodies = new ArrayList<>(List.of(
                // outcome
                json(with(valid, r -> r.put("outcome", "DONE"))),
                json(with(valid, r -> r.put("outcome", "terminated"))),
                json(with(valid, r -> r.put("outcome", ""))),
                json(with(valid, r -> r.put("outcome", "TERMINATED "))),
                json(with(valid, r -> r.remove("outcome"))),
                // sizes
                json(with(valid, r -> r.put("inventory", inventory))),
                json(with(valid, r -> r.put("inventory", List.of(Map.of("serviceName", "G".repeat(201), "messageCount", 1))))),
                json(with(valid, r -> r.put("detail", "d".repeat(501)))),
                json(with(valid, r -> r.put("authority", "A".repeat(65)))),
                // shapes of the inventory
                json(with(valid, r -> r.put("inventory", List.of(Map.of("serviceName", "Get Thing", "messageCount", 1))))),
                json(with(valid, r -> r.put("inventory", List.of(Map.of("serviceName", "GetÆndring", "messageCount", 1))))),
                json(with(valid, r -> r.put("inventory", List.of(Map.of("serviceName", "", "messageCount", 1))))),
                json(with(valid, r -> r.put("inventory", List.of(Map.of("serviceName", "GetThing", "messageCount", -1))))),
                json(with(valid, r -> r.put("inventory", List.of(Map.of("serviceName", "GetThing"))))),
                json(with(valid, r -> r.remove("inventory"))),
                // no CPR number and no content in the detail
                json(with(valid, r -> r.put("detail", "message for 0103851234 failed"))),
                json(with(valid, r -> r.put("detail", "message for 010385-1234 failed"))),
                json(with(valid, r -> r.put("detail", "line one\nline two"))),
                // counts, authority, times
                json(with(valid, r -> r.put("fetched", -1))),
                json(with(valid, r -> r.put("duplicates", "x"))),
                json(with(valid, r -> r.remove("stored"))),
                json(with(valid, r -> r.remove("authority"))),
                json(with(valid, r -> r.put("authority", "bad authority!"))),
                json(with(valid, r -> r.put("endedAt", OffsetDateTime.parse((String) valid.get("startedAt")).minusSeconds(1).toString()))),
                json(with(valid, r -> r.put("startedAt", "2026-11-29T10:00:00"))),
                json(with(valid, r -> r.put("startedAt", "yesterday"))),
                json(with(valid, r -> r.put("startedAt", "+300000-01-01T00:00:00Z"))),
                json(with(valid, r -> r.put("startedAt", "1969-12-31T23:59:59Z"))),
                json(with(valid, r -> r.remove("endedAt"))),
                // not a receipt at all
                "", "{", "[1]", "null", "\"TERMINATED\"", good + " x", good + good, "{\"outcome\":\"TERMINATED\"}"));
        for (String body : bodies) {
            String id = newId();
            String answer = put(POLLER, id, body).statusCode(400).contentType(startsWith("application/problem+json"))
                    .body("status", equalTo(400)).extract().asString();
            assertThat(answer).as("never echoes a CPR number").doesNotContain("0103851234", "010385-1234");
            assertThat(rows(id)).as(body.length() > 200 ? body.substring(0, 200) : body).isZero();
        }
        given().auth().oauth2(star.token(POLLER)).contentType(ContentType.TEXT).body(good)
                .when().put("/v1/wsrm/sequences/" + newId()).then().statusCode(415).contentType(startsWith("application/problem+json"));
        assertThat(rows()).as("nothing stored").isEqualTo(before);
        assertThat(log.all()).doesNotContain("0103851234", "010385-1234");
    }

    @Test
    void onlyThePollerRecordsAndOnlyThePollerAndReceiptReadersRead() {
        String id = newId();
        String body = json(receipt());
        for (String subject : List.of(ALL_READER, RECEIPT_READER, STRANGER)) {
            put(subject, id, body).statusCode(403).contentType(startsWith("application/problem+json")).body("status", equalTo(403));
        }
        given().contentType(ContentType.JSON).body(body).when().put("/v1/wsrm/sequences/" + id).then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
        given().auth().oauth2("not-a-token").contentType(ContentType.JSON).body(body).when().put("/v1/wsrm/sequences/" + id)
                .then().statusCode(401);
        assertThat(rows(id)).isZero();

        put(POLLER, id, body).statusCode(201);
        for (String subject : List.of(ALL_READER, STRANGER)) {
            given().auth().oauth2(star.token(subject)).when().get("/v1/wsrm/sequences").then().statusCode(403)
                    .contentType(startsWith("application/problem+json"));
            given().auth().oauth2(star.token(subject)).when().get("/v1/wsrm/sequences/" + id).then().statusCode(403)
                    .contentType(startsWith("application/problem+json"));
        }
        given().when().get("/v1/wsrm/sequences").then().statusCode(401);
        for (String subject : List.of(POLLER, RECEIPT_READER)) {
            given().auth().oauth2(star.token(subject)).when().get("/v1/wsrm/sequences").then().statusCode(200);
        }
    }

    @Test
    void thePurgeDeletesReceiptsOlderThanTheRetentionAndKeepsTheRest() throws Exception {
        String old = newId();
        String almost = newId();
        String young = newId();
        for (String id : List.of(old, almost, young)) {
            put(POLLER, id, json(receipt())).statusCode(201);
        }
        try (Connection db = star.connect()) {
            age(db, old, "184 days");
            age(db, almost, "182 days");
        }
        MetricsTest.Scrape before = scrape();

        long[] deleted = purge.purge();

        assertThat(rows(old)).as("older than 183 days").isZero();
        assertThat(rows(almost)).as("younger than 183 days").isOne();
        assertThat(rows(young)).isOne();
        assertThat(deleted).hasSize(3);
        // the scheduled purge may have run in between (it counts in the same counter)
        assertThat(deleted[2] + scrape().delta(before, "wsb_purged_total", Map.of("what", "sequence-receipts")))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape().value("wsb_purged_total", Map.of("what", "sequence-receipts"))).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theListIsNewestFirstSinceAnInstantAndLimited() {
        // ended in a future hour no other test uses, so only these four are at or after it
        OffsetDateTime base = OffsetDateTime.parse("2100-01-01T00:00:00Z").plusHours(ThreadLocalRandom.current().nextInt(500_000));
        String before = newId();
        String first = newId();
        String second = newId();
        String third = newId();
        put(POLLER, third, json(receipt(base.plusHours(3)))).statusCode(201);
        put(POLLER, first, json(receipt(base.plusHours(1)))).statusCode(201);
        put(POLLER, before, json(receipt(base.minusHours(1)))).statusCode(201);
        put(POLLER, second, json(receipt(base.plusHours(2)))).statusCode(201);

        String reader = star.token(RECEIPT_READER);
        assertThat(ids(reader, "since=" + base)).containsExactly(third, second, first);
        assertThat(ids(reader, "since=" + base + "&limit=2")).containsExactly(third, second);
        // the same instant in another offset (a + written %2B in a query)
        String inCopenhagen = base.plusMinutes(90).withOffsetSameInstant(ZoneOffset.ofHours(1)).toString().replace("+", "%2B");
        assertThat(ids(reader, "since=" + inCopenhagen)).containsExactly(third, second);
        assertThat(ids(reader, "since=" + base.plusHours(3))).as("at or after").containsExactly(third);
        assertThat(ids(reader, "since=" + base.plusHours(4))).isEmpty();
        List<String> newest = ids(reader, "limit=1000");
        assertThat(newest.subList(0, 3)).containsExactly(third, second, first);
        assertThat(newest).contains(before);
        assertThat(ids(reader, "")).hasSizeLessThanOrEqualTo(100);
        JsonPath page = given().auth().oauth2(reader).when().get("/v1/wsrm/sequences?since=" + base + "&limit=1").then()
                .statusCode(200).body("sequences.size()", equalTo(1)).body("sequences[0].sequenceId", equalTo(third))
                .body("sequences[0].inventory[1].messageCount", equalTo(2)).extract().jsonPath();
        assertThat(page.getString("sequences[0].endedAt")).endsWith("Z");
        assertThat(OffsetDateTime.parse(page.getString("sequences[0].endedAt"))).isEqualTo(base.plusHours(3));
        assertThat(OffsetDateTime.parse(page.getString("sequences[0].startedAt"))).isEqualTo(base.plusHours(3).minusMinutes(2));

        for (String bad : List.of("limit=0", "limit=1001", "limit=x", "limit=-1", "since=yesterday", "since=2026-11-29T10:00:00",
                "since=2026-11-29T10:00:00+01:00", "since=2026-11-29", "since=+300000-01-01T00:00:00Z", "outcome=closed",
                "outcome=RUNNING", "outcome=IN_PROGRESS%00")) {
            given().urlEncodingEnabled(false).auth().oauth2(reader).when().get("/v1/wsrm/sequences?" + bad)
                    .then().statusCode(400).contentType(startsWith("application/problem+json"));
        }
    }

    @Test
    void aSequenceInProgressIsFoundByItsOutcomeUntilItsEndIsRecorded() {
        // in the past, so the listing test (in the future) does not see these
        OffsetDateTime base = OffsetDateTime.parse("1980-01-01T00:00:00Z").plusHours(ThreadLocalRandom.current().nextInt(50_000));
        String running = newId();
        String ended = newId();
        Map<String, Object> inProgress = receipt(base);
        inProgress.put("outcome", "IN_PROGRESS");
        inProgress.put("fetched", 0);
        inProgress.put("stored", 0);
        inProgress.put("duplicates", 0);
        MetricsTest.Scrape before = scrape();
        put(POLLER, running, json(inProgress)).statusCode(201);
        put(POLLER, ended, json(inProgress)).statusCode(201);
        assertThat(scrape().delta(before, "wsb_wsrm_sequences_recorded_total", Map.of("outcome", "IN_PROGRESS")))
                .as("a sequence is counted when it ends").isZero();
        put(POLLER, ended, json(receipt(base.plusMinutes(1)))).statusCode(200);
        put(POLLER, ended, json(receipt(base.plusMinutes(1)))).statusCode(200);
        assertThat(scrape().delta(before, "wsb_wsrm_sequences_recorded_total", Map.of("outcome", "TERMINATED")))
                .as("once, not again when sent again").isEqualTo(1);

        String poller = star.token(POLLER);
        assertThat(ids(poller, "since=" + base + "&outcome=IN_PROGRESS&limit=1000")).contains(running).doesNotContain(ended);
        assertThat(ids(poller, "since=" + base + "&outcome=TERMINATED&limit=1000")).contains(ended).doesNotContain(running);
    }

    @Test
    void theOpenApiDocumentDescribesTheReceipts() {
        JsonPath openapi = given().accept(ContentType.JSON).queryParam("format", "json").when().get(openapiUrl).then().statusCode(200)
                .extract().jsonPath();
        assertThat(openapi.getMap("paths.'/v1/wsrm/sequences/{sequenceId}'.put.responses")).containsKeys("200", "201", "400", "403", "503");
        assertThat(openapi.getMap("paths.'/v1/wsrm/sequences'.get.responses")).containsKeys("200", "400", "403", "503");
        assertThat(openapi.getMap("components.schemas.SequenceReceiptRequest.properties"))
                .containsKeys("authority", "startedAt", "endedAt", "inventory", "fetched", "stored", "duplicates", "outcome",
                        "errorCode", "detail");
    }

    enum Protocol {
        HTTP_1_1(HttpVersion.HTTP_1_1), HTTP_2(HttpVersion.HTTP_2);

        final HttpVersion version;

        Protocol(HttpVersion version) {
            this.version = version;
        }
    }

    /** The same answers over HTTP/1.1 and h2c (prior knowledge), the two ways the poller may connect. */
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void recordedAndRefusedAlikeOverHttp1AndHttp2(Protocol protocol) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(protocol.version)
                .setHttp2ClearTextUpgrade(false).setDefaultHost("localhost").setDefaultPort(internal.getPort()));
        try {
            String id = newId();
            String body = json(receipt());
            String token = "Bearer " + star.token(POLLER);
            assertThat(send(client, protocol, "/v1/wsrm/sequences/" + id, body, token)).startsWith("201 application/json");
            assertThat(send(client, protocol, "/v1/wsrm/sequences/" + id, body, token)).startsWith("200 application/json");
            assertThat(send(client, protocol, "/v1/wsrm/sequences/not-a-guid", body, token)).startsWith("400 application/problem+json");
            String badOutcome = newId();
            assertThat(send(client, protocol, "/v1/wsrm/sequences/" + badOutcome, json(with(receipt(), r -> r.put("outcome", "DONE"))), token))
                    .startsWith("400 application/problem+json");
            assertThat(send(client, protocol, "/v1/wsrm/sequences/" + badOutcome, body, "Bearer " + star.token(ALL_READER)))
                    .startsWith("403 application/problem+json");
            assertThat(rows(id)).isOne();
            assertThat(rows(badOutcome)).isZero();
        } finally {
            client.close();
        }
    }

    /** PUTs and answers "status content-type body", checking the protocol that answered. */
    private static String send(HttpClient client, Protocol protocol, String uri, String body, String authorization) throws Exception {
        return client.request(new RequestOptions().setMethod(HttpMethod.PUT).setURI(uri)).compose(request -> {
            request.putHeader("Content-Type", "application/json").putHeader("Authorization", authorization);
            return request.send(Buffer.buffer(body.getBytes(StandardCharsets.UTF_8))).compose(response -> {
                assertThat(response.version()).isEqualTo(protocol.version);
                return response.body().map(read -> response.statusCode() + " " + response.getHeader("Content-Type") + " "
                        + read.toString(StandardCharsets.UTF_8));
            });
        }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static List<String> ids(String token, String query) {
        return given().urlEncodingEnabled(false).auth().oauth2(token).when().get("/v1/wsrm/sequences" + (query.isEmpty() ? "" : "?" + query))
                .then().statusCode(200).contentType(startsWith("application/json")).extract().jsonPath().getList("sequences.sequenceId");
    }

    private OffsetDateTime column(String id, String column) throws Exception {
        try (Connection db = star.connect();
             PreparedStatement select = db.prepareStatement("select " + column + " from wsrm_sequence_receipt where sequence_id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getObject(1, OffsetDateTime.class);
            }
        }
    }

    private static void age(Connection db, String id, String interval) throws Exception {
        try (PreparedStatement update = db.prepareStatement(
                "update wsrm_sequence_receipt set recorded_at = now() - ?::interval where sequence_id = ?")) {
            update.setString(1, interval);
            update.setString(2, id);
            assertThat(update.executeUpdate()).isOne();
        }
    }
}
