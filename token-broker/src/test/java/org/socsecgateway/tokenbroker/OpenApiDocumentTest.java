package org.socsecgateway.tokenbroker;

import static io.restassured.RestAssured.given;

import java.net.URL;

import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.OpenApiDocuments;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The OpenAPI document served on the management port is the one committed in docs/openapi (common's OpenApiDocuments). */
@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OpenApiDocumentTest {

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @Test
    void theServedDocumentIsTheCommittedOne() {
        String served = given().get(openapi).then().statusCode(200).extract().asString();

        OpenApiDocuments.assertCommitted("token-broker", "OpenApiDocumentTest", served);
    }
}
