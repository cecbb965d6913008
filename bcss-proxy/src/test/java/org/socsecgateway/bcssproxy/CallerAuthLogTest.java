package org.socsecgateway.bcssproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.bcssproxy.SimulatedPartners.PAYROLL;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.common.auth.CallerAuthFailureLog;
import org.socsecgateway.common.auth.VerifiedTokenCache;
import org.socsecgateway.common.testing.LogCapture;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;

/**
 * A refused caller token is logged once with its reason and subject, never the token (common's
 * CallerAuthFailureLog); an unknown kid names the JWKS cooldown this service runs with (1 minute, not the library's
 * 30). An accepted token is verified once and remembered until its exp (common's VerifiedTokenCache); a refused one
 * is checked again every time.
 */
@QuarkusTest
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CallerAuthLogTest {

    /** What follows the API name can hold a national number: the log names the API only. */
    private static final String PATH = "/v1/bcss/demo/v1/persons/85073100145";

    @SimulatedPartners.InjectBcss
    SimulatedPartners.Partners bcss;

    @Inject
    JWTParser parser;

    private final LogCapture log = new LogCapture();

    @BeforeEach
    void listen() {
        log.start();
    }

    @AfterEach
    void stopListening() {
        log.stop();
        assertThat(log.all()).doesNotContain("eyJ").doesNotContain("85073100145");
        assertThat(log.errors()).as("a refused token is the caller's problem, never an ERROR").isEmpty();
    }

    @Test
    void aTokenForAnotherAudienceIsLoggedWithReasonAndSubject() {
        given().auth().oauth2(bcss.issuer().mint(PAYROLL, "token-broker", Duration.ofMinutes(5))).get(PATH).then().statusCode(401)
                .contentType("application/problem+json").body("type", org.hamcrest.Matchers.endsWith("invalidAccessToken"));

        assertThat(refusals()).singleElement().asString()
                .contains("401 for GET /v1/bcss/demo/...: wrong audience").contains(" subject=" + PAYROLL);
    }

    @Test
    void anUnknownKidIsLoggedWithTheCooldownInUse() {
        CallerTokenIssuer junk = CallerTokenIssuer.offline(bcss.issuer().issuer());
        given().auth().oauth2(junk.mint(PAYROLL, "bcss-proxy", Duration.ofMinutes(5))).get(PATH).then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer");

        assertThat(refusals()).singleElement().asString()
                .contains("kid=" + junk.keyId())
                .contains("at most every 1 min (smallrye.jwt.jwks.forced-refresh-interval)");
    }

    @Test
    void anAcceptedTokenIsVerifiedOnceAndRememberedUntilItExpires() {
        assertThat(parser).isInstanceOf(VerifiedTokenCache.class);
        VerifiedTokenCache cache = (VerifiedTokenCache) parser;
        long before = cache.size();
        String token = bcss.issuer().mint(PAYROLL, "bcss-proxy", Duration.ofMinutes(5));
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).get("/v1/bcss/demo/v1/organizations/42").then().statusCode(200);
        }
        assertThat(cache.size()).as("one entry for the three calls").isEqualTo(before + 1);

        // refused tokens are never remembered: each is checked again
        String otherAudience = bcss.issuer().mint(PAYROLL, "token-broker", Duration.ofMinutes(5));
        String expired = bcss.issuer().mint(PAYROLL, "bcss-proxy", Duration.ofSeconds(-120));
        for (String refused : List.of(otherAudience, otherAudience, expired, expired)) {
            given().auth().oauth2(refused).get("/v1/bcss/demo/v1/organizations/42").then().statusCode(401)
                    .contentType("application/problem+json");
        }
        assertThat(cache.size()).isEqualTo(before + 1);
    }

    private List<String> refusals() {
        return log.lines().stream().filter(line -> line.startsWith(CallerAuthFailureLog.class.getName())).toList();
    }
}
