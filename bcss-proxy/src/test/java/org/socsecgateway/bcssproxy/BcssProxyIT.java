package org.socsecgateway.bcssproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.bcssproxy.SimulatedPartners.PAYROLL;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.socsecgateway.bcssproxy.SimulatedPartners.InjectBcss;
import org.socsecgateway.bcssproxy.SimulatedPartners.Partners;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged proxy, started with a 64 MB heap (quarkus.test.arg-line), moves 50 MB each way: it can only do so
 * by streaming.
 */
@QuarkusIntegrationTest
@WithTestResource(SimulatedPartners.class)
@Timeout(120) // a streaming bug shows as a hang: fail instead
class BcssProxyIT {

    private static final long FIFTY_MB = 50L * 1024 * 1024;

    @InjectBcss
    Partners bcss;

    private final HttpClient http = HttpClient.newHttpClient();

    private String base() {
        return "http://localhost:" + io.restassured.RestAssured.port;
    }

    @Test
    void streamsA50MbAnswer() throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(base() + "/v1/bcss/demo/v1/documents/" + FIFTY_MB))
                .header("Authorization", "Bearer " + bcss.callerToken(PAYROLL)).build(), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        long bytes = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                bytes += n;
            }
        }
        assertThat(bytes).isEqualTo(FIFTY_MB);
    }

    @Test
    void streamsA50MbUpload() throws Exception {
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        Supplier<InputStream> body = () -> new GeneratedStream(FIFTY_MB, sent);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base() + "/v1/bcss/demo/v1/uploads"))
                .header("Authorization", "Bearer " + bcss.callerToken(PAYROLL))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"bytes\":" + FIFTY_MB)
                .contains(HexFormat.of().formatHex(sent.digest()));
    }

    /** Deterministic bytes produced on the fly, hashed as they are read. */
    private static final class GeneratedStream extends InputStream {
        private final long size;
        private final MessageDigest digest;
        private long position;

        GeneratedStream(long size, MessageDigest digest) {
            this.size = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) ((position + i) % 251);
            }
            digest.update(buffer, offset, n);
            position += n;
            return n;
        }
    }
}
