package org.socsecgateway.bcssproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.bcssproxy.SimulatedPartners.PAYROLL;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.socsecgateway.bcssproxy.SimulatedPartners.InjectBcss;
import org.socsecgateway.bcssproxy.SimulatedPartners.Partners;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Bodies too large to replay are streamed to the gateway, with and without a declared length. */
@QuarkusTest
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class StreamingTest {

    @InjectBcss
    Partners bcss;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpRequest.Builder upload() {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/v1/bcss/demo/v1/uploads"))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + bcss.callerToken(PAYROLL))
                .header("Content-Type", "application/octet-stream");
    }

    @Test
    void streamsABodyWithDeclaredLength() throws Exception {
        byte[] body = new byte[2 * 1024 * 1024];
        HttpResponse<String> response = http.send(upload().POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"bytes\":" + body.length);
    }

    @Test
    void streamsAChunkedBody() throws Exception {
        byte[] body = new byte[2 * 1024 * 1024];
        HttpResponse<String> response = http.send(upload()
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        // The client asked to upgrade to cleartext HTTP/2; the proxy stays on HTTP/1.1 so the body can stream.
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        var recent = bcss.gateway().stats().recent();
        assertThat(response.body()).as(recent.get(recent.size() - 1).toString()).contains("\"bytes\":" + body.length);
    }
}
