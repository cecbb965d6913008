package org.socsecgateway.wsbreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE_PATH;
import static org.socsecgateway.wsbreceiver.SimulatedStar.POLLER;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * Every refusal of both listeners reaches the client as a complete problem+json answer, over HTTP/1.1 and over
 * HTTP/2 (h2 by ALPN on the webhook port, h2c with prior knowledge on the internal port), whether it is given before
 * the body is read or after, and nothing is stored. A {@code Connection: close} header is illegal in HTTP/2 (RFC 9113
 * section 8.2.2): put on such a response it turned the answer into a stream reset without any status.
 */
@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RefusalTest {

    /** What the internal listener accepts at most (quarkus.http.limits.max-body-size). */
    private static final int MAX_BODY_SIZE = SimulatedStar.MAX_BODY_SIZE;

    @SimulatedStar.InjectStar
    Star star;

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    @TestHTTPResource("/")
    URL internal;

    /** The clients' own Vert.x, so that writing large bodies does not hold up the receiver's event loops. */
    private static Vertx vertx;

    private long eventsBefore;
    private long receiptsBefore;

    enum Protocol {
        HTTP_1_1(HttpVersion.HTTP_1_1), HTTP_2(HttpVersion.HTTP_2);

        final HttpVersion version;

        Protocol(HttpVersion version) {
            this.version = version;
        }
    }

    @BeforeAll
    static void startClients() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopClients() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void countStored() {
        eventsBefore = star.count("select count(*) from inbox_event");
        receiptsBefore = star.count("select count(*) from receipt");
    }

    @AfterEach
    void nothingStored() {
        assertThat(star.count("select count(*) from inbox_event")).as("events stored").isEqualTo(eventsBefore);
        assertThat(star.count("select count(*) from receipt")).as("receipts stored").isEqualTo(receiptsBefore);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void webhookRefusalsBeforeTheBodyIsRead(Protocol protocol) throws Exception {
        Buffer body = json("{}");
        HttpClient star = webhookClient(protocol, this.star.pki().starClientCert(), this.star.pki().starClientKey());
        try {
            // a reported input: curl --http2 https://localhost:8453/wsb/nope -d '{}'
            assertProblem(send(star, protocol, HttpMethod.POST, "/wsb/nope", "application/x-www-form-urlencoded", body, false), 404);
            assertProblem(send(star, protocol, HttpMethod.POST, "/wsb/nope", "application/json", body, false), 404);
            assertProblem(send(star, protocol, HttpMethod.POST, "/v1/ingest", "application/json", body, false), 404);
            assertProblem(send(star, protocol, HttpMethod.GET, "/v1/events", null, null, false), 404);
            assertProblem(send(star, protocol, HttpMethod.PUT, "/v1/wsrm/sequences/" + java.util.UUID.randomUUID(),
                    "application/json", body, false), 404);
            // declared too large: refused on the Content-Length alone
            Buffer large = json("{\"Indhold\":\"" + "x".repeat(SimulatedStar.MAX_MESSAGE_SIZE) + "\"}");
            assertProblem(send(star, protocol, HttpMethod.POST, AKASSE_PATH, "application/json", large, false), 413);
            // the connection (HTTP/1.1) or stream (HTTP/2) after a refusal: the next request is answered normally
            assertProblem(send(star, protocol, HttpMethod.POST, AKASSE_PATH, "text/plain", body, false), 415);
        } finally {
            star.close();
        }
        HttpClient anonymous = webhookClient(protocol, null, null);
        try {
            Answer none = send(anonymous, protocol, HttpMethod.POST, AKASSE_PATH, "application/json", body, false);
            assertProblem(none, 401);
            assertThat(none.body()).contains("client certificate is required");
        } finally {
            anonymous.close();
        }
        HttpClient impostor = webhookClient(protocol, this.star.impostor().cert(), this.star.impostor().key());
        try {
            assertProblem(send(impostor, protocol, HttpMethod.POST, AKASSE_PATH, "application/json", body, false), 403);
            // with a body the refusal does not read, streamed without a length
            assertProblem(send(impostor, protocol, HttpMethod.POST, AKASSE_PATH, "application/json",
                    json("{\"Indhold\":\"" + "x".repeat(200_000) + "\"}"), true), 403);
        } finally {
            impostor.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void webhookRefusalsAfterTheBodyIsRead(Protocol protocol) throws Exception {
        HttpClient client = webhookClient(protocol, star.pki().starClientCert(), star.pki().starClientKey());
        try {
            // too large without a declared length (chunked in HTTP/1.1, no content-length in HTTP/2)
            Buffer large = json("{\"Indhold\":\"" + "x".repeat(SimulatedStar.MAX_MESSAGE_SIZE) + "\"}");
            assertProblem(send(client, protocol, HttpMethod.POST, AKASSE_PATH, "application/json", large, true), 413);
            assertProblem(send(client, protocol, HttpMethod.POST, AKASSE_PATH, "text/plain", json("{\"EntitetId\":60010}"), false), 415);
            assertProblem(send(client, protocol, HttpMethod.POST, AKASSE_PATH, "application/json", json("{\"EntitetId\":"), false), 400);
            assertProblem(send(client, protocol, HttpMethod.POST, AKASSE_PATH, "application/json", json("[1]"), true), 400);
            assertProblem(send(client, protocol, HttpMethod.POST, AKASSE_PATH, "application/json", Buffer.buffer(), false), 400);
            Answer get = send(client, protocol, HttpMethod.GET, AKASSE_PATH, null, null, false);
            assertProblem(get, 405);
            assertProblem(send(client, protocol, HttpMethod.PUT, AKASSE_PATH, "application/json", json("{}"), false), 405);
        } finally {
            client.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void internalRefusals(Protocol protocol) throws Exception {
        HttpClient client = internalClient(protocol);
        String poller = "Bearer " + star.token(POLLER);
        try {
            Buffer body = json("{}");
            // before the body is read
            assertProblem(send(client, protocol, HttpMethod.POST, AKASSE_PATH, "application/json", body, false), 404);
            assertProblem(send(client, protocol, HttpMethod.POST, AKASSE_PATH, "application/json", body, true), 404);
            Answer declaredTooLarge = send(client, protocol, HttpMethod.POST, "/v1/ingest", "application/json",
                    Buffer.buffer(new byte[MAX_BODY_SIZE + 1]), false, poller);
            assertProblem(declaredTooLarge, 413);
            // after the body is read (or while reading it)
            assertProblem(send(client, protocol, HttpMethod.POST, "/v1/ingest", "application/json", body, false), 401);
            assertProblem(send(client, protocol, HttpMethod.POST, "/v1/ingest", "text/plain", body, false, poller), 415);
            assertProblem(send(client, protocol, HttpMethod.POST, "/v1/ingest", "application/json", json("{\"events\":"), true, poller), 400);
            assertProblem(send(client, protocol, HttpMethod.POST, "/nope", "application/json", body, false, poller), 404);
            assertProblem(send(client, protocol, HttpMethod.GET, "/v1/ingest", null, null, false, poller), 405);
            assertProblem(send(client, protocol, HttpMethod.DELETE, "/v1/events", null, null, false, poller), 405);
        } finally {
            client.close();
        }
        // on a connection of its own: over HTTP/2 Quarkus closes the connection after this one (GOAWAY)
        HttpClient own = internalClient(protocol);
        try {
            Answer streamedTooLarge = send(own, protocol, HttpMethod.POST, "/v1/ingest", "application/json",
                    json("{\"events\":[],\"padding\":\"" + "x".repeat(MAX_BODY_SIZE) + "\"}"), true, poller);
            if (protocol == Protocol.HTTP_1_1) {
                assertProblem(streamedTooLarge, 413);
            } else {
                // Quarkus' own limit (StreamedBodyLimit cannot buffer HTTP/2 bodies): an empty 413, but a status
                assertThat(streamedTooLarge.status()).isEqualTo(413);
            }
        } finally {
            own.close();
        }
    }

    /** Two Authorization fields are ambiguous: 400 whichever comes first, over HTTP/1.1 and h2c; nothing stored. */
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void twoAuthorizationFieldsAre400(Protocol protocol) throws Exception {
        String poller = "Bearer " + star.token(POLLER);
        Buffer batch = json("{\"events\":[{\"messageId\":\"" + java.util.UUID.randomUUID() + "\",\"authority\":\"dup-auth\","
                + "\"message\":{\"EntitetId\":60010}}]}");
        HttpClient client = internalClient(protocol);
        try {
            assertProblem(send(client, protocol, HttpMethod.POST, "/v1/ingest", "application/json", batch, false, poller, "Bearer junk"), 400);
        } finally {
            client.close();
        }
        HttpClient other = internalClient(protocol);
        try {
            assertProblem(send(other, protocol, HttpMethod.POST, "/v1/ingest", "application/json", batch, false, "Bearer junk", poller), 400);
        } finally {
            other.close();
        }
    }

    private HttpClient webhookClient(Protocol protocol, Path cert, Path key) {
        HttpClientOptions options = new HttpClientOptions().setProtocolVersion(protocol.version)
                .setSsl(true).setUseAlpn(true).setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(star.pki().serverCert().toString()))
                .setDefaultHost("localhost").setDefaultPort(webhook.getPort());
        if (cert != null) {
            options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()));
        }
        return vertx.createHttpClient(options);
    }

    private HttpClient internalClient(Protocol protocol) {
        // HTTP/2 on a plain connection: h2c with prior knowledge (RFC 9113 section 3.3), no upgrade
        return vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(protocol.version)
                .setHttp2ClearTextUpgrade(false).setDefaultHost("localhost").setDefaultPort(internal.getPort()));
    }

    private record Answer(int status, String contentType, String body, HttpVersion version) {
    }

    private static Buffer json(String text) {
        return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a request; {@code streamed}: without a length, in pieces (chunked in HTTP/1.1). */
    private static Answer send(HttpClient client, Protocol protocol, HttpMethod method, String uri, String contentType,
                               Buffer body, boolean streamed, String... authorization) throws Exception {
        Future<Answer> answer = client.request(new RequestOptions().setMethod(method).setURI(uri)).compose(request -> {
            if (contentType != null) {
                request.putHeader("Content-Type", contentType);
            }
            for (String value : authorization) {
                request.headers().add("Authorization", value);
            }
            Future<?> sent;
            if (body == null) {
                sent = request.send();
            } else if (streamed) {
                sent = stream(request, body);
            } else {
                sent = request.send(body);
            }
            return sent.compose(ignored -> request.response())
                    .compose(response -> response.body().map(read -> new Answer(response.statusCode(),
                            response.getHeader("Content-Type"), read.toString(StandardCharsets.UTF_8), response.version())));
        });
        Answer result = answer.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(result.version()).as("negotiated protocol").isEqualTo(protocol.version);
        return result;
    }

    private static Future<?> stream(HttpClientRequest request, Buffer body) {
        request.setChunked(true);
        int piece = 16 * 1024;
        for (int from = 0; from < body.length(); from += piece) {
            request.write(body.slice(from, Math.min(body.length(), from + piece)));
        }
        request.end();
        // the answer may come (and the stream end) before all of the body was sent
        return Future.succeededFuture();
    }

    private static void assertProblem(Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).as("content type of the %d", status).startsWith("application/problem+json");
        assertThat(JsonPath.from(answer.body()).getInt("status")).isEqualTo(status);
        assertThat(JsonPath.from(answer.body()).getString("title")).isNotBlank();
    }
}
