package org.socsecgateway.bcssproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.bcssproxy.SimulatedPartners.PAYROLL;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.bcssproxy.SimulatedPartners.InjectBcss;
import org.socsecgateway.bcssproxy.SimulatedPartners.Partners;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The per-API bulkhead: calls beyond {@code max-concurrent} wait in a bounded queue for a bounded time, so a burst
 * of normal load is served instead of refused; only what does not fit gets 503 with Retry-After.
 */
@QuarkusTest
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class BulkheadTest {

    @InjectBcss
    Partners bcss;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void clearFaults() {
        bcss.gateway().faults().clear();
    }

    /** The measured case: 64 concurrent callers of an API with max-concurrent 32 (here "bulk"). */
    @Test
    void sixtyFourConcurrentCallersOfThirtyTwoPlacesAreAllServed() throws Exception {
        bcss.gateway().faults().latency(Duration.ofMillis(300)); // every call holds its place a while
        String token = bcss.callerToken(PAYROLL);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                    + "/v1/bcss/bulk/v1/organizations/" + (i + 1))).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            statuses.add(call.get(60, TimeUnit.SECONDS).statusCode());
        }
        assertThat(statuses).hasSize(64).containsOnly(200);
        assertThat(metric("proxy_upstream_in_flight\\{api=\"bulk\"}")).isZero();
    }

    /** "narrow": 2 places, 2 waiting at most, for 300 ms at most. Two stalled uploads hold both places. */
    @Test
    void callsThatCannotGetAPlaceInTimeGet503WithRetryAfter() throws Exception {
        List<Socket> holders = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                holders.add(stalledUpload());
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> metric("proxy_upstream_in_flight\\{api=\"narrow\"}") == 2.0);

            String token = bcss.callerToken(PAYROLL);
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) { // two wait and time out, the third finds the queue full
                calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                        + "/v1/bcss/narrow/v1/organizations/" + (i + 1))).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                HttpResponse<String> response = call.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(response.body()).contains("urn:problem-type:belgif:serviceUnavailable", "Too many calls in flight");
            }
            assertThat(metric("proxy_upstream_queued\\{api=\"narrow\"}")).isZero();
        } finally {
            for (Socket holder : holders) {
                holder.close(); // the callers give up: their places are freed at once
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> metric("proxy_upstream_in_flight\\{api=\"narrow\"}") == 0.0);
        given().auth().oauth2(bcss.callerToken(PAYROLL)).get("/v1/bcss/narrow/v1/organizations/1").then().statusCode(200);
    }

    /** An upload that announces 8 MiB and sends 64 KiB: it holds its place until the socket is closed. */
    private Socket stalledUpload() throws Exception {
        Socket socket = new Socket("127.0.0.1", RestAssured.port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/bcss/narrow/v1/uploads HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + bcss.callerToken(PAYROLL) + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + 8 * 1024 * 1024
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[64 * 1024]);
        out.flush();
        return socket;
    }

    private double metric(String nameAndLabels) {
        Matcher value = Pattern.compile("(?m)^" + nameAndLabels + " ([0-9.eE+-]+)$").matcher(given().get(metrics).asString());
        return value.find() ? Double.parseDouble(value.group(1)) : Double.NaN;
    }
}
