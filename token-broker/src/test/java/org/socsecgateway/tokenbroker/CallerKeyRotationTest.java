package org.socsecgateway.tokenbroker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.tokenbroker.SimulatedBcss.AUDIENCE;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.common.auth.CallerAuthFailureLog;
import org.socsecgateway.common.testing.LogCapture;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.tokenbroker.SimulatedBcss.InjectBcss;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A token naming an unknown {@code kid} makes the JWT library fetch the issuer's JWKS again, and then not again for
 * {@code smallrye.jwt.jwks.forced-refresh-interval} minutes. With the library's default (30) one junk token right
 * before a real rotation of the cluster's signing key meant 401s for every caller for half an hour; with the
 * configured 1 minute the rotated key is accepted within that minute. The interval is in whole minutes (the
 * library has no finer setting), so this test takes about a minute. Own application: it rotates the issuer's key.
 */
@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class CallerKeyRotationTest {

    private static final Duration COOLDOWN = Duration.ofMinutes(1);

    @InjectBcss
    Bcss bcss;

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
    void aJunkKidDoesNotHideARotatedIssuerKeyForLongerThanTheCooldown() throws Exception {
        certificatesWith(bcss.callerToken(PROXY), 200); // the JWKS is known

        CallerTokenIssuer junkIssuer = CallerTokenIssuer.offline(bcss.issuer().issuer()); // same iss, unpublished key
        String junk = junkIssuer.mint(PROXY, AUDIENCE, Duration.ofMinutes(5));
        Instant junkAt = Instant.now();
        for (int i = 0; i < 3; i++) {
            certificatesWith(junk, 401);
        }
        assertThat(refusalLinesNaming(junkIssuer.keyId())).as("one WARN for the junk kid, not one per request").hasSize(1);

        String rotatedKid = bcss.issuer().rotateKey();
        String rotated = bcss.issuer().mint(PROXY, AUDIENCE, Duration.ofMinutes(5));
        Instant deadline = junkAt.plus(COOLDOWN).plusSeconds(20); // the cooldown, plus slack for a slow machine
        int status = certificatesStatus(rotated);
        while (status != 200 && Instant.now().isBefore(deadline)) {
            Thread.sleep(1_000);
            status = certificatesStatus(rotated);
        }

        assertThat(status).as("the rotated key is accepted within the cooldown").isEqualTo(200);
        assertThat(refusalLinesNaming(rotatedKid)).as("at most one WARN for the new kid while it was unknown").hasSizeLessThanOrEqualTo(1);
        assertThat(log.all()).doesNotContain(junk, rotated, "eyJ");
    }

    private List<String> refusalLinesNaming(String kid) {
        return log.lines().stream()
                .filter(line -> line.startsWith(CallerAuthFailureLog.class.getName()) && line.contains("kid=" + kid))
                .toList();
    }

    private void certificatesWith(String callerToken, int status) {
        given().auth().oauth2(callerToken).get("/v1/certificates").then().statusCode(status);
    }

    private int certificatesStatus(String callerToken) {
        return given().auth().oauth2(callerToken).get("/v1/certificates").statusCode();
    }
}
