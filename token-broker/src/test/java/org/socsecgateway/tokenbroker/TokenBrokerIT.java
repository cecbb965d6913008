package org.socsecgateway.tokenbroker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;
import static org.socsecgateway.tokenbroker.SimulatedBcss.scope;

import org.junit.jupiter.api.Test;
import org.socsecgateway.tokenbroker.SimulatedBcss.InjectBcss;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The packaged jar, started as in production, against the simulated Smals server. */
@QuarkusIntegrationTest
@WithTestResource(SimulatedBcss.class)
class TokenBrokerIT {

    @InjectBcss
    Bcss bcss;

    @Test
    void thePackagedBrokerIssuesTokensTheAuthorizationServerAccepts() {
        String token = TokenRequests.accessToken(bcss.callerToken(PROXY), scope(1));

        assertThat(bcss.oauth().introspect(token)).isPresent();
    }

    @Test
    void thePackagedBrokerRefusesAnonymousCallers() {
        given().contentType("application/json").body("{\"scopes\":[]}").post("/v1/tokens")
                .then().statusCode(401).body("type", equalTo("urn:problem-type:belgif:noAccessToken"));
    }
}
