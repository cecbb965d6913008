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
import java.util.List;
import java.util.Map;

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
import io.restassured.http.ContentType;

/**
 * Every refusal here happens before the broker talks to Smals: the upstream request count must not move. Every 401
 * is logged once with its reason and, when the token could be read, its subject; never the token.
 */
@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CallerAuthTest {

    private static final String NO_TOKEN = "urn:problem-type:belgif:noAccessToken";
    private static final String INVALID_TOKEN = "urn:problem-type:belgif:invalidAccessToken";
    private static final String FORBIDDEN = "urn:problem-type:belgif:missingPermission";

    @InjectBcss
    Bcss bcss;

    private int upstreamBefore;
    private final LogCapture log = new LogCapture();

    @BeforeEach
    void countUpstream() {
        upstreamBefore = bcss.upstreamTokenRequests();
        log.start();
    }

    @AfterEach
    void noUpstreamCall() {
        log.stop();
        assertThat(bcss.upstreamTokenRequests()).isEqualTo(upstreamBefore);
        assertThat(log.all()).doesNotContain("eyJ"); // no token, whole or in part, in any line
    }

    /** The refusal's one WARN line, by common's CallerAuthFailureLog. */
    private void assertRefusalLogged(String request, String reason, String subject) {
        List<String> refusals = log.lines().stream().filter(line -> line.startsWith(CallerAuthFailureLog.class.getName())).toList();
        assertThat(refusals).as("refusal lines").hasSize(1);
        assertThat(refusals.get(0)).contains("401 for " + request + ": " + reason);
        if (subject != null) {
            assertThat(refusals.get(0)).contains(subject);
        }
    }

    @Test
    void aRequestWithoutTokenIsRefused() {
        given().contentType(ContentType.JSON).body(Map.of("scopes", new String[] { scope(20) })).post("/v1/tokens")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo(NO_TOKEN));
        assertRefusalLogged("POST /v1/tokens", "no bearer token", null);
    }

    @Test
    void anExpiredCallerTokenIsRefused() {
        Instant issued = Instant.now().minus(Duration.ofMinutes(20));
        String expired = bcss.issuer().mint(PROXY, AUDIENCE, issued, issued.plus(Duration.ofMinutes(10)));

        tokenFor(expired, scope(20)).then().statusCode(401).contentType("application/problem+json").body("type", equalTo(INVALID_TOKEN));
        assertRefusalLogged("POST /v1/tokens", "expired", " subject=" + PROXY);
    }

    @Test
    void aTokenNotValidYetIsRefused() {
        Instant issued = Instant.now().plus(Duration.ofMinutes(10)); // far beyond the 30 s clock skew allowed
        String early = bcss.issuer().mint(PROXY, AUDIENCE, issued, issued.plus(Duration.ofMinutes(10)));

        tokenFor(early, scope(20)).then().statusCode(401).body("type", equalTo(INVALID_TOKEN));
        assertRefusalLogged("POST /v1/tokens", "not yet valid", " subject=" + PROXY);
    }

    @Test
    void aTamperedTokenIsRefused() {
        String token = bcss.callerToken(PROXY);
        String[] parts = token.split("\\.");
        String otherSignature = bcss.callerToken(LIMITED).split("\\.")[2]; // well-formed, by the right key, for other content

        tokenFor(parts[0] + "." + parts[1] + "." + otherSignature, scope(20)).then().statusCode(401).body("type", equalTo(INVALID_TOKEN));
        assertRefusalLogged("POST /v1/tokens", "bad signature", " unverified subject=" + PROXY);
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        String foreign = CallerTokenIssuer.offline(bcss.issuer().issuer()).mint(PROXY, AUDIENCE, Duration.ofMinutes(5));

        tokenFor(foreign, scope(20)).then().statusCode(401).body("type", equalTo(INVALID_TOKEN));
        // same issuer name, a key it never published: an unknown kid, named in the line
        assertRefusalLogged("POST /v1/tokens", "signed with a key (kid) that is not in the issuer's JWKS", " unverified subject=" + PROXY);
        assertThat(log.all()).contains("smallrye.jwt.jwks.forced-refresh-interval").contains("every 1 min");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        String otherAudience = bcss.issuer().mint(PROXY, "bcss-proxy", Duration.ofMinutes(5));

        tokenFor(otherAudience, scope(20)).then().statusCode(401).body("type", equalTo(INVALID_TOKEN));
        assertRefusalLogged("POST /v1/tokens", "wrong audience", " subject=" + PROXY);
    }

    @Test
    void garbageIsRefused() {
        tokenFor("not-a-jwt", scope(20)).then().statusCode(401).body("type", equalTo(INVALID_TOKEN));
        assertRefusalLogged("POST /v1/tokens", "not a well-formed JWT", null);
    }

    @Test
    void aCallerThatIsNotConfiguredIsForbidden() {
        tokenFor(bcss.callerToken(STRANGER), scope(20)).then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo(FORBIDDEN));
    }

    /** A subject with line breaks (from the trusted issuer) is escaped in the refusal line: no forged line. */
    @Test
    void aRefusedSubjectWithLineBreaksCannotForgeALogLine() {
        String forged = "15:00:00.000 ERROR [audit] caller=forged";
        for (String subject : List.of("evil\n" + forged, "evil\r\n" + forged, "evil\u2028" + forged, "evil\u0085" + forged)) {
            tokenFor(bcss.callerToken(subject), scope(20)).then().statusCode(403).body("type", equalTo(FORBIDDEN));
        }
        List<String> refusals = log.lines().stream().filter(line -> line.contains("to caller evil")).toList();
        assertThat(refusals).hasSize(4);
        assertThat(refusals.get(0)).contains("to caller evil\\n" + forged);
        assertThat(refusals.get(1)).contains("to caller evil\\r\\n" + forged);
        assertThat(refusals.get(2)).contains("to caller evil\\u2028" + forged);
        assertThat(refusals.get(3)).contains("to caller evil\\u0085" + forged);
        assertThat(log.lines()).allSatisfy(line -> assertThat(line).doesNotContain("\n", "\r", "\u2028", "\u0085"));
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
        assertRefusalLogged("GET /v1/certificates", "no bearer token", null);
    }
}
