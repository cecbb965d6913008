package org.socsecgateway.simulators.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.socsecgateway.simulators.TestAssertion;
import org.socsecgateway.simulators.TestHttp;
import org.socsecgateway.simulators.pki.LocalPki;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BcssOAuthSimulatorTest {

    static final String CLIENT = "partenaire:federal:service:bus:client:confidential";
    static final String CONSULT = "scope:cbss:api:demo:consult";
    static final String UPDATE = "scope:cbss:api:demo:update";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static LocalPki pki;
    static BcssOAuthSimulator sim;
    static HttpClient http;
    static PrivateKey signingKey;
    static PrivateKey otherKey;

    @BeforeAll
    static void start() throws Exception {
        pki = LocalPki.create(dir);
        signingKey = TestAssertion.readKey(pki.signingKey());
        otherKey = TestAssertion.readKey(pki.serverKey());
        sim = BcssOAuthSimulator.builder().tls(pki.serverCert(), pki.serverKey()).build().start()
                .registerClient(CLIENT, pki.signingCert(), Set.of(CONSULT, UPDATE), Set.of(CONSULT));
        http = TestHttp.trusting(pki.serverTruststoreP12(), pki.password());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.stats().reset();
    }

    @Test
    void publishesMetadataWithIssuerAndTokenEndpointOnDifferentHosts() throws Exception {
        HttpResponse<String> response = TestHttp.get(http, sim.metadataUrl());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode metadata = JSON.readTree(response.body());
        assertThat(metadata.get("issuer").asText()).isEqualTo(sim.issuer()).isEqualTo("https://localhost:" + sim.port() + "/oauth");
        assertThat(metadata.get("token_endpoint").asText()).isEqualTo(sim.tokenEndpoint())
                .isEqualTo("https://127.0.0.1:" + sim.port() + "/REST/oauth/v5/token");
        assertThat(URI.create(sim.issuer()).getHost()).isNotEqualTo(URI.create(sim.tokenEndpoint()).getHost());
        assertThat(metadata.get("token_endpoint_auth_methods_supported")).containsExactly(JSON.valueToTree("private_key_jwt"));
        assertThat(metadata.get("token_endpoint_auth_signing_alg_values_supported").toString()).isEqualTo("[\"RS256\"]");
        assertThat(metadata.get("grant_types_supported").toString()).isEqualTo("[\"client_credentials\"]");
        assertThat(metadata.get("scopes_supported").toString()).contains(CONSULT, UPDATE);
        assertThat(metadata.get("response_types_supported").isEmpty()).isTrue();
    }

    @Test
    void issuesATokenForAValidAssertionAndRemembersIt() throws Exception {
        HttpResponse<String> response = requestToken(assertion().sign(), Map.of("scope", CONSULT + " " + UPDATE));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode token = JSON.readTree(response.body());
        assertThat(token.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(token.get("expires_in").asLong()).isEqualTo(600);
        assertThat(token.get("scope").asText()).isEqualTo(CONSULT + " " + UPDATE);
        String accessToken = token.get("access_token").asText();
        assertThat(accessToken).matches("[A-Za-z0-9_-]{43}"); // 32 random bytes, base64url

        IssuedToken issued = sim.introspect(accessToken).orElseThrow();
        assertThat(issued.clientId()).isEqualTo(CLIENT);
        assertThat(issued.scopes()).containsExactlyInAnyOrder(CONSULT, UPDATE);
        assertThat(issued.expiresAt()).isBetween(Instant.now().plusSeconds(590), Instant.now().plusSeconds(601));
        assertThat(sim.stats().issued()).isEqualTo(1);

        sim.revoke(accessToken);
        assertThat(sim.introspect(accessToken)).isEmpty();
        assertThat(sim.introspect("never-issued")).isEmpty();
    }

    @Test
    void grantsTheDefaultScopesWhenNoneIsRequested() throws Exception {
        HttpResponse<String> response = requestToken(assertion().sign(), Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("scope").asText()).isEqualTo(CONSULT);
    }

    @Test
    void acceptsTheIssuerAsAudienceAndAnAudienceArray() throws Exception {
        assertThat(requestToken(assertion().aud(sim.issuer()).sign(), Map.of()).statusCode()).isEqualTo(200);
        assertThat(requestToken(assertion().aud("https://elsewhere", sim.tokenEndpoint()).sign(), Map.of()).statusCode())
                .isEqualTo(200);
        assertThat(requestToken(assertion().sign(), Map.of("client_id", CLIENT)).statusCode()).isEqualTo(200);
    }

    @Test
    void rejectsAnotherContentType() throws Exception {
        HttpResponse<String> response = TestHttp.send(http, sim.tokenEndpoint(), "POST", "application/json",
                "{\"grant_type\":\"client_credentials\"}");

        assertError(response, 400, "invalid_request");
    }

    @Test
    void rejectsAnotherGrantType() throws Exception {
        assertError(requestToken(assertion().sign(), Map.of("grant_type", "password")), 400, "unsupported_grant_type");
    }

    @Test
    void rejectsAnotherAssertionTypeOrNoAssertion() throws Exception {
        assertError(requestToken(assertion().sign(), Map.of("client_assertion_type", "urn:example:saml")),
                400, "invalid_request");
        assertError(requestToken("", Map.of()), 400, "invalid_request");
    }

    @Test
    void rejectsUnsignedAndHmacAssertions() throws Exception {
        assertInvalidClient(assertion().alg(AlgorithmIdentifiers.NONE).sign(), "RS256");
        assertInvalidClient(assertion().alg(AlgorithmIdentifiers.HMAC_SHA256).sign(), "RS256");
    }

    @Test
    void rejectsAnIssuerThatIsNotTheSubject() throws Exception {
        assertInvalidClient(assertion().sub("someone-else").sign(), "iss and sub");
    }

    @Test
    void rejectsAnUnknownClient() throws Exception {
        assertInvalidClient(assertion().iss("unknown").sub("unknown").sign(), "not registered");
    }

    @Test
    void rejectsAClientIdParameterThatDiffersFromTheIssuer() throws Exception {
        assertError(requestToken(assertion().sign(), Map.of("client_id", "other")), 401, "invalid_client");
    }

    @Test
    void rejectsASignatureByAnotherKey() throws Exception {
        assertInvalidClient(assertion().key(otherKey).sign(), "signature");
    }

    @Test
    void rejectsAThumbprintOfAnotherCertificate() throws Exception {
        assertInvalidClient(assertion().x5tS256("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").sign(), "x5t#S256");
    }

    @Test
    void rejectsAnotherAudience() throws Exception {
        assertInvalidClient(assertion().aud("https://127.0.0.1:1/REST/oauth/v5/token").sign(), "aud");
    }

    @Test
    void rejectsAnExpiredAssertion() throws Exception {
        assertInvalidClient(assertion().issuedAt(Instant.now().minusSeconds(120)).lifetime(Duration.ofSeconds(60)).sign(),
                "expired");
    }

    @Test
    void rejectsAnAssertionIssuedInTheFuture() throws Exception {
        assertInvalidClient(assertion().issuedAt(Instant.now().plusSeconds(120)).sign(), "future");
    }

    @Test
    void rejectsAnAssertionLivingLongerThanFiveMinutes() throws Exception {
        assertInvalidClient(assertion().lifetime(Duration.ofSeconds(301)).sign(), "lifetime");
    }

    @Test
    void rejectsAReplayedOrMissingJti() throws Exception {
        TestAssertion assertion = assertion().jti("once");
        assertThat(requestToken(assertion.sign(), Map.of()).statusCode()).isEqualTo(200);

        assertInvalidClient(assertion.sign(), "jti");
        assertInvalidClient(assertion().jti(null).sign(), "jti");
    }

    @Test
    void rejectsAScopeThatIsNotRegistered() throws Exception {
        assertError(requestToken(assertion().sign(), Map.of("scope", CONSULT + " scope:cbss:api:other:consult")),
                400, "invalid_scope");
    }

    @Test
    void countsEveryRequestAndErrorCode() throws Exception {
        requestToken(assertion().sign(), Map.of());
        requestToken(assertion().sign(), Map.of("grant_type", "password"));
        requestToken(assertion().key(otherKey).sign(), Map.of());

        assertThat(sim.stats().tokenRequests()).isEqualTo(3);
        assertThat(sim.stats().issued()).isEqualTo(1);
        assertThat(sim.stats().rejected()).isEqualTo(2);
        assertThat(sim.stats().errors()).containsExactly("unsupported_grant_type", "invalid_client");
    }

    @Test
    void reRegisteringAClientReplacesItsCertificate() throws Exception {
        String rotating = "partenaire:federal:service:rotating";
        sim.registerClient(rotating, pki.signingCert(), Set.of(CONSULT), Set.of(CONSULT));
        assertThat(requestToken(assertion(rotating).sign(), Map.of()).statusCode()).isEqualTo(200);

        sim.registerClient(rotating, pki.serverCert(), Set.of(CONSULT), Set.of(CONSULT)); // the new key pair

        assertInvalidClient(assertion(rotating).sign(), "signature");
        assertThat(requestToken(assertion(rotating).key(otherKey).sign(), Map.of()).statusCode()).isEqualTo(200);
    }

    private static TestAssertion assertion() {
        return assertion(CLIENT);
    }

    private static TestAssertion assertion(String clientId) {
        return TestAssertion.of(clientId, sim.tokenEndpoint(), signingKey);
    }

    /** A well-formed token request, with some parameters replaced or added. */
    static HttpResponse<String> requestToken(String assertion, Map<String, String> overrides) throws Exception {
        return requestToken(http, sim.tokenEndpoint(), assertion, overrides);
    }

    static HttpResponse<String> requestToken(HttpClient client, String tokenEndpoint, String assertion,
                                             Map<String, String> overrides) throws Exception {
        Map<String, String> form = new HashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", assertion);
        form.putAll(overrides);
        return TestHttp.postForm(client, tokenEndpoint, form);
    }

    private static void assertInvalidClient(String assertion, String descriptionPart) throws Exception {
        HttpResponse<String> response = requestToken(assertion, Map.of());
        assertError(response, 401, "invalid_client");
        assertThat(JSON.readTree(response.body()).get("error_description").asText()).contains(descriptionPart);
    }

    static void assertError(HttpResponse<String> response, int status, String error) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("error_description").asText()).isNotBlank();
    }
}
