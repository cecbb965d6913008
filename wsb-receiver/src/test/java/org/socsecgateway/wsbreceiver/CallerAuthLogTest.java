package org.socsecgateway.wsbreceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.wsbreceiver.SimulatedStar.ALL_READER;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.common.auth.CallerAuthFailureLog;
import org.socsecgateway.common.testing.LogCapture;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A refused caller token is logged once with its reason and subject, never the token (common's
 * CallerAuthFailureLog); an unknown kid names the JWKS cooldown this service runs with (1 minute, not the library's
 * 30); a request without a token is logged too.
 */
@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CallerAuthLogTest {

    @SimulatedStar.InjectStar
    Star star;

    private final LogCapture log = new LogCapture();

    @BeforeEach
    void listen() {
        log.start();
    }

    @AfterEach
    void stopListening() {
        log.stop();
        assertThat(log.all()).doesNotContain("eyJ");
    }

    @Test
    void anExpiredTokenIsLoggedWithReasonAndSubject() {
        java.time.Instant issued = java.time.Instant.now().minus(Duration.ofMinutes(20));
        String expired = star.issuer().mint(ALL_READER, SimulatedStar.AUDIENCE, issued, issued.plus(Duration.ofMinutes(10)));
        given().auth().oauth2(expired).get("/v1/events").then().statusCode(401);

        assertThat(refusals()).singleElement().asString()
                .contains("401 for GET /v1/events: expired").contains(" subject=" + ALL_READER);
    }

    @Test
    void anUnknownKidIsLoggedWithTheCooldownInUse() {
        CallerTokenIssuer junk = CallerTokenIssuer.offline(star.issuer().issuer());
        given().auth().oauth2(junk.mint(ALL_READER, SimulatedStar.AUDIENCE, Duration.ofMinutes(5))).get("/v1/events").then().statusCode(401);

        assertThat(refusals()).singleElement().asString()
                .contains("kid=" + junk.keyId())
                .contains("at most every 1 min (smallrye.jwt.jwks.forced-refresh-interval)");
    }

    @Test
    void aRequestWithoutATokenIsLogged() {
        given().get("/v1/events").then().statusCode(401);

        assertThat(refusals()).singleElement().asString().contains("401 for GET /v1/events: no bearer token");
    }

    private List<String> refusals() {
        return log.lines().stream().filter(line -> line.startsWith(CallerAuthFailureLog.class.getName())).toList();
    }
}
