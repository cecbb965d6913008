package org.socsecgateway.tokenbroker;

import static io.restassured.RestAssured.given;

import java.util.Arrays;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The HTTP calls the tests make to the broker. */
final class TokenRequests {

    private TokenRequests() {
    }

    static Response tokenFor(String callerToken, String... scopes) {
        return given().auth().oauth2(callerToken)
                .contentType(ContentType.JSON)
                .body(Map.of("scopes", Arrays.asList(scopes)))
                .post("/v1/tokens");
    }

    static String accessToken(String callerToken, String... scopes) {
        Response response = tokenFor(callerToken, scopes);
        response.then().statusCode(200);
        return response.jsonPath().getString("access_token");
    }

    static Response reportRejected(String callerToken, String accessToken) {
        return given().auth().oauth2(callerToken)
                .contentType(ContentType.JSON)
                .body(Map.of("access_token", accessToken))
                .post("/v1/tokens/rejected");
    }
}
