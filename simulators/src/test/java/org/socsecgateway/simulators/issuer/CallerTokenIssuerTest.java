package org.socsecgateway.simulators.issuer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.socsecgateway.simulators.TestHttp;
import org.socsecgateway.simulators.pki.LocalPki;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallerTokenIssuerTest {

    static final String CALLER = "system:serviceaccount:socsec:bcss-proxy";
    static final String AUDIENCE = "token-broker";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static CallerTokenIssuer issuer;
    static HttpClient http;

    @BeforeAll
    static void start() {
        LocalPki pki = LocalPki.create(dir);
        issuer = CallerTokenIssuer.builder().tls(pki.serverCert(), pki.serverKey()).build().start();
        http = TestHttp.trusting(pki.serverTruststoreP12(), pki.password());
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @Test
    void publishesTheDiscoveryDocumentOverHttps() throws Exception {
        HttpResponse<String> response = TestHttp.get(http, issuer.issuer() + "/.well-known/openid-configuration");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode discovery = JSON.readTree(response.body());
        assertThat(discovery.get("issuer").asText()).isEqualTo(issuer.issuer()).isEqualTo("https://localhost:" + issuer.port());
        assertThat(discovery.get("jwks_uri").asText()).isEqualTo(issuer.jwksUrl()).endsWith("/openid/v1/jwks");
        assertThat(discovery.get("id_token_signing_alg_values_supported").toString()).isEqualTo("[\"RS256\"]");
    }

    @Test
    void mintsTokensThatVerifyAgainstItsJwks() throws Exception {
        String token = issuer.mint(CALLER, AUDIENCE, Duration.ofMinutes(5));

        JwtClaims claims = consumer().processToClaims(token);

        assertThat(claims.getIssuer()).isEqualTo(issuer.issuer());
        assertThat(claims.getSubject()).isEqualTo(CALLER);
        assertThat(claims.getClaimValue("aud")).isEqualTo(AUDIENCE); // a single string, not an array
        assertThat(claims.getJwtId()).isNotBlank();
        assertThat(claims.getNotBefore()).isNotNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> kubernetes = (Map<String, Object>) claims.getClaimValue("kubernetes.io");
        assertThat(kubernetes).containsEntry("namespace", "socsec");
        assertThat(kubernetes.get("serviceaccount")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("name", "bcss-proxy");
    }

    @Test
    void omitsTheKubernetesClaimForOtherSubjects() throws Exception {
        JwtClaims claims = consumer().processToClaims(issuer.mint("someone", AUDIENCE, Duration.ofMinutes(5)));

        assertThat(claims.hasClaim("kubernetes.io")).isFalse();
    }

    @Test
    void expiredTokensDoNotVerify() throws Exception {
        Instant issuedAt = Instant.now().minus(Duration.ofHours(2));
        String token = issuer.mint(CALLER, AUDIENCE, issuedAt, issuedAt.plus(Duration.ofHours(1)));

        assertThatThrownBy(() -> consumer().processToClaims(token)).isInstanceOfSatisfying(InvalidJwtException.class,
                e -> assertThat(e.hasExpired()).isTrue());
    }

    @Test
    void tokensOfAnOfflineIssuerDoNotVerify() throws Exception {
        CallerTokenIssuer offline = CallerTokenIssuer.offline(issuer.issuer()); // same issuer name, other key
        String token = offline.mint(CALLER, AUDIENCE, Duration.ofMinutes(5));

        assertThat(offline.issuer()).isEqualTo(issuer.issuer());
        assertThatThrownBy(() -> consumer().processToClaims(token)).isInstanceOf(InvalidJwtException.class);
        assertThatThrownBy(offline::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRotatedKeySignsNewTokensWhileTheOldOneStaysPublished() throws Exception {
        LocalPki pki = LocalPki.create(dir.resolve("rotation"));
        try (CallerTokenIssuer rotating = CallerTokenIssuer.builder().tls(pki.serverCert(), pki.serverKey()).build().start()) {
            String oldKid = rotating.keyId();
            String before = rotating.mint(CALLER, AUDIENCE, Duration.ofMinutes(5));

            String newKid = rotating.rotateKey();
            String after = rotating.mint(CALLER, AUDIENCE, Duration.ofMinutes(5));

            assertThat(newKid).isNotEqualTo(oldKid).isEqualTo(rotating.keyId());
            HttpClient trusting = TestHttp.trusting(pki.serverTruststoreP12(), pki.password());
            JsonWebKeySet keys = new JsonWebKeySet(TestHttp.get(trusting, rotating.jwksUrl()).body());
            assertThat(keys.getJsonWebKeys()).extracting(k -> k.getKeyId()).containsExactly(newKid, oldKid);
            JwtConsumer consumer = new JwtConsumerBuilder().setExpectedIssuer(rotating.issuer()).setExpectedAudience(AUDIENCE)
                    .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys.getJsonWebKeys())).build();
            assertThat(consumer.process(after).getJoseObjects().get(0).getKeyIdHeaderValue()).isEqualTo(newKid);
            assertThat(consumer.process(before).getJoseObjects().get(0).getKeyIdHeaderValue()).isEqualTo(oldKid);
        }
    }

    /** Verifies as our services will: keys from the JWKS fetched over HTTPS, expected issuer and audience. */
    private static JwtConsumer consumer() throws Exception {
        HttpResponse<String> jwks = TestHttp.get(http, issuer.jwksUrl());
        assertThat(jwks.statusCode()).isEqualTo(200);
        JsonWebKeySet keys = new JsonWebKeySet(jwks.body());
        assertThat(keys.getJsonWebKeys()).singleElement().satisfies(key -> {
            assertThat(key.getKeyId()).isNotBlank();
            assertThat(jwks.body()).doesNotContain("\"d\""); // public part only
        });
        return new JwtConsumerBuilder()
                .setExpectedIssuer(issuer.issuer())
                .setExpectedAudience(AUDIENCE)
                .setRequireExpirationTime()
                .setRequireSubject()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys.getJsonWebKeys()))
                .build();
    }
}
