package org.socsecgateway.tokenbroker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.socsecgateway.tokenbroker.SimulatedBcss.AUDIENCE;
import static org.socsecgateway.tokenbroker.SimulatedBcss.LIMITED;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;
import static org.socsecgateway.tokenbroker.SimulatedBcss.STRANGER;
import static org.socsecgateway.tokenbroker.SimulatedBcss.scope;
import static org.socsecgateway.tokenbroker.TokenRequests.tokenFor;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.tokenbroker.SimulatedBcss.InjectBcss;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Every refusal here happens before the broker talks to Smals: the upstream request count must not move. */
@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CallerAuthTest {

    private static final String NO_TOKEN = "urn:problem-type:belgif:noAccessToken";
    private static final String INVALID_TOKEN = "urn:problem-type:belgif:invalidAccessToken";
    private static final String FORBIDDEN = "urn:problem-type:belgif:missingPermission";

    @InjectBcss
    Bcss bcss;

    private int upstreamBefore;

    @BeforeEach
    void countUpstream() {
        upstreamBefore = bcss.upstreamTokenRequests();
    }

    @AfterEach
    void noUpstreamCall() {
        assertThat(bcss.upstreamTokenRequests()).isEqualTo(upstreamBefore);
    }

    @Test
    void aRequestWithoutTokenIsRefused() {
        given().contentType(ContentType.JSON).body(Map.of("scopes", new String[] { scope(20) })).post("/v1/tokens")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo(NO_TOKEN));
    }

    @Test
    void anExpiredCallerTokenIsRefused() {
        Instant issued = Instant.now().minus(Duration.ofMinutes(20));
        String expired = bcss.issuer().mint(PROXY, AUDIENCE, issued, issued.plus(Duration.ofMinutes(10)));

        tokenFor(expired, scope(20)).then().statusCode(401).contentType("application/problem+json").body("type", equalTo(INVALID_TOKEN));
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        String foreign = CallerTokenIssuer.offline(bcss.issuer().issuer()).mint(PROXY, AUDIENCE, Duration.ofMinutes(5));

        tokenFor(foreign, scope(20)).then().statusCode(401).body("type", equalTo(INVALID_TOKEN));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        String otherAudience = bcss.issuer().mint(PROXY, "bcss-proxy", Duration.ofMinutes(5));

        tokenFor(otherAudience, scope(20)).then().statusCode(401).body("type", equalTo(INVALID_TOKEN));
    }

    @Test
    void garbageIsRefused() {
        tokenFor("not-a-jwt", scope(20)).then().statusCode(401).body("type", equalTo(INVALID_TOKEN));
    }

    @Test
    void aCallerThatIsNotConfiguredIsForbidden() {
        tokenFor(bcss.callerToken(STRANGER), scope(20)).then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo(FORBIDDEN));
    }

    @Test
    void aCallerGetsOnlyItsOwnScopes() {
        tokenFor(bcss.callerToken(LIMITED), scope(20)).then().statusCode(403).body("type", equalTo(FORBIDDEN));
        tokenFor(bcss.callerToken(LIMITED), scope(1), scope(20)).then().statusCode(403).body("type", equalTo(FORBIDDEN));
        tokenFor(bcss.callerToken(LIMITED)).then().statusCode(403).body("type", equalTo(FORBIDDEN));
    }

    @Test
    void theCertificateViewNeedsACallerToken() {
        given().get("/v1/certificates").then().statusCode(401).body("type", equalTo(NO_TOKEN));
    }
}
