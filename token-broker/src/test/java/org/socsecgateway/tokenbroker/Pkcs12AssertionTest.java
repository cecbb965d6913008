package org.socsecgateway.tokenbroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.tokenbroker.SimulatedBcss.CLIENT_ID;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;
import static org.socsecgateway.tokenbroker.SimulatedBcss.scope;

import java.net.URI;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;

import jakarta.inject.Inject;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.socsecgateway.tokenbroker.SimulatedBcss.InjectBcss;
import org.socsecgateway.tokenbroker.service.ClientAssertionFactory;
import org.socsecgateway.tokenbroker.service.SigningIdentity;
import org.socsecgateway.tokenbroker.service.SigningKeyHolder;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The signing key from a PKCS#12 key store, with the optional kid and x5t#S256 headers. */
@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "keys", value = "p12"))
class Pkcs12AssertionTest {

    @InjectBcss
    Bcss bcss;

    @Inject
    ClientAssertionFactory assertions;

    @Inject
    SigningKeyHolder keys;

    @Test
    void theSimulatorAcceptsAnAssertionSignedWithThePkcs12KeyAndCarryingX5tS256() {
        // The simulator refuses an x5t#S256 that does not match the registered certificate.
        String token = TokenRequests.accessToken(bcss.callerToken(PROXY), scope(1));

        assertThat(bcss.oauth().introspect(token)).isPresent();
    }

    @Test
    void theAssertionHasTheHeadersAndClaimsSmalsExpects() throws Exception {
        SigningIdentity identity = keys.usable().orElseThrow();
        URI endpoint = URI.create(bcss.oauth().tokenEndpoint());

        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(assertions.create(identity, endpoint));
        jws.setKey(identity.certificate().getPublicKey());
        assertThat(jws.verifySignature()).isTrue();
        JwtClaims claims = JwtClaims.parse(jws.getPayload());

        byte[] thumbprint = MessageDigest.getInstance("SHA-256").digest(identity.certificate().getEncoded());
        assertThat(jws.getAlgorithmHeaderValue()).isEqualTo("RS256");
        assertThat(jws.getHeader("typ")).isEqualTo("JWT");
        assertThat(jws.getKeyIdHeaderValue()).isEqualTo("socsec-test-kid");
        assertThat(jws.getHeader("x5t#S256")).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(thumbprint));
        assertThat(claims.getIssuer()).isEqualTo(CLIENT_ID);
        assertThat(claims.getSubject()).isEqualTo(CLIENT_ID);
        assertThat(claims.getAudience()).containsExactly(endpoint.toString());
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isEqualTo(300);
        assertThat(UUID.fromString(claims.getJwtId())).isNotNull();
    }
}
