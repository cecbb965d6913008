package org.socsecgateway.wsbreceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.wsbreceiver.SimulatedStar.ALL_READER;
import static org.socsecgateway.wsbreceiver.SimulatedStar.KOMMUNE_PATH;

import java.net.URL;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.LogCapture;
import org.socsecgateway.simulators.wsb.WsbMessage;
import org.socsecgateway.simulators.wsb.WsbMessages;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** No CPR number in any log line or metric, whatever happens to the message. */
@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LogHygieneTest {

    @SimulatedStar.InjectStar
    Star star;

    @Inject
    AgroalDataSource receiverPool;

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private final LogCapture log = new LogCapture();

    @BeforeEach
    void listen() {
        log.start();
    }

    @AfterEach
    void stopListening() {
        log.stop();
    }

    @Test
    void cprNumbersNeverReachLogsOrMetrics() throws Exception {
        Logger.getLogger("org.socsecgateway").setLevel(Level.FINEST); // debug lines too
        WsbMessage message = new WsbMessages(System.nanoTime(), 1).next();
        String cpr = message.cpr();
        HttpClient client = star.tlsClient(star.pki().starClientKeystoreP12());
        String url = "https://localhost:" + webhook.getPort() + KOMMUNE_PATH;
        byte[] body = message.toJson().getBytes(StandardCharsets.UTF_8);
        // stored, duplicate, malformed (the CPR in the broken text), wrong type, and refused during an outage
        assertThat(Star.post(client, url, "application/json", body).statusCode()).isEqualTo(200);
        assertThat(Star.post(client, url, "application/json", body).statusCode()).isEqualTo(200);
        assertThat(Star.post(client, url, "application/json", ("{\"cpr\":\"" + cpr + "\",").getBytes()).statusCode()).isEqualTo(400);
        assertThat(Star.post(client, url, "text/plain", body).statusCode()).isEqualTo(415);
        given().auth().oauth2(star.token(ALL_READER)).get("/v1/events?after=0&limit=1000").then().statusCode(200);
        star.postgres().stop();
        try {
            WsbMessage other = new WsbMessages(System.nanoTime(), 1).next(cpr);
            assertThat(Star.post(client, url, "application/json", other.toJson().getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(503);
        } finally {
            star.restartPostgres(receiverPool);
            Logger.getLogger("org.socsecgateway").setLevel(null);
        }

        assertThat(log.lines()).isNotEmpty();
        assertThat(log.all()).doesNotContain(cpr);
        assertThat(given().get(metrics).then().statusCode(200).extract().asString())
                .contains("wsb_messages_received_total").doesNotContain(cpr);
    }
}
