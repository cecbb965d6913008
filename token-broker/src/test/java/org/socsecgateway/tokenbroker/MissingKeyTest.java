package org.socsecgateway.tokenbroker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;
import static org.socsecgateway.tokenbroker.SimulatedBcss.scope;
import static org.socsecgateway.tokenbroker.TokenRequests.tokenFor;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.socsecgateway.tokenbroker.SimulatedBcss.InjectBcss;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The broker starts before its Secret is mounted, then the key arrives, then its certificate expires. */
@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "keys", value = "absent"))
class MissingKeyTest {

    @InjectBcss
    Bcss bcss;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL readiness;

    @Test
    void readinessFollowsTheKeyMaterial() throws Exception {
        int upstreamBefore = bcss.upstreamTokenRequests();
        given().get(readiness).then().statusCode(503).body(containsString("jwt-signing-key"));
        tokenFor(bcss.callerToken(PROXY), scope(33)).then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("type", equalTo("urn:problem-type:belgif:serviceUnavailable"));
        assertThat(bcss.upstreamTokenRequests()).isEqualTo(upstreamBefore);

        bcss.installKey(bcss.pki().signingKey(), bcss.pki().signingCert());
        awaitReadiness(200);
        // Well after the 1 s key reload and the 1 s backoff, the same caller is served.
        awaitToken(scope(34));

        // Valid for a few seconds from when its key exists (an already expired one would be refused: the last
        // good key would stay in use). Once in use and expired, there is no usable key: not ready.
        TestIdentities.Identity shortLived = TestIdentities.generateValidFor(bcss.dir().resolve("short"), "short", Duration.ofSeconds(8));
        bcss.installKey(shortLived.key(), shortLived.cert());
        awaitReadinessBody("CN=socsec-gateway test short", true); // in use
        awaitReadiness(503);
        given().get(readiness).then().body(containsString("certificate expired"));
    }

    private void awaitReadinessBody(String text, boolean present) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(15);
        while (given().get(readiness).asString().contains(text) != present && Instant.now().isBefore(end)) {
            Thread.sleep(200);
        }
        assertThat(given().get(readiness).asString().contains(text)).isEqualTo(present);
    }

    private void awaitReadiness(int status) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(15);
        while (given().get(readiness).statusCode() != status && Instant.now().isBefore(end)) {
            Thread.sleep(200);
        }
        given().get(readiness).then().statusCode(status);
    }

    private void awaitToken(String scope) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(10);
        while (tokenFor(bcss.callerToken(PROXY), scope).statusCode() != 200 && Instant.now().isBefore(end)) {
            Thread.sleep(200);
        }
        tokenFor(bcss.callerToken(PROXY), scope).then().statusCode(200);
    }
}
