package org.socsecgateway.bcssproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.socsecgateway.bcssproxy.SimulatedPartners.OTHER;
import static org.socsecgateway.bcssproxy.SimulatedPartners.PAYROLL;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.bcssproxy.SimulatedPartners.InjectBcss;
import org.socsecgateway.bcssproxy.SimulatedPartners.Partners;
import org.socsecgateway.simulators.gateway.RecordedRequest;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Caller → proxy → simulated BCSS gateway over mutual TLS, with tokens from the real broker. */
@QuarkusTest
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ProxyTest {

    /** A valid SSIN (modulo 97) that must never show up in a log. */
    static final String SSIN = "85073003328";

    @InjectBcss
    Partners bcss;

    @TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    @AfterEach
    void clearFaults() {
        bcss.gateway().faults().clear();
    }

    private RequestSpecification as(String subject) {
        return given().auth().oauth2(bcss.callerToken(subject));
    }

    private RecordedRequest lastUpstream() {
        List<RecordedRequest> recent = bcss.gateway().stats().recent();
        return recent.get(recent.size() - 1);
    }

    @Test
    void forwardsAGetWithTokenTraceIdAndSafeHeadersOnly() {
        String callerToken = bcss.callerToken(PAYROLL);
        Response response = given().auth().oauth2(callerToken)
                .header("Accept", "application/json")
                .header("Accept-Language", "fr")
                .header("X-Correlation-Id", "corr-123")
                .header("X-Internal-Secret", "do-not-forward")
                .header("Cookie", "session=abc")
                .get("/v1/bcss/demo/v1/organizations/42");

        response.then().statusCode(200)
                .body("id", equalTo("42"))
                .header("X-Correlation-Id", "corr-123")
                .header("BelGov-Trace-Id", notNullValue());
        RecordedRequest upstream = lastUpstream();
        Map<String, List<String>> headers = upstream.headers();
        assertThat(upstream.path()).isEqualTo("/demo/v1/organizations/42");
        assertThat(headers.get("authorization").get(0)).startsWith("Bearer ").doesNotContain(callerToken);
        assertThat(UUID.fromString(headers.get("belgov-trace-id").get(0))).isNotNull();
        assertThat(headers.get("x-correlation-id")).containsExactly("corr-123");
        assertThat(headers.get("accept-language")).containsExactly("fr");
        assertThat(headers).doesNotContainKeys("x-internal-secret", "cookie");
        assertThat(response.header("BelGov-Related-Trace-Id")).isEqualTo(headers.get("belgov-trace-id").get(0));
    }

    @Test
    void forwardsAPostWithItsJsonBody() {
        as(PAYROLL).contentType(ContentType.JSON).body(Map.of("ssin", SSIN))
                .post("/v1/bcss/demo/v1/persons/search")
                .then().statusCode(200).body("ssin", equalTo(SSIN));
        assertThat(lastUpstream().method()).isEqualTo("POST");
    }

    @Test
    void forwardsOtherMethodsAndPassesTheGatewaysAnswerThrough() {
        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            long before = bcss.gateway().stats().requests();
            Response response = as(PAYROLL).contentType(ContentType.JSON).body("{}").request(method, "/v1/bcss/demo/v1/organizations/42");
            assertThat(bcss.gateway().stats().requests()).as(method + " reached the gateway").isEqualTo(before + 1);
            assertThat(lastUpstream().method()).isEqualTo(method);
            assertThat(response.statusCode()).as(method).isEqualTo(lastUpstream().status());
        }
    }

    @Test
    void aRevokedTokenIsReportedAndTheCallRetriedOnceWithAFreshOne() {
        as(PAYROLL).get("/v1/bcss/demo/v1/organizations/1").then().statusCode(200);
        bcss.oauth().revokeAll();
        long before = bcss.gateway().stats().requests();

        as(PAYROLL).get("/v1/bcss/demo/v1/organizations/2").then().statusCode(200);

        List<RecordedRequest> recent = bcss.gateway().stats().recent();
        assertThat(bcss.gateway().stats().requests() - before).isEqualTo(2);
        assertThat(recent.get(recent.size() - 2).status()).isEqualTo(401);
        assertThat(recent.get(recent.size() - 2).headers().get("authorization"))
                .isNotEqualTo(recent.get(recent.size() - 1).headers().get("authorization"));
    }

    @Test
    void anExpiredTokenIsReportedAndTheCallRetriedExactlyOnce() {
        as(PAYROLL).get("/v1/bcss/demo/v1/organizations/11").then().statusCode(200);
        bcss.oauth().expireAll(); // the gateway now answers expiredAccessToken for the token the proxy holds
        long before = bcss.gateway().stats().requests();

        as(PAYROLL).get("/v1/bcss/demo/v1/organizations/12").then().statusCode(200).body("id", equalTo("12"));

        List<RecordedRequest> recent = bcss.gateway().stats().recent();
        assertThat(bcss.gateway().stats().requests() - before).as("one refused call and exactly one retry").isEqualTo(2);
        assertThat(recent.get(recent.size() - 2).status()).isEqualTo(401);
        assertThat(recent.get(recent.size() - 1).status()).isEqualTo(200);
    }

    @Test
    void aMissingScopeIsTheGatewaysBelgifProblem() {
        as(PAYROLL).contentType(ContentType.JSON).body(Map.of("ssin", SSIN))
                .post("/v1/bcss/readonly/v1/persons/search")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:problem-type:belgif:missingScope"));
    }

    @Test
    void tooManyRequestsPassesRetryAfterThrough() {
        bcss.gateway().faults().tooManyRequests(1, Duration.ofSeconds(7));

        as(PAYROLL).get("/v1/bcss/demo/v1/organizations/3")
                .then().statusCode(429).header("Retry-After", "7")
                .body("type", equalTo("urn:problem-type:belgif:tooManyRequests"));
    }

    @Test
    void unknownApiIs404WithoutUpstreamCall() {
        long before = bcss.gateway().stats().requests();
        as(PAYROLL).get("/v1/bcss/nosuchapi/v1/x").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:problem-type:belgif:resourceNotFound"));
        assertThat(bcss.gateway().stats().requests()).isEqualTo(before);
    }

    @Test
    void theAllowListIsNotRevealedToACallerWithoutAValidToken() {
        long before = bcss.gateway().stats().requests();
        for (String path : List.of("/v1/bcss/nosuchapi/v1/x", "/v1/bcss/demo/v1/organizations/4")) {
            given().get(path).then().statusCode(401).body("type", equalTo("urn:problem-type:belgif:noAccessToken"));
            given().auth().oauth2("not-a-jwt").get(path).then().statusCode(401)
                    .body("type", equalTo("urn:problem-type:belgif:invalidAccessToken"));
        }
        assertThat(bcss.gateway().stats().requests()).isEqualTo(before);
    }

    @Test
    void methodsOtherThanRfc9110OnesAreRefusedWith405BeforeBcss() throws Exception {
        long before = bcss.gateway().stats().requests();
        String token = bcss.callerToken(PAYROLL);
        for (String method : List.of("TRACE", "FOO", "PROPFIND", "get")) {
            RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, method + " /v1/bcss/demo/v1/organizations/4 HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n");
            assertThat(exchange.status()).as(method).isEqualTo(405);
            assertThat(exchange.header("Allow")).as(method).isEqualTo("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
            assertThat(exchange.header("Content-Type")).as(method).startsWith("application/problem+json");
        }
        assertThat(bcss.gateway().stats().requests()).isEqualTo(before);
    }

    @Test
    void unauthorisedCallersAreRefusedWithoutUpstreamCall() {
        long before = bcss.gateway().stats().requests();
        given().get("/v1/bcss/demo/v1/organizations/4").then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo("urn:problem-type:belgif:noAccessToken"));
        given().auth().oauth2(bcss.issuer().mint(PAYROLL, "token-broker", Duration.ofMinutes(5)))
                .get("/v1/bcss/demo/v1/organizations/4").then().statusCode(401)
                .body("type", equalTo("urn:problem-type:belgif:invalidAccessToken"));
        as(OTHER).get("/v1/bcss/demo/v1/organizations/4").then().statusCode(403)
                .body("type", equalTo("urn:problem-type:belgif:missingPermission"));
        assertThat(bcss.gateway().stats().requests()).isEqualTo(before);
    }

    @Test
    void pathTraversalAndSteeringAttemptsAreRefusedWithoutUpstreamCall() throws Exception {
        long before = bcss.gateway().stats().requests();
        int port = io.restassured.RestAssured.port;
        String token = bcss.callerToken(PAYROLL);
        for (String target : List.of(
                "/v1/bcss/demo/../readonly/v1/organizations/1",
                "/v1/bcss/demo/v1/%2e%2e/%2e%2e/admin",
                "/v1/bcss/demo/v1%2forganizations/1",
                "/v1/bcss/demo/v1%5corganizations/1",
                "/v1/bcss/demo//evil.example.org/v1",
                "/v1/bcss/demo/v1/organizations/1%2500",
                "/v1/bcss/DEMO/v1/organizations/1",
                "/v1/bcss/demo/v1/organizations/1\\..\\x",
                "/v1/bcss/demo/https:/evil.example.org/v1")) {
            assertThat(ProxyRequests.rawGet(port, target, token)).as(target).isBetween(400, 404);
        }
        assertThat(bcss.gateway().stats().requests()).isEqualTo(before);
    }
}
