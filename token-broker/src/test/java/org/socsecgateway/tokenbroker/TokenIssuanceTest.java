package org.socsecgateway.tokenbroker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.socsecgateway.tokenbroker.SimulatedBcss.DEFAULT_SCOPE;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;
import static org.socsecgateway.tokenbroker.SimulatedBcss.scope;
import static org.socsecgateway.tokenbroker.TokenRequests.accessToken;
import static org.socsecgateway.tokenbroker.TokenRequests.reportRejected;
import static org.socsecgateway.tokenbroker.TokenRequests.tokenFor;

import java.net.URL;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.oauth.IssuedToken;
import org.socsecgateway.tokenbroker.SimulatedBcss.InjectBcss;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The broker against the simulated Smals server over real TLS: the simulator, not the broker, checks assertions. */
@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TokenIssuanceTest {

    @InjectBcss
    Bcss bcss;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL readiness;

    @AfterEach
    void clearFaults() {
        bcss.oauth().faults().clear();
    }

    @Test
    void issuesATokenTheAuthorizationServerAcceptedForTheRequestedScopes() {
        int before = bcss.upstreamTokenRequests();
        long rejectedBefore = bcss.oauth().stats().rejected();

        Response response = tokenFor(bcss.callerToken(PROXY), scope(1), scope(2));

        response.then().statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", greaterThan(500))
                .body("expires_in", lessThanOrEqualTo(600))
                .body("expires_at", not(equalTo(null)))
                .body("scope", equalTo(scope(1) + " " + scope(2)));
        IssuedToken issued = bcss.oauth().introspect(response.jsonPath().getString("access_token")).orElseThrow();
        assertThat(issued.clientId()).isEqualTo(SimulatedBcss.CLIENT_ID);
        assertThat(issued.scopes()).containsExactlyInAnyOrder(scope(1), scope(2));
        assertThat(bcss.upstreamTokenRequests()).isEqualTo(before + 1);
        assertThat(bcss.oauth().stats().rejected()).isEqualTo(rejectedBefore);
    }

    @Test
    void servesTheCachedTokenForTheSameScopeSetInAnyOrder() {
        String first = accessToken(bcss.callerToken(PROXY), scope(3), scope(4));
        int after = bcss.upstreamTokenRequests();

        String second = accessToken(bcss.callerToken(PROXY), scope(4), scope(3), scope(4));

        assertThat(second).isEqualTo(first);
        assertThat(bcss.upstreamTokenRequests()).isEqualTo(after);
    }

    @Test
    void anEmptyScopeListGetsTheClientsDefaultScopes() {
        String token = accessToken(bcss.callerToken(PROXY));

        assertThat(bcss.oauth().introspect(token).orElseThrow().scopes()).containsExactly(DEFAULT_SCOPE);
    }

    @Test
    void aReportedRejectedTokenIsReplacedOnTheNextRequest() {
        String caller = bcss.callerToken(PROXY);
        String first = accessToken(caller, scope(5));
        bcss.oauth().revoke(first);

        reportRejected(caller, first).then().statusCode(204);
        String second = accessToken(caller, scope(5));

        assertThat(second).isNotEqualTo(first);
        assertThat(bcss.oauth().introspect(second)).isPresent();
        // A second report of the old token changes nothing: the fresh token stays.
        reportRejected(caller, first).then().statusCode(204);
        assertThat(accessToken(caller, scope(5))).isEqualTo(second);
    }

    @Test
    void showsTheSigningCertificateForOnboardingButNeverAKey() throws Exception {
        String pem = Files.readString(bcss.pki().signingCert()).trim();

        String body = given().auth().oauth2(bcss.callerToken(PROXY)).get("/v1/certificates")
                .then().statusCode(200)
                .body("[0].purpose", equalTo("jwt-signing"))
                .body("[0].loaded", equalTo(true))
                .body("[0].subject", containsString("CN="))
                .body("[0].sha256Thumbprint", not(equalTo(null)))
                .body("[0].daysLeft", greaterThan(0))
                .extract().asString();
        String servedPem = given().auth().oauth2(bcss.callerToken(PROXY)).get("/v1/certificates/jwt-signing.pem")
                .then().statusCode(200).extract().asString().trim();

        assertThat(servedPem.replaceAll("\\s", "")).isEqualTo(pem.replaceAll("\\s", ""));
        assertThat(body).doesNotContain("PRIVATE");
    }

    @Test
    void readinessAndMetricsTellTheOperatorWhatIsGoingOn() {
        accessToken(bcss.callerToken(PROXY), scope(6));
        accessToken(bcss.callerToken(PROXY), scope(6));

        given().get(readiness).then().statusCode(200).body(containsString("jwt-signing-key"));
        String text = given().get(metrics).then().statusCode(200).extract().asString();

        assertThat(text).contains("broker_token_requests_total{outcome=\"cache_hit\"");
        assertThat(text).contains("broker_token_requests_total{outcome=\"fetched\"");
        assertThat(text).contains("broker_upstream_requests_seconds_count{operation=\"token\",outcome=\"success\"");
        assertThat(text).contains("broker_upstream_requests_seconds_bucket");
        assertThat(text).containsPattern("broker_certificate_days_left\\{purpose=\"jwt-signing\"} [1-9]");
        assertThat(text).doesNotContain(accessToken(bcss.callerToken(PROXY), scope(6)));
    }

    /** A caller's path never becomes a label: not on a 405, a 400 before routing, or a path no route has. */
    @Test
    void pathsCallersMakeUpNeverBecomeLabels() throws Exception {
        for (String request : List.of("DELETE /v1/tokens/0101850000-cpr-1", "GET /v1/%ZZsecret1", "PUT /v1/tokens",
                "POST /x/eyJhbGciOiJ1/0101850000")) {
            try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write((request + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getInputStream().readAllBytes();
            }
        }
        assertThat(given().get(metrics).then().statusCode(200).extract().asString())
                .doesNotContain("0101850000", "secret1", "eyJhbGciOiJ1");
    }
}
