package org.socsecgateway.wsbreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE_PATH;
import static org.socsecgateway.wsbreceiver.SimulatedStar.ALL_READER;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;

import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.wsb.DeliveryReport;
import org.socsecgateway.simulators.wsb.StarWsbSender;
import org.socsecgateway.simulators.wsb.WsbMessage;
import org.socsecgateway.simulators.wsb.WsbMessages;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class WebhookTest {

    @SimulatedStar.InjectStar
    Star star;

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    @TestHTTPResource("/")
    URL internal;

    private String base() {
        return "https://localhost:" + webhook.getPort();
    }

    private long stored(String authority) {
        return star.count("select count(*) from inbox_event where authority = ?", authority);
    }

    private long receipts() {
        return star.count("select count(*) from receipt");
    }

    @Test
    void storesTheMessageKeepsItsRawJsonAndPutsItInTheFeed() {
        String from = Feed.head(star.token(ALL_READER));
        WsbMessage message = new WsbMessages(1, 5).next();
        try (StarWsbSender sender = star.sender(base()).build()) {
            DeliveryReport report = sender.send(AKASSE_PATH, message);
            assertThat(report.allDelivered()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !Feed.all(star.token(ALL_READER), from, "").isEmpty());
        List<Map<String, Object>> events = Feed.all(star.token(ALL_READER), from, "");
        assertThat(events).hasSize(1);
        Map<String, Object> event = events.get(0);
        assertThat(event).containsEntry("channel", "wsb").containsEntry("authority", AKASSE)
                .containsEntry("type", Integer.toString(message.entitetId()))
                .containsEntry("typeName", message.entitetNavn())
                .containsEntry("messageId", message.meddelelseId())
                .containsEntry("externalId", message.eksternIdentifier())
                .containsEntry("version", message.versionIdentifikator())
                .containsEntry("changeType", message.aendringType());
        assertThat(event.get("subject")).isEqualTo(Map.of("type", 1, "id", message.cpr()));
        assertThat(event.get("eventTime")).isNotNull();
        // the raw JSON, byte for byte as STAR sent it
        String raw = star.rawOf(message.meddelelseId());
        assertThat(raw).isEqualTo(message.toJson());
        assertThat(JsonPath.from(raw).getString("MeddelelseId")).isEqualTo(message.meddelelseId());
    }

    @Test
    void aDuplicateIsAnsweredTwoHundredAndStoredOnce() throws Exception {
        WsbMessage message = new WsbMessages(2, 5).next();
        HttpClient client = star.tlsClient(star.pki().starClientKeystoreP12());
        byte[] body = message.toJson().getBytes(StandardCharsets.UTF_8);
        long before = stored(AKASSE);
        HttpResponse<String> first = Star.post(client, base() + AKASSE_PATH, "application/json", body);
        HttpResponse<String> second = Star.post(client, base() + AKASSE_PATH, "application/json; charset=utf-8", body);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(JsonPath.from(first.body()).getBoolean("duplicate")).isFalse();
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(JsonPath.from(second.body()).getBoolean("duplicate")).isTrue();
        assertThat(JsonPath.from(second.body()).getLong("receipt")).isEqualTo(JsonPath.from(first.body()).getLong("receipt"));
        assertThat(stored(AKASSE)).isEqualTo(before + 1);
        assertThat(star.count("select deliveries from receipt where id = ?", JsonPath.from(first.body()).getLong("receipt"))).isEqualTo(2);
    }

    @Test
    void parsesTolerantlyAnyCaseUnknownFieldsAndOtherSpellings() throws Exception {
        String id = UUID.randomUUID().toString();
        String json = """
                {"messageid":"%s","ENTITYID":90000,"entitetnavn":"Indkaldelse","externalIdentifier":"6f1c2a47-1111-4c1e-9a55-0d8e2f1a0b33",
                 "versionidentifier":"v7","changeType":"2","subject":{"identificationType":1,"identification":"0101901234"},
                 "timestamp":"2025-03-04T10:15:00","somethingNew":{"nested":[1,2,3]}}""".formatted(id);
        HttpResponse<String> response = Star.post(star.tlsClient(star.pki().starClientKeystoreP12()), base() + AKASSE_PATH,
                "application/json", json.getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(star.count("select count(*) from inbox_event where message_id = ? and message_type = '90000' and type_name = 'Indkaldelse'"
                + " and external_id = '6f1c2a47-1111-4c1e-9a55-0d8e2f1a0b33' and version = 'v7' and change_type = 2 and subject_type = 1"
                + " and subject = '0101901234' and event_time = '2025-03-04T09:15:00Z'", id)).isEqualTo(1);
        assertThat(star.rawOf(id)).isEqualTo(json);
    }

    @Test
    void badInputIsRefusedWithProblemJsonAndNothingStored() throws Exception {
        HttpClient client = star.tlsClient(star.pki().starClientKeystoreP12());
        String url = base() + AKASSE_PATH;
        long before = stored(AKASSE);
        long receiptsBefore = receipts();
        assertProblem(Star.post(client, url, "application/json", "{\"EntitetId\": 60010,".getBytes()), 400);
        assertProblem(Star.post(client, url, "application/json", "[1,2,3]".getBytes()), 400);
        assertProblem(Star.post(client, url, "application/json", "\"just a string\"".getBytes()), 400);
        assertProblem(Star.post(client, url, "application/json", new byte[0]), 400);
        assertProblem(Star.post(client, url, "application/json", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}), 400);
        assertProblem(Star.post(client, url, "text/plain", "{\"EntitetId\": 60010}".getBytes()), 415);
        assertProblem(Star.post(client, url, "application/xml", "<wsb/>".getBytes()), 415);
        String large = "{\"Indhold\":\"" + "x".repeat(SimulatedStar.MAX_MESSAGE_SIZE) + "\"}";
        assertProblem(Star.post(client, url, "application/json", large.getBytes()), 413);
        assertProblem(Star.post(client, base() + "/wsb/unknown-authority", "application/json", "{}".getBytes()), 404);
        assertThat(stored(AKASSE)).isEqualTo(before);
        assertThat(receipts()).isEqualTo(receiptsBefore);
    }

    @Test
    void refusesAMissingWrongOrUnpinnedClientCertificateBeforeStoringAnything() throws Exception {
        byte[] body = new WsbMessages(3, 5).next().toJson().getBytes(StandardCharsets.UTF_8);
        String url = base() + AKASSE_PATH;
        long before = stored(AKASSE);
        long receiptsBefore = receipts();

        // no certificate: the TLS session is set up, the request is refused
        HttpResponse<String> none = Star.post(star.tlsClient(null), url, "application/json", body);
        assertProblem(none, 401);
        assertThat(none.body()).contains("client certificate is required");

        // a certificate the trust store does not know: the handshake fails
        assertThatThrownBy(() -> Star.post(star.tlsClient(star.stranger().keystoreP12()), url, "application/json", body))
                .satisfies(e -> assertThat(e).hasRootCauseInstanceOf(SSLException.class).isInstanceOf(IOException.class));

        // trusted, but not STAR's pinned fingerprint
        assertProblem(Star.post(star.tlsClient(star.impostor().keystoreP12()), url, "application/json", body), 403);

        // the webhook is not served on the internal listener, nor the internal API on the webhook listener
        assertProblem(Star.post(HttpClient.newHttpClient(), "http://localhost:" + internal.getPort() + AKASSE_PATH,
                "application/json", body), 404);
        HttpResponse<String> api = star.tlsClient(star.pki().starClientKeystoreP12()).send(HttpRequest
                .newBuilder(URI.create(base() + "/v1/events")).header("Authorization", "Bearer " + star.token(ALL_READER))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(api, 404);

        assertThat(stored(AKASSE)).isEqualTo(before);
        assertThat(receipts()).isEqualTo(receiptsBefore);
    }

    static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JsonPath.from(response.body()).getInt("status")).isEqualTo(status);
    }
}
