package org.socsecgateway.bcssproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.socsecgateway.bcssproxy.SimulatedPartners.PAYROLL;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.bcssproxy.SimulatedPartners.InjectBcss;
import org.socsecgateway.bcssproxy.SimulatedPartners.Partners;
import org.socsecgateway.simulators.gateway.RecordedRequest;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * Bodies too large to replay are streamed both ways, over HTTP/1.1 and HTTP/2. A side that fails resets the other
 * instead of ending it: a truncated body never looks complete to the caller or to BCSS, an aborted upload frees
 * its place at once and does not count against BCSS, a stalled one is given up, and an early answer from BCSS is
 * relayed without an ERROR in the log.
 */
@QuarkusTest
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class StreamingTest {

    private static final int MIB = 1024 * 1024;

    @InjectBcss
    Partners bcss;

    @Inject
    Vertx vertx;

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Handler errorLog = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(record.getLoggerName() + " " + record.getMessage() + " " + record.getThrown());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private io.vertx.core.http.HttpClient h2;

    @BeforeEach
    void start() {
        Logger.getLogger("").addHandler(errorLog);
        h2 = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
                .setProtocolVersion(HttpVersion.HTTP_2).setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(bcss.serverCert().toString())));
    }

    @AfterEach
    void stop() throws Exception {
        bcss.gateway().faults().clear();
        h2.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Logger.getLogger("").removeHandler(errorLog);
        assertThat(errors).as("no ERROR line whatever the caller or BCSS did").isEmpty();
    }

    private HttpRequest.Builder upload() {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/v1/bcss/demo/v1/uploads"))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + bcss.callerToken(PAYROLL))
                .header("Content-Type", "application/octet-stream");
    }

    @Test
    void streamsABodyWithDeclaredLength() throws Exception {
        byte[] body = new byte[2 * MIB];
        HttpResponse<String> response = http.send(upload().POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"bytes\":" + body.length);
    }

    @Test
    void streamsAChunkedBody() throws Exception {
        byte[] body = new byte[2 * MIB];
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(upload()
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        // The client asked to upgrade to cleartext HTTP/2; the proxy stays on HTTP/1.1 so the body can stream.
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        var recent = bcss.gateway().stats().recent();
        assertThat(response.body()).as(recent.get(recent.size() - 1).toString()).contains("\"bytes\":" + body.length);
    }

    @Test
    void streamsBothWaysOverHttp2() throws Exception {
        String upload = h2Request(HttpMethod.POST, "/v1/bcss/demo/v1/uploads")
                .compose(request -> request.setChunked(true).send(Buffer.buffer(new byte[2 * MIB])))
                .compose(response -> response.version() == HttpVersion.HTTP_2 && response.statusCode() == 200
                        ? response.body() : io.vertx.core.Future.failedFuture(response.version() + " " + response.statusCode()))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).toString();
        assertThat(upload).contains("\"bytes\":" + 2 * MIB);
        Buffer download = h2Request(HttpMethod.GET, "/v1/bcss/demo/v1/documents/" + MIB)
                .compose(HttpClientRequest::send).compose(HttpClientResponse::body)
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(download.length()).isEqualTo(MIB);
    }

    // Item 16, download: BCSS breaks off mid-answer.

    @Test
    void anAnswerBrokenOffByBcssIsResetForAnHttp11Caller() throws Exception {
        double before = metric("proxy_streams_broken_total\\{api=\"demo\",side=\"upstream\"}");
        bcss.gateway().faults().breakOffAnswers(1);
        HttpRequest document = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/v1/bcss/demo/v1/documents/" + 4 * MIB)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + bcss.callerToken(PAYROLL)).build();

        assertThatThrownBy(() -> http.send(document, HttpResponse.BodyHandlers.ofByteArray()))
                .as("a cut answer must not arrive as a complete 200").isInstanceOf(IOException.class);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                metric("proxy_streams_broken_total\\{api=\"demo\",side=\"upstream\"}") == before + 1);
        assertThat(http.send(document, HttpResponse.BodyHandlers.ofByteArray()).body()).hasSize(4 * MIB);
    }

    @Test
    void anAnswerBrokenOffByBcssIsResetForAnHttp2Caller() throws Exception {
        bcss.gateway().faults().breakOffAnswers(1);
        CompletableFuture<Buffer> body = h2Request(HttpMethod.GET, "/v1/bcss/demo/v1/documents/" + 4 * MIB)
                .compose(HttpClientRequest::send)
                .compose(response -> response.version() == HttpVersion.HTTP_2 && response.statusCode() == 200
                        ? response.body() : io.vertx.core.Future.failedFuture(response.version() + " " + response.statusCode()))
                .toCompletionStage().toCompletableFuture();

        assertThatThrownBy(() -> body.get(20, TimeUnit.SECONDS)).as("RST_STREAM, not a clean end of stream")
                .hasCauseInstanceOf(io.vertx.core.http.StreamResetException.class);
    }

    // Items 16 and 17, upload: the caller breaks off; BCSS must see a reset, never a complete (truncated) body.

    @Test
    void anUploadWithDeclaredLengthAbortedByItsCallerIsResetUpstreamAndFreesItsPlace() throws Exception {
        long before = uploadsRecorded();
        long arrivals = bcss.gateway().stats().requests();
        try (Socket socket = rawUpload("Content-Length: " + 8 * MIB)) {
            socket.getOutputStream().write(new byte[MIB]);
            socket.getOutputStream().flush();
            awaitUploadArrived(arrivals);
        }
        RecordedRequest upstream = awaitUploadRecorded(before);
        assertThat(upstream.status()).as("reset, not answered").isZero();
        assertThat(upstream.bodyBytes()).isLessThan(8 * MIB);
        awaitNothingInFlight();
    }

    @Test
    void aChunkedUploadAbortedByItsCallerIsNotEndedUpstream() throws Exception {
        long before = uploadsRecorded();
        long arrivals = bcss.gateway().stats().requests();
        try (Socket socket = rawUpload("Transfer-Encoding: chunked")) {
            OutputStream out = socket.getOutputStream();
            out.write((Integer.toHexString(MIB) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[MIB]);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitUploadArrived(arrivals);
        }
        RecordedRequest upstream = awaitUploadRecorded(before);
        assertThat(upstream.status()).as("BCSS must not process a truncated body").isZero();
        awaitNothingInFlight();
    }

    @Test
    void anHttp2UploadResetByItsCallerIsResetUpstream() throws Exception {
        long before = uploadsRecorded();
        long arrivals = bcss.gateway().stats().requests();
        HttpClientRequest request = h2Request(HttpMethod.POST, "/v1/bcss/demo/v1/uploads").toCompletionStage()
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        request.setChunked(true);
        request.write(Buffer.buffer(new byte[MIB]));
        awaitUploadArrived(arrivals);
        request.reset();

        RecordedRequest upstream = awaitUploadRecorded(before);
        assertThat(upstream.status()).as("BCSS must not process a truncated body").isZero();
        awaitNothingInFlight();
    }

    @Test
    void callersAbortingUploadsDoNotOpenTheCircuit() throws Exception {
        for (int i = 0; i < 4; i++) { // more than the failure threshold (3)
            long before = uploadsRecorded();
        long arrivals = bcss.gateway().stats().requests();
            try (Socket socket = rawUpload("Content-Length: " + 8 * MIB)) {
                socket.getOutputStream().write(new byte[64 * 1024]);
                socket.getOutputStream().flush();
                awaitUploadArrived(arrivals);
            }
            awaitUploadRecorded(before);
        }
        awaitNothingInFlight();
        assertThat(metric("proxy_breaker_state\\{api=\"demo\"}")).isZero();
    }

    @Test
    void aStalledUploadIsGivenUpAfterTheApiTimeout() throws Exception {
        long before = uploadsRecorded();
        long arrivals = bcss.gateway().stats().requests();
        try (Socket socket = rawUpload("Content-Length: " + 8 * MIB)) {
            socket.getOutputStream().write(new byte[MIB]);
            socket.getOutputStream().flush();
            socket.setSoTimeout(20_000);
            // Nothing more is sent: after the demo API's 3 s without a byte the proxy answers and resets BCSS.
            assertThat(statusLine(socket.getInputStream())).startsWith("HTTP/1.1 400");
        }
        assertThat(awaitUploadRecorded(before).status()).isZero();
        awaitNothingInFlight();
    }

    // Item 9: BCSS answers before the upload is complete.

    @Test
    void anEarlyAnswerDuringAnUploadWithDeclaredLengthIsRelayedWithoutError() throws Exception {
        // More than the gateway's 1 MiB JSON limit, declared up front: it answers 413 at once, reading the rest.
        assertThat(rawEarlyAnswer("Content-Length: " + 4 * MIB, false)).startsWith("HTTP/1.1 413");
    }

    @Test
    void anEarlyAnswerDuringAChunkedUploadIsRelayedWithoutError() throws Exception {
        assertThat(rawEarlyAnswer("Transfer-Encoding: chunked", true)).startsWith("HTTP/1.1 413");
    }

    @Test
    void anEarlyFailureDuringAnUploadIsRelayedWithoutError() throws Exception {
        bcss.gateway().faults().failNext(503, 1);
        assertThat(rawEarlyAnswer("Content-Length: " + 4 * MIB, false)).startsWith("HTTP/1.1 502");
    }

    @Test
    void anEarlyAnswerDuringAnHttp2UploadIsRelayedWithoutError() throws Exception {
        HttpClientRequest request = h2Request(HttpMethod.POST, "/v1/bcss/demo/v1/persons/search").toCompletionStage()
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        request.putHeader("Content-Type", "application/json").setChunked(true);
        // The proxy ends the stream after its answer, so this client's own reset below may find it closed: an error of
        // this test client's, kept out of the log (set on the event loop, before anything else can reach the response).
        CompletableFuture<HttpClientResponse> response = request.response().map(answer -> answer.exceptionHandler(expected -> { }))
                .toCompletionStage().toCompletableFuture();
        for (int i = 0; i < 4 && !response.isDone(); i++) {
            request.write(Buffer.buffer(new byte[MIB]));
        }
        assertThat(response.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(413);
        request.reset();
        awaitNothingInFlight();
    }

    private io.vertx.core.Future<HttpClientRequest> h2Request(HttpMethod method, String path) {
        // This test client's own request errors (after a reset) are expected, not the proxy's: kept out of the log.
        return h2.request(new RequestOptions().setMethod(method).setHost("localhost").setPort(https.getPort())
                .setURI(path).putHeader("Authorization", "Bearer " + bcss.callerToken(PAYROLL)))
                .map(request -> request.exceptionHandler(expected -> { }));
    }

    /** Sends the headers of {@code POST /v1/bcss/demo/v1/uploads} on a raw socket; the body is up to the test. */
    private Socket rawUpload(String framing) throws IOException {
        Socket socket = new Socket("127.0.0.1", RestAssured.port);
        socket.getOutputStream().write(("POST /v1/bcss/demo/v1/uploads HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + bcss.callerToken(PAYROLL) + "\r\nContent-Type: application/octet-stream\r\n" + framing + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** Uploads 4 MiB of JSON-typed bytes to persons/search while reading the answer; returns its status line. */
    private String rawEarlyAnswer(String framing, boolean chunked) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/bcss/demo/v1/persons/search HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + bcss.callerToken(PAYROLL) + "\r\nContent-Type: application/json\r\n" + framing + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 4; i++) {
                        if (chunked) {
                            out.write((Integer.toHexString(MIB) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write(new byte[MIB]);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException e) {
                    // the proxy closed the connection after answering: expected
                }
            });
            String status = statusLine(socket.getInputStream());
            sending.get(20, TimeUnit.SECONDS);
            awaitNothingInFlight();
            return status;
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().trim();
    }

    private long uploadsRecorded() {
        return bcss.gateway().stats().recent().stream().filter(r -> r.path().equals("/demo/v1/uploads")).count();
    }

    /** Waits until the gateway has received the request (its headers; the body is still streaming). */
    private void awaitUploadArrived(long arrivalsBefore) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> bcss.gateway().stats().requests() > arrivalsBefore);
    }

    private RecordedRequest awaitUploadRecorded(long before) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> uploadsRecorded() > before);
        List<RecordedRequest> uploads = bcss.gateway().stats().recent().stream()
                .filter(r -> r.path().equals("/demo/v1/uploads")).toList();
        return uploads.get(uploads.size() - 1);
    }

    private void awaitNothingInFlight() {
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> metric("proxy_upstream_in_flight\\{api=\"demo\"}") == 0.0);
    }

    private double metric(String nameAndLabels) {
        Matcher value = Pattern.compile("(?m)^" + nameAndLabels + " ([0-9.eE+-]+)$").matcher(RestAssured.given().get(metrics).asString());
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }
}
