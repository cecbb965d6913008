package org.socsecgateway.simulators.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.socsecgateway.simulators.TestHttp;
import org.socsecgateway.simulators.TestWsbReceiver;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.oauth.BcssOAuthSimulator;
import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.simulators.wsb.StarWsbSender;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class WsbAdminTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static BcssOAuthSimulator oauth;
    static CallerTokenIssuer callers;
    static TestWsbReceiver receiver;
    static AdminServer admin;
    static AdminServer adminWithoutWsb;
    static HttpClient http = TestHttp.plain();

    @BeforeAll
    static void start() {
        LocalPki pki = LocalPki.create(dir);
        oauth = BcssOAuthSimulator.builder().tls(pki.serverCert(), pki.serverKey()).build().start();
        callers = CallerTokenIssuer.builder().tls(pki.serverCert(), pki.serverKey()).build().start();
        receiver = TestWsbReceiver.start(pki.serverCert(), pki.serverKey(), pki.starClientCert());
        admin = new AdminServer(oauth, callers, null, StarWsbSender.builder()
                .clientIdentity(pki.starClientCert(), pki.starClientKey())
                .trust(pki.serverCert()), 0).start();
        adminWithoutWsb = new AdminServer(oauth, callers, 0).start();
    }

    @AfterAll
    static void stop() {
        adminWithoutWsb.close();
        admin.close();
        receiver.close();
        callers.close();
        oauth.close();
    }

    @Test
    void runsALoadAndAnswersItsSummary() throws Exception {
        receiver.reset();
        receiver.policy((id, attempt) -> Math.floorMod(id.hashCode(), 5) == 0 && attempt == 1 ? 500 : 200);

        HttpResponse<String> response = post(admin, "{\"targetUrl\":\"" + receiver.baseUrl() + "\",\"relativePath\":\"/load\","
                + "\"count\":50,\"concurrency\":4,\"duplicateRate\":0.2,\"seed\":3,\"retryBaseDelayMs\":5}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode summary = JSON.readTree(response.body());
        assertThat(summary.get("allDelivered").asBoolean()).isTrue();
        assertThat(summary.get("messages").asInt()).isEqualTo(50);
        int duplicates = summary.get("duplicates").asInt();
        assertThat(duplicates).isPositive();
        assertThat(summary.get("sent").asInt()).isEqualTo(50 + duplicates);
        assertThat(summary.get("delivered").asInt()).isEqualTo(50 + duplicates);
        assertThat(summary.get("attempts").asInt()).isGreaterThan(50 + duplicates);
        assertThat(receiver.arrivals().stream().filter(TestWsbReceiver.Arrival::delivered).count())
                .isEqualTo(50 + duplicates);
        assertThat(receiver.arrivals()).allSatisfy(a -> assertThat(a.path()).isEqualTo("/wsb/load"));
    }

    @Test
    void refusesInvalidLoads() throws Exception {
        String target = receiver.baseUrl();
        assertThat(post(admin, "{\"count\":5}").statusCode()).isEqualTo(400);
        assertThat(post(admin, "{\"targetUrl\":\"http://localhost:1/wsb\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> tooMany = post(admin, "{\"targetUrl\":\"" + target + "\",\"count\":100001}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("100000");
        assertThat(post(admin, "{\"targetUrl\":\"" + target + "\",\"duplicateRate\":1.5}").statusCode()).isEqualTo(400);
        assertThat(post(admin, "{\"targetUrl\":\"" + target + "\",\"retryBaseDelayMs\":-1}").statusCode()).isEqualTo(400);
        assertThat(post(adminWithoutWsb, "{\"targetUrl\":\"" + target + "\"}").statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> post(AdminServer server, String body) throws Exception {
        return TestHttp.send(http, server.url() + "/admin/wsb/send", "POST", "application/json", body);
    }
}
