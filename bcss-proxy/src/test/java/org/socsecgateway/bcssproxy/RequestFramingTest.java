package org.socsecgateway.bcssproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.socsecgateway.bcssproxy.SimulatedPartners.PAYROLL;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.socsecgateway.bcssproxy.SimulatedPartners.InjectBcss;
import org.socsecgateway.bcssproxy.SimulatedPartners.Partners;
import org.socsecgateway.simulators.gateway.RecordedRequest;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Raw HTTP/1.1 with faulty or ambiguous framing (RFC 9112 section 6) on every entry point: nothing hidden in a body
 * reaches BCSS, no body is dropped, and the connection is closed after the answer.
 */
@QuarkusTest
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RequestFramingTest {

    /** Entry points: the proxied API, a JAX-RS resource, and a path with no route. */
    private static final List<String> ENTRY_POINTS = List.of("/v1/bcss/demo/v1/persons/search", "/v1/connectivity", "/v1/nothing-here");
    private static final String SMUGGLED_ID = "424242";

    @InjectBcss
    Partners bcss;

    private final ErrorLines errors = new ErrorLines();

    @BeforeEach
    void listen() {
        errors.start();
    }

    @AfterEach
    void noErrorLines() {
        errors.stop();
        assertThat(errors.lines()).isEmpty();
    }

    private String headers() {
        return "Host: 127.0.0.1\r\nAuthorization: Bearer " + bcss.callerToken(PAYROLL) + "\r\nContent-Type: application/json\r\n";
    }

    private String smuggled() {
        return "GET /v1/bcss/demo/v1/organizations/" + SMUGGLED_ID + " HTTP/1.1\r\n" + headers() + "\r\n";
    }

    private long upstreamCalls() {
        return bcss.gateway().stats().requests();
    }

    private boolean smuggledReachedBcss() {
        return bcss.gateway().stats().recent().stream().map(RecordedRequest::path).anyMatch(path -> path.contains(SMUGGLED_ID));
    }

    private static void assertRefusedAndClosed(RawHttp.Exchange exchange) {
        assertThat(exchange.status()).as(exchange.text()).isEqualTo(400);
        assertThat(exchange.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(exchange.text()).as("nothing in the body was served as a request").doesNotContain("HTTP/1.1 200", "HTTP/1.1 404");
        assertThat(exchange.body()).contains("\"type\":\"urn:problem-type:belgif:badRequest\"", "\"status\":400");
        assertThat(exchange.header("Connection")).isEqualToIgnoringCase("close");
        assertThat(exchange.closed()).as("connection closed").isTrue();
    }

    /** Content-Length with chunked (CL.TE smuggling): the connection must close, and the request in the body must never run. */
    @Test
    void contentLengthWithChunkedClosesTheConnectionAndTheSmuggledRequestNeverRuns() throws Exception {
        RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, "POST /v1/bcss/demo/v1/persons/search HTTP/1.1\r\n" + headers()
                + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled());

        assertThat(exchange.responses()).as(exchange.text()).isEqualTo(1);
        assertThat(exchange.header("Connection")).isEqualToIgnoringCase("close");
        assertThat(exchange.closed()).isTrue();
        assertThat(smuggledReachedBcss()).isFalse();
    }

    static Stream<Arguments> untrustedTransferEncodings() {
        List<String> codings = List.of("xchunked", "gzip, chunked", "chunked, chunked", "chunked, gzip", "identity",
                "chunked;ext=1", "deflate", "CHUNKED, x");
        return codings.stream().flatMap(coding -> ENTRY_POINTS.stream().map(path -> Arguments.of(coding, path)));
    }

    /** {@code xchunked} and {@code gzip, chunked} (TE smuggling), and their siblings, on every entry point. */
    @ParameterizedTest(name = "Transfer-Encoding: {0} on {1}")
    @MethodSource("untrustedTransferEncodings")
    void anyTransferCodingButChunkedAloneIs400AndClose(String coding, String path) throws Exception {
        long before = upstreamCalls();

        RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, "POST " + path + " HTTP/1.1\r\n" + headers()
                + "Transfer-Encoding: " + coding + "\r\n\r\n" + "2\r\n{}\r\n0\r\n\r\n" + smuggled());

        assertRefusedAndClosed(exchange);
        assertThat(upstreamCalls()).as("no POST with a dropped body, no smuggled request").isEqualTo(before);
    }

    @Test
    void transferEncodingSplitOverTwoFieldLinesIsReadAsOneList() throws Exception {
        long before = upstreamCalls();
        RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, "POST /v1/bcss/demo/v1/persons/search HTTP/1.1\r\n" + headers()
                + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n" + smuggled());
        assertRefusedAndClosed(exchange);
        assertThat(upstreamCalls()).isEqualTo(before);
    }

    @Test
    void unknownCodingWithContentLengthIs400AndClose() throws Exception {
        long before = upstreamCalls();
        RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, "POST /v1/bcss/demo/v1/persons/search HTTP/1.1\r\n" + headers()
                + "Content-Length: 2\r\nTransfer-Encoding: xchunked\r\n\r\n{}" + smuggled());
        assertRefusedAndClosed(exchange);
        assertThat(upstreamCalls()).isEqualTo(before);
    }

    @Test
    void transferEncodingInHttp10Is400AndClose() throws Exception {
        long before = upstreamCalls();
        RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, "POST /v1/bcss/demo/v1/persons/search HTTP/1.0\r\n" + headers()
                + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
        assertThat(exchange.status()).as(exchange.text()).isEqualTo(400);
        assertThat(exchange.body()).contains("urn:problem-type:belgif:badRequest");
        assertThat(exchange.closed()).isTrue();
        assertThat(upstreamCalls()).isEqualTo(before);
    }

    /** A correct chunked body is forwarded whole; the connection still closes, and what follows it is not served. */
    @ParameterizedTest
    @ValueSource(strings = { "chunked", "Chunked", " chunked " })
    void aChunkedBodyIsForwardedWholeAndTheConnectionClosedAfterTheAnswer(String coding) throws Exception {
        // The first token from the broker can be slow on a busy machine: wait until calls go through.
        await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(bcss.callerToken(PAYROLL))
                .get("/v1/bcss/demo/v1/organizations/1").statusCode() == 200);
        String body = "{\"ssin\":\"" + ProxyTest.SSIN + "\"}";
        RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, "POST /v1/bcss/demo/v1/persons/search HTTP/1.1\r\n" + headers()
                + "Transfer-Encoding:" + coding + "\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n"
                + smuggled());

        assertThat(exchange.status()).as(exchange.text()).isEqualTo(200);
        assertThat(exchange.body()).contains(ProxyTest.SSIN);
        assertThat(exchange.responses()).isEqualTo(1);
        assertThat(exchange.header("Connection")).isEqualToIgnoringCase("close");
        assertThat(exchange.closed()).isTrue();
        assertThat(smuggledReachedBcss()).isFalse();
    }

    /** Refused by Netty's decoder before Vert.x: 400 and the connection closed; nothing forwarded. */
    @ParameterizedTest
    @ValueSource(strings = { "Content-Length: 2\r\nContent-Length: 2\r\n", "Content-Length: 2\r\nContent-Length: 3\r\n",
            "Content-Length: 2, 2\r\n", "Content-Length : 2\r\n", "Transfer-Encoding : chunked\r\nContent-Length: 2\r\n" })
    void malformedLengthFieldsAre400AndClose(String fields) throws Exception {
        long before = upstreamCalls();
        RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, "POST /v1/bcss/demo/v1/persons/search HTTP/1.1\r\n" + headers()
                + fields + "\r\n{}" + smuggled());
        assertThat(exchange.status()).as(exchange.text()).isEqualTo(400);
        assertThat(exchange.responses()).isEqualTo(1);
        assertThat(exchange.closed()).isTrue();
        assertThat(upstreamCalls()).isEqualTo(before);
    }

    static Stream<Arguments> repeatedSingletonFields() {
        return ENTRY_POINTS.stream().flatMap(path -> Stream.of(Arguments.of("Host: a\r\nHost: b\r\n", path),
                Arguments.of("Host: 127.0.0.1\r\nHost: 127.0.0.1\r\n", path),
                Arguments.of("Host: 127.0.0.1\r\nAUTH_GOOD\r\nAuthorization: Bearer junk\r\n", path),
                Arguments.of("Host: 127.0.0.1\r\nAuthorization: Bearer junk\r\nAUTH_GOOD\r\n", path),
                Arguments.of("Host: 127.0.0.1\r\nAUTH_GOOD\r\nAUTH_GOOD\r\n", path)));
    }

    /** Two Host fields (RFC 9112 section 3.2) or two Authorization fields: 400, closed, nothing forwarded. */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("repeatedSingletonFields")
    void aRepeatedHostOrAuthorizationFieldIs400AndClose(String fields, String path) throws Exception {
        long before = upstreamCalls();
        String request = "GET " + path + " HTTP/1.1\r\n"
                + fields.replace("AUTH_GOOD", "Authorization: Bearer " + bcss.callerToken(PAYROLL)) + "\r\n" + smuggled();

        RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, request);

        assertRefusedAndClosed(exchange);
        assertThat(exchange.responses()).isEqualTo(1);
        assertThat(upstreamCalls()).isEqualTo(before);
        assertThat(smuggledReachedBcss()).isFalse();
    }
}
