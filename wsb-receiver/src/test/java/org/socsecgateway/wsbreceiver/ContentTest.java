package org.socsecgateway.wsbreceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.socsecgateway.wsbreceiver.SimulatedStar.ALL_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.KOMMUNE;
import static org.socsecgateway.wsbreceiver.SimulatedStar.KOMMUNE_PATH;
import static org.socsecgateway.wsbreceiver.SimulatedStar.POLLER;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.LogCapture;
import org.socsecgateway.wsbreceiver.service.TolerantParser;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * What is accepted is stored exactly and handed out as valid JSON; what cannot be is refused with 400 and nothing
 * stored; a message's own content never gets a 5xx. Through the webhook (HTTP/1.1 and HTTP/2) and {@code POST /v1/ingest},
 * every feed page read back with a strict parser.
 */
@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ContentTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final String CPR = "0101901234";

    /** As strict as a reader's parser can be: no trailing tokens, no duplicate names, numbers as written. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    @SimulatedStar.InjectStar
    Star star;

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    @Inject
    MeterRegistry meters;

    private final LogCapture log = new LogCapture();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void listen() {
        log.start();
    }

    @AfterEach
    void stopListening() {
        log.stop();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Odd but valid JSON objects (text, without a BOM); {@code tag} makes their ids unique to this run. */
    private static List<String> oddButValid(String tag) {
        return List.of(
                "{\"MeddelelseId\":\"n2\\u0000x-" + tag + "\",\"EntitetId\":60010}",
                "{\"MeddelelseId\":\"" + tag + "-nul-fields\",\"EntitetId\":\"600\\u000010\",\"EntitetNavn\":\"a\\u0000\","
                        + "\"EksternIdentifier\":\"e\\u0000\",\"VersionIdentifikator\":\"v\\u0000\","
                        + "\"Subjekt\":{\"IdentifikationType\":1,\"Identifikation\":\"0101\\u0000901234\"}}",
                "{\"MeddelelseId\":\"x\\ud800-" + tag + "\"}",
                "{\"MeddelelseId\":\"x\\udbff-" + tag + "\"}",
                "{\"MeddelelseId\":\"x?-" + tag + "\"}",
                "{\"MeddelelseId\":\"" + tag + "-lone\",\"t\":\"\\udc00\\ud800 reversed\",\"k\\ud800\":1,\"Subjekt\":\"\\udfff\"}",
                "{\"MeddelelseId\":\"" + tag + "-numbers\",\"big\":123456789012345678901234567890123456789012345678901234567890,"
                        + "\"huge\":1e400,\"tiny\":-1.0E-400,\"precise\":0.10000000000000000000000000001,\"EntitetId\":6.0010e4,"
                        + "\"AendringType\":99999999999,\"zero\":-0,\"zeroes\":1.000}",
                "{\"MeddelelseId\":\"" + tag + "-deep\",\"d\":" + nested(TolerantParser.MAX_DEPTH - 2) + "}",
                "{\"MeddelelseId\":\"" + tag + "-separators\",\"raw\":\"a\u2028b\u2029c\",\"escaped\":\"\\u2028\\u2029\","
                        + "\"bomInside\":\"\ufeff\",\"emoji\":\"\ud83d\ude00\",\"pair\":\"\\ud83d\\ude00\",\"da\":\"\u00e6\u00f8\u00e5\"}",
                " \r\n\t{ \"MeddelelseId\" :\t\"" + tag + "-whitespace\" ,\r\n\"EntitetId\"\n:\n60010 } \n\t\r ",
                "{\"MeddelelseId\":\"" + tag + "-scalars\",\"s\":\"\",\"t\":true,\"f\":false,\"n\":null,\"a\":[],\"o\":{},"
                        + "\"esc\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\"}",
                "{\"MeddelelseId\":\"" + tag + "-far-future\",\"Tidspunkt\":\"+300000-01-01T00:00:00Z\"}",
                "{\"MeddelelseId\":\"" + tag + "-far-past\",\"Tidspunkt\":\"-0001-01-01T00:00:00Z\"}",
                "{\"" + tag + "-no-id\":true}",
                "{\"MessageIdentifier\":\"" + tag + "-spelling\",\"IdentifikationstypeId\":1,\"Identifikation\":\"" + CPR + "\"}");
    }

    private static String nested(int depth) {
        return "[".repeat(depth - 1) + "{\"leaf\":1}" + "]".repeat(depth - 1);
    }

    /** JSON's own whitespace (RFC 8259, section 2) around a value; not Java's, which includes U+2028. */
    private static String jsonTrim(String text) {
        return text.replaceAll("^[ \t\r\n]+|[ \t\r\n]+$", "");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    /** Generous timeouts: the first handshakes of a cold JVM on two busy CPUs take seconds. */
    private HttpClient client(HttpClient.Version version) {
        return star.tlsClient(star.pki().starClientKeystoreP12(), version, Duration.ofSeconds(60));
    }

    private HttpResponse<String> deliver(HttpClient client, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + webhook.getPort() + KOMMUNE_PATH))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Response ingest(String token, byte[] body) {
        return given().auth().oauth2(token).contentType("application/json").body(body).when().post("/v1/ingest");
    }

    private static String item(String messageIdJson, String authority, String message) {
        return "{\"messageId\":" + messageIdJson + ",\"authority\":\"" + authority + "\",\"message\":" + message + "}";
    }

    private static String batch(List<String> items) {
        return "{\"events\":[" + String.join(",\n ", items) + "]}";
    }

    private static long receipt(HttpResponse<String> response) {
        return JsonPath.from(response.body()).getLong("receipt");
    }

    private static boolean duplicate(HttpResponse<String> response) {
        return JsonPath.from(response.body()).getBoolean("duplicate");
    }

    private List<String> column(String sql, Object... parameters) throws SQLException {
        try (Connection connection = star.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    private long rows() {
        return star.count("select count(*) from inbox_event") + star.count("select count(*) from receipt");
    }

    private double withoutId(String authority) {
        Counter counter = meters.find("wsb.messages.without.id").tags("channel", "wsb", "authority", authority).counter();
        return counter == null ? 0 : counter.count();
    }

    private double unstorableIds() {
        Counter counter = meters.find("wsb.fields.unstorable").tags("channel", "wsb", "field", "messageId").counter();
        return counter == null ? 0 : counter.count();
    }

    /** A feed page as a strict reader takes it: strict UTF-8, no byte order mark skipped, strict JSON. */
    private static JsonNode strictPage(byte[] page) throws Exception {
        assertThat(page.length >= 3 && page[0] == BOM[0] && page[1] == BOM[1] && page[2] == BOM[2])
                .as("a feed page starting with a byte order mark").isFalse();
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(page)).toString();
        return STRICT.readTree(text);
    }

    /** Every event after {@code after}, read in pages of {@code limit}, each page parsed strictly. */
    private List<JsonNode> strictFeed(String after, String filter, int limit) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        String cursor = after;
        while (true) {
            byte[] bytes = given().auth().oauth2(star.token(ALL_READER))
                    .when().get("/v1/events?after=" + cursor + "&limit=" + limit + filter)
                    .then().statusCode(200).extract().asByteArray();
            JsonNode page = strictPage(bytes);
            page.get("events").forEach(events::add);
            cursor = page.get("next").asText();
            if (page.get("events").size() < limit) {
                return events;
            }
        }
    }

    /** The receiver's log (not the test database server's own, which quotes refused values). */
    private void assertNoStackTraceAndNoCpr() {
        assertThat(log.lines()).filteredOn(line -> !line.startsWith("io.zonky"))
                .noneMatch(line -> line.contains(CPR) || line.contains("Exception") || line.contains("\tat "));
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void oddButValidMessagesAreStoredExactlyThroughBothDoorsAndEveryFeedPageParsesStrictly() throws Exception {
        String from = Feed.head(star.token(ALL_READER));
        List<String> corpus = oddButValid("c-" + run);

        // the webhook over HTTP/1.1: each is new, and stored as the exact text that was sent
        HttpClient http1 = client(HttpClient.Version.HTTP_1_1);
        List<Long> receipts = new ArrayList<>();
        for (String body : corpus) {
            HttpResponse<String> response = deliver(http1, utf8(body));
            assertThat(response.statusCode()).as(body).isEqualTo(200);
            assertThat(duplicate(response)).as(body).isFalse();
            receipts.add(receipt(response));
        }
        assertThat(new HashSet<>(receipts)).hasSameSizeAs(corpus);
        for (int i = 0; i < corpus.size(); i++) {
            assertThat(column("select raw from inbox_event where receipt_id = ?", receipts.get(i))).as(corpus.get(i))
                    .containsExactly(corpus.get(i));
        }
        // the same, each behind a byte order mark and over HTTP/2: the same messages (the BOM is not content)
        HttpClient http2 = client(HttpClient.Version.HTTP_2);
        for (int i = 0; i < corpus.size(); i++) {
            HttpResponse<String> response = deliver(http2, concat(BOM, utf8(corpus.get(i))));
            assertThat(response.statusCode()).as(corpus.get(i)).isEqualTo(200);
            assertThat(duplicate(response)).as(corpus.get(i)).isTrue();
            assertThat(receipt(response)).isEqualTo(receipts.get(i));
        }

        // ingest: each as one event's message, in a batch behind a BOM, with lone-surrogate message ids besides
        String authority = "CONTENT-" + run;
        List<String> items = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            items.add(item("\"i" + i + "\"", authority, corpus.get(i)));
            expected.add(jsonTrim(corpus.get(i)));
        }
        for (String id : List.of("\"x\\ud800\"", "\"x\\udbff\"", "\"x?\"", "\"n2\\u0000x\"")) {
            String message = "{\"for\":" + id + "}";
            items.add(item(id, authority, message));
            expected.add(message);
        }
        byte[] body = concat(BOM, utf8(batch(items)));
        String token = star.token(POLLER);
        ingest(token, body).then().statusCode(200)
                .body("stored", equalTo(items.size())).body("duplicates", equalTo(0));
        ingest(token, body).then().statusCode(200)
                .body("stored", equalTo(0)).body("duplicates", equalTo(items.size()));
        assertThat(column("select raw from inbox_event where authority = ? order by id", authority)).containsExactlyElementsOf(expected);

        // the feed: small pages of just these, then the whole feed; every page parses strictly
        await().atMost(Duration.ofSeconds(20)).until(() -> strictFeed(from, "&authorities=" + authority, 500).size() == expected.size()
                && strictFeed(from, "&authorities=" + KOMMUNE, 500).size() >= corpus.size());
        List<JsonNode> webhookEvents = strictFeed(from, "&authorities=" + KOMMUNE, 3);
        assertThat(webhookEvents).hasSameSizeAs(corpus);
        for (int i = 0; i < corpus.size(); i++) {
            assertThat(webhookEvents.get(i).get("message")).as(corpus.get(i)).isEqualTo(STRICT.readTree(corpus.get(i)));
        }
        List<JsonNode> ingested = strictFeed(from, "&authorities=" + authority, 2);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(ingested.get(i).get("message")).as(expected.get(i)).isEqualTo(STRICT.readTree(expected.get(i)));
        }
        assertThat(strictFeed("0", "", 250)).isNotEmpty();
        assertNoStackTraceAndNoCpr();
    }

    @Test
    void invalidUtf8AndWhatIsNotStrictJsonAreRefusedWithNothingStored() throws Exception {
        List<byte[]> bad = new ArrayList<>();
        int[][] sequences = {
            {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF}, {0xC0, 0xAE}, {0xC0, 0x80}, {0xE0, 0x80, 0xAF}, {0xF0, 0x80, 0x80, 0xAF},
            {0xF4, 0x90, 0x80, 0x80}, {0xC3, 0x28}, {0x80}, {0xFF}, {0xE2, 0x82}};
        bad.add(concat(utf8("{\"id\":\"u2\",\"t\":\""), bytes(0xED, 0xA0, 0x80), utf8("\"}"))); // the reported inputs
        bad.add(concat(utf8("{\"id\":\"u3\",\"t\":\""), bytes(0xC0, 0xAE), utf8("\"}")));
        for (int[] sequence : sequences) {
            bad.add(concat(utf8("{\"MeddelelseId\":\"" + run + "-"), bytes(sequence), utf8("\"}")));
        }
        bad.add(concat(utf8("{\"k"), bytes(0xED, 0xA0, 0x80), utf8("\":1}"))); // in a name too
        for (String text : List.of("{\"id\":\"t1\"} x", "{\"id\":\"t1\"}{\"id\":\"t2\"}", "{\"id\":\"t1\",}", "{\"id\":\"t1\"} // c",
                "1", "-1.5e3", "\"s\"", "true", "false", "null", "[]", "[{\"id\":\"a1\"}]", "{\"a\":1,\"a\":2}",
                "{\"id\":\"c\u0001\"}", "{\"id\":\"c\u0000\"}", nestedObject(TolerantParser.MAX_DEPTH + 1))) {
            bad.add(utf8(text)); // raw control characters in a string: not JSON
        }
        bad.add(BOM);
        bad.add(concat(BOM, utf8("1")));
        bad.add(concat(BOM, BOM, utf8("{\"id\":\"bb\"}")));
        bad.add(concat(utf8("{\"id\":\"bm\"}"), BOM));
        bad.add("{\"id\":\"w16\"}".getBytes(StandardCharsets.UTF_16));
        bad.add("{\"id\":\"w16\"}".getBytes(StandardCharsets.UTF_16LE));

        long before = rows();
        HttpClient http1 = client(HttpClient.Version.HTTP_1_1);
        for (byte[] body : bad) {
            WebhookTest.assertProblem(deliver(http1, body), 400);
        }
        HttpClient http2 = client(HttpClient.Version.HTTP_2);
        for (byte[] body : bad.subList(0, 4)) {
            WebhookTest.assertProblem(deliver(http2, body), 400);
        }

        String token = star.token(POLLER);
        String good = item("\"" + run + "-good\"", "CONTENT-" + run, "{\"EntitetId\":60010}");
        for (byte[] message : bad) {
            byte[] body = concat(utf8("{\"events\":[" + good + ",{\"messageId\":\"" + run + "-bad\",\"authority\":\"CONTENT-" + run
                    + "\",\"message\":"), message, utf8("}]}"));
            ingest(token, body).then().statusCode(400).contentType(startsWith("application/problem+json"));
        }
        for (byte[] body : List.of(concat(utf8(batch(List.of(good))), utf8(" x")), concat(BOM, BOM, utf8(batch(List.of(good)))),
                utf8("{\"events\":[" + good + "],\"events\":[]}"))) {
            ingest(token, body).then().statusCode(400).contentType(startsWith("application/problem+json"));
        }
        assertThat(rows()).isEqualTo(before);
        assertNoStackTraceAndNoCpr();
    }

    private static String nestedObject(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    @Test
    void theIssuesInputsAreStoredOnceEachAndRecognisedWhenSentAgain() throws Exception {
        HttpClient client = client(HttpClient.Version.HTTP_1_1);
        // 1. a BOM: stored without it
        HttpResponse<String> bom = deliver(client, concat(BOM, utf8("{\"id\":\"b1\"}")));
        assertThat(bom.statusCode()).isEqualTo(200);
        assertThat(column("select raw from inbox_event where receipt_id = ?", receipt(bom))).containsExactly("{\"id\":\"b1\"}");

        // 3. NUL in the id, 4. lone surrogates, 20. a year PostgreSQL cannot hold: stored once each, then duplicates
        List<String> bodies = List.of(
                "{\"MeddelelseId\":\"n2\\u0000x\",\"EntitetId\":60010}",
                "{\"MeddelelseId\":\"n2\\u0000y\",\"EntitetId\":60010}",
                "{\"MeddelelseId\":\"x\\ud800\"}",
                "{\"MeddelelseId\":\"x\\udbff\"}",
                "{\"MeddelelseId\":\"x?\"}",
                "{\"MeddelelseId\":\"ts-" + run + "\",\"Tidspunkt\":\"+300000-01-01T00:00:00Z\"}");
        Set<Long> receipts = new HashSet<>();
        double unstorable = unstorableIds();
        for (String body : bodies) {
            HttpResponse<String> first = deliver(client, utf8(body));
            assertThat(first.statusCode()).as(body).isEqualTo(200);
            assertThat(duplicate(first)).as(body).isFalse();
            receipts.add(receipt(first));
            HttpResponse<String> again = deliver(client, utf8(body));
            assertThat(again.statusCode()).as(body).isEqualTo(200);
            assertThat(duplicate(again)).as(body).isTrue();
            assertThat(receipt(again)).isEqualTo(receipt(first));
            assertThat(column("select raw from inbox_event where receipt_id = ?", receipt(first))).containsExactly(body);
        }
        assertThat(receipts).hasSize(bodies.size());
        // n2\u0000x, n2\u0000y, x\ud800, x\udbff: once each, not for the re-deliveries
        assertThat(unstorableIds()).isEqualTo(unstorable + 4);
        // the columns hold what they can hold exactly; the raw JSON has the rest
        assertThat(column("select coalesce(message_id, '-') || ' ' || message_type from inbox_event where raw = ?", bodies.get(0)))
                .containsExactly("- 60010");
        assertThat(column("select message_id from inbox_event where raw = ?", bodies.get(4))).containsExactly("x?");
        assertThat(column("select coalesce(event_time::text, '-') from inbox_event where raw = ?", bodies.get(5))).containsExactly("-");

        // 5. other spellings: the id and a top-level CPR subject are found; a message without an id is counted
        double without = withoutId(KOMMUNE);
        String spelled = "{\"MessageIdentifier\":\"mi-" + run + "\",\"IdentifikationstypeId\":1,\"Identifikation\":\"" + CPR + "\"}";
        assertThat(deliver(client, utf8(spelled)).statusCode()).isEqualTo(200);
        assertThat(star.count("select count(*) from inbox_event where message_id = ? and subject_type = 1 and subject = ?",
                "mi-" + run, CPR)).isEqualTo(1);
        assertThat(withoutId(KOMMUNE)).isEqualTo(without);
        assertThat(deliver(client, utf8("{\"Besked\":\"" + run + "\"}")).statusCode()).isEqualTo(200);
        assertThat(withoutId(KOMMUNE)).isEqualTo(without + 1);

        // the same kinds through ingest
        String authority = "ISSUE-" + run;
        String body = batch(List.of(
                item("\"n2\\u0000x\"", authority, "{\"Tidspunkt\":\"+300000-01-01T00:00:00Z\"}"),
                item("\"x\\ud800\"", authority, "{\"Subjekt\":{\"IdentifikationType\":1,\"Identifikation\":\"01019\\u00001234\"}}"),
                item("\"x\\udbff\"", authority, "{}"),
                item("\"x?\"", authority, "{}")));
        String token = star.token(POLLER);
        ingest(token, concat(BOM, utf8(body))).then().statusCode(200)
                .body("stored", equalTo(4)).body("duplicates", equalTo(0));
        ingest(token, utf8(body)).then().statusCode(200)
                .body("stored", equalTo(0)).body("duplicates", equalTo(4));
        assertThat(column("select coalesce(message_id, '-') from inbox_event where authority = ? order by id", authority))
                .containsExactly("-", "-", "-", "x?");
        assertNoStackTraceAndNoCpr();
    }

    @Test
    void aValueTheDatabaseRefusesIsTheMessagesFaultNotAnOutage() throws Exception {
        // Stand-ins for whatever a future column or PostgreSQL version may refuse: an integrity error (23514) and a data
        // error (22P02) whose PostgreSQL message quotes the value, here a CPR number.
        try (Connection connection = star.connect(); Statement statement = connection.createStatement()) {
            statement.execute("alter table inbox_event add constraint content_test_integrity check (raw not like '%refused-by-test%')");
            statement.execute("alter table inbox_event add constraint content_test_data check (case when raw like '%cast-by-test%'"
                    + " then (substring(raw from 'cpr-([0-9]+)') || 'x')::int > 0 else true end)");
        }
        String integrity = "{\"MeddelelseId\":\"" + run + "-23\",\"note\":\"refused-by-test\"}";
        String data = "{\"MeddelelseId\":\"" + run + "-22\",\"note\":\"cast-by-test cpr-" + CPR + "\"}";
        String token = star.token(POLLER);
        String good = item("\"" + run + "-fine\"", "CONTENT-" + run, "{\"EntitetId\":60010}");
        long before = rows();
        try {
            for (HttpClient client : List.of(client(HttpClient.Version.HTTP_1_1), client(HttpClient.Version.HTTP_2))) {
                HttpResponse<String> refused = deliver(client, utf8(integrity));
                WebhookTest.assertProblem(refused, 400);
                assertThat(refused.headers().firstValue("Retry-After")).isEmpty();
                assertThat(JsonPath.from(refused.body()).getString("detail")).contains("23514").contains("sending it again will not help");
                HttpResponse<String> leaky = deliver(client, utf8(data));
                WebhookTest.assertProblem(leaky, 400);
                assertThat(leaky.body()).contains("22P02").doesNotContain(CPR);
            }
            for (String message : List.of(integrity, data)) {
                String body = batch(List.of(good, item("\"" + run + "-bad\"", "CONTENT-" + run, message)));
                String answer = ingest(token, utf8(body)).then().statusCode(400)
                        .contentType(startsWith("application/problem+json")).extract().asString();
                assertThat(JsonPath.from(answer).getString("detail")).startsWith("Event 1 ").doesNotContain(CPR);
            }
            assertThat(rows()).as("nothing of a refused message or batch is stored").isEqualTo(before);
            assertThat(log.lines()).filteredOn(line -> line.contains("refused: the database cannot store a value")).isNotEmpty();
        } finally {
            try (Connection connection = star.connect(); Statement statement = connection.createStatement()) {
                statement.execute("alter table inbox_event drop constraint content_test_integrity");
                statement.execute("alter table inbox_event drop constraint content_test_data");
            }
        }
        // nothing was kept of them: once the database takes them, they are new
        HttpResponse<String> later = deliver(client(HttpClient.Version.HTTP_1_1), utf8(integrity));
        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(duplicate(later)).isFalse();
        assertNoStackTraceAndNoCpr();
    }
}
