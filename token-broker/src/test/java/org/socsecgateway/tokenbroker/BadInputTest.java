package org.socsecgateway.tokenbroker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.socsecgateway.common.testing.LogCapture;
import org.socsecgateway.tokenbroker.SimulatedBcss.InjectBcss;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Bad input gets a 4xx problem document and causes no upstream call. */
@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.MATCHING_RESOURCES)
class BadInputTest {

    private static final String BAD_REQUEST = "urn:problem-type:belgif:badRequest";

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
        assertThat(log.errors()).as("nothing a caller sends may produce an ERROR line").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"scopes\":[null]}", "{\"scopes\":[\"scope:cbss:api:demo:consult\",null]}", "{\"scopes\":[\"\"]}" })
    void nullOrBlankScope(String body) {
        caller().contentType(ContentType.JSON).body(body).post("/v1/tokens")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(BAD_REQUEST))
                .body("issues", hasSize(1));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"access_token\":null}", "{\"access_token\":\" \"}", "{}" })
    void rejectedReportWithoutToken(String body) {
        caller().contentType(ContentType.JSON).body(body).post("/v1/tokens/rejected")
                .then().statusCode(400).contentType("application/problem+json").body("type", equalTo(BAD_REQUEST));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"scopes\":[\"scope:cbss:api:demo:consult\"]} x", "{\"scopes\":[]}{\"scopes\":[]}",
            "{\"scopes\":[]} []", "{\"scopes\":[]} 1" })
    void trailingContentAfterTheJsonValue(String body) {
        caller().contentType(ContentType.JSON).body(body).post("/v1/tokens")
                .then().statusCode(400).contentType("application/problem+json").body("type", equalTo(BAD_REQUEST));
    }

    @Test
    void trailingContentInRejectedReport() {
        caller().contentType(ContentType.JSON).body("{\"access_token\":\"abc\"} x").post("/v1/tokens/rejected")
                .then().statusCode(400).contentType("application/problem+json").body("type", equalTo(BAD_REQUEST));
    }

    private RequestSpecification caller() {
        return given().auth().oauth2(bcss.callerToken(PROXY));
    }

    @Test
    void malformedJson() {
        caller().contentType(ContentType.JSON).body("{\"scopes\": [\"85073003328\"").post("/v1/tokens")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(BAD_REQUEST))
                .body("detail", containsString("not valid JSON"))
                .body(org.hamcrest.Matchers.not(containsString("85073003328")));
    }

    @Test
    void wrongJsonShape() {
        caller().contentType(ContentType.JSON).body("{\"scopes\": {\"a\": 1}}").post("/v1/tokens")
                .then().statusCode(400).contentType("application/problem+json").body("type", equalTo(BAD_REQUEST));
    }

    @Test
    void missingBody() {
        caller().contentType(ContentType.JSON).post("/v1/tokens")
                .then().statusCode(400).contentType("application/problem+json").body("type", equalTo(BAD_REQUEST));
    }

    @Test
    void unknownScope() {
        caller().contentType(ContentType.JSON).body("{\"scopes\": [\"scope:cbss:api:nonexistent:consult\"]}").post("/v1/tokens")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(BAD_REQUEST))
                .body("detail", containsString("scope:cbss:api:nonexistent:consult"));
    }

    @Test
    void scopeWithForbiddenCharacters() {
        caller().contentType(ContentType.JSON).body("{\"scopes\": [\"two words\"]}").post("/v1/tokens")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(BAD_REQUEST))
                .body("issues", hasSize(1))
                .body("issues[0].in", equalTo("body"));
    }

    @Test
    void oversizedBody() {
        String huge = "{\"scopes\": [\"" + "a".repeat(20_000) + "\"]}";
        caller().contentType(ContentType.JSON).body(huge).post("/v1/tokens")
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("urn:problem-type:belgif:payloadTooLarge"));
    }

    @Test
    void wrongContentType() {
        caller().contentType(ContentType.TEXT).body("scope:cbss:api:demo:consult").post("/v1/tokens")
                .then().statusCode(415).contentType("application/problem+json");
    }

    @Test
    void unknownPath() {
        caller().get("/v1/nothing-here").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:problem-type:belgif:resourceNotFound"));
    }

    @Test
    void wrongMethod() {
        caller().get("/v1/tokens").then().statusCode(405).contentType("application/problem+json");
    }
}
