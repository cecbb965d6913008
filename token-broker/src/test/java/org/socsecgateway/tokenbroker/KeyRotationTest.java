package org.socsecgateway.tokenbroker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.socsecgateway.tokenbroker.SimulatedBcss.CLIENT_ID;
import static org.socsecgateway.tokenbroker.SimulatedBcss.DEFAULT_SCOPE;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;
import static org.socsecgateway.tokenbroker.SimulatedBcss.registeredScopes;
import static org.socsecgateway.tokenbroker.SimulatedBcss.scope;
import static org.socsecgateway.tokenbroker.TokenRequests.tokenFor;

import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.tokenbroker.SimulatedBcss.InjectBcss;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The signing key changes at BCSS and in the mounted Secret; the broker follows without a restart. */
@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.MATCHING_RESOURCES)
class KeyRotationTest {

    @InjectBcss
    Bcss bcss;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL readiness;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @AfterEach
    void restoreOriginalKey() throws Exception {
        bcss.oauth().registerClient(CLIENT_ID, bcss.pki().signingCert(), registeredScopes(), Set.of(DEFAULT_SCOPE));
        bcss.installKey(bcss.pki().signingKey(), bcss.pki().signingCert());
        awaitServedSerial(serialOf(bcss.pki().signingCert()));
        awaitReadiness(body -> !body.contains("filesProblem"));
    }

    @Test
    void aBrokenNewSecretKeepsTheLastGoodKeyInUseWhileReadinessReportsIt() throws Exception {
        String serial = serialOf(bcss.pki().signingCert());
        TestIdentities.Identity other = TestIdentities.generate(bcss.dir().resolve("broken"), "broken", Duration.ofDays(30));
        bcss.installKey(other.key(), bcss.pki().signingCert()); // a key that does not belong to the certificate

        String body = awaitReadiness(text -> text.contains("filesProblem"));

        assertThat(body).contains("does not belong").contains("servingPreviousKey");
        given().get(readiness).then().statusCode(200); // still serving: not taken out of service for a bad Secret
        assertThat(given().get(metrics).then().extract().asString()).contains("broker_signing_key_files_usable 0.0");
        tokenFor(bcss.callerToken(PROXY), scope(29)).then().statusCode(200); // signed with the last good key
        awaitServedSerial(serial);
    }

    private String awaitReadiness(java.util.function.Predicate<String> condition) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(10);
        String body = given().get(readiness).asString();
        while (!condition.test(body) && Instant.now().isBefore(end)) {
            Thread.sleep(200);
            body = given().get(readiness).asString();
        }
        assertThat(condition.test(body)).as("readiness: %s", body).isTrue();
        return body;
    }

    @Test
    void anUpstreamRejectionIs502WithTheUpstreamErrorAndNoAssertion() throws Exception {
        TestIdentities.Identity other = TestIdentities.generate(bcss.dir().resolve("other"), "other", Duration.ofDays(30));
        bcss.oauth().registerClient(CLIENT_ID, other.cert(), registeredScopes(), Set.of(DEFAULT_SCOPE));

        Response response = tokenFor(bcss.callerToken(PROXY), scope(30));

        response.then().statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("urn:problem-type:belgif:badGateway"))
                .body("upstreamError", equalTo("invalid_client"));
        assertThat(response.asString()).doesNotContain("eyJ"); // no JWS (assertion) anywhere in the answer
    }

    @Test
    void aRotatedKeyIsPickedUpWithoutRestart() throws Exception {
        TestIdentities.Identity rotated = TestIdentities.generate(bcss.dir().resolve("rotated"), "rotated", Duration.ofDays(30));
        // BCSS registers the new certificate first: the old key no longer works.
        bcss.oauth().registerClient(CLIENT_ID, rotated.cert(), registeredScopes(), Set.of(DEFAULT_SCOPE));
        tokenFor(bcss.callerToken(PROXY), scope(31)).then().statusCode(502);

        bcss.installKey(rotated.key(), rotated.cert());
        awaitServedSerial(serialOf(rotated.cert()));

        tokenFor(bcss.callerToken(PROXY), scope(32)).then().statusCode(200);
    }

    private void awaitServedSerial(String serial) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(10);
        String served = null;
        while (Instant.now().isBefore(end)) {
            served = given().auth().oauth2(bcss.callerToken(PROXY)).get("/v1/certificates")
                    .then().statusCode(200).extract().jsonPath().getString("[0].serialNumber");
            if (serial.equals(served)) {
                return;
            }
            Thread.sleep(200);
        }
        assertThat(served).isEqualTo(serial);
    }

    private static String serialOf(java.nio.file.Path cert) throws Exception {
        try (InputStream in = Files.newInputStream(cert)) {
            X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return x509.getSerialNumber().toString(16);
        }
    }
}
