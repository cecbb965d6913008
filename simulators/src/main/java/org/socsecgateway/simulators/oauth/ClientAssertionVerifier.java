package org.socsecgateway.simulators.oauth;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.JoseException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Authenticates a client by its RFC 7523 {@code private_key_jwt} assertion, applying the rules of the BCSS
 * OAuth v5 server as far as they are known (docs/partners.md "Getting an access token (Smals OAuth v5)"). Every failure
 * is {@code invalid_client}; the description says which rule failed but never repeats the assertion.
 */
final class ClientAssertionVerifier {

    static final Duration CLOCK_SKEW = Duration.ofSeconds(5);
    static final Duration MAX_IAT_IN_FUTURE = Duration.ofSeconds(30);
    static final Duration MAX_ASSERTION_LIFETIME = Duration.ofSeconds(300);

    private static final AlgorithmConstraints RS256_ONLY =
            new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256);

    private final Map<String, RegisteredClient> clients;
    private final Supplier<Set<String>> acceptedAudiences;
    private final JtiReplayCache jtis = new JtiReplayCache(CLOCK_SKEW);

    ClientAssertionVerifier(Map<String, RegisteredClient> clients, Supplier<Set<String>> acceptedAudiences) {
        this.clients = clients;
        this.acceptedAudiences = acceptedAudiences;
    }

    /**
     * @param clientIdParam the optional {@code client_id} form parameter
     * @return the authenticated client
     */
    RegisteredClient verify(String assertion, String clientIdParam, Instant now) throws OAuthError {
        JsonWebSignature jws = parse(assertion);
        String alg = jws.getAlgorithmHeaderValue();
        if (!AlgorithmIdentifiers.RSA_USING_SHA256.equals(alg)) {
            // "none" and HMAC would let anyone forge an assertion
            throw OAuthError.invalidClient("client_assertion must be signed with RS256, not " + alg);
        }
        JwtClaims claims = claims(jws);
        try {
            RegisteredClient client = identify(claims, clientIdParam);
            checkSignature(jws, client);
            checkAudience(claims);
            checkTimes(claims, now);
            checkJti(claims, client, now);
            return client;
        } catch (MalformedClaimException e) {
            throw OAuthError.invalidClient("client_assertion has a claim of the wrong type: " + e.getMessage());
        }
    }

    private static JsonWebSignature parse(String assertion) throws OAuthError {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setCompactSerialization(assertion);
            return jws;
        } catch (JoseException | RuntimeException e) {
            throw OAuthError.invalidClient("client_assertion is not a compact JWS");
        }
    }

    private static JwtClaims claims(JsonWebSignature jws) throws OAuthError {
        try {
            return JwtClaims.parse(jws.getUnverifiedPayload());
        } catch (InvalidJwtException e) {
            throw OAuthError.invalidClient("client_assertion payload is not a JSON claims set");
        }
    }

    private RegisteredClient identify(JwtClaims claims, String clientIdParam) throws MalformedClaimException, OAuthError {
        String iss = claims.getIssuer();
        if (iss == null || iss.isBlank()) {
            throw OAuthError.invalidClient("client_assertion has no iss claim");
        }
        if (!iss.equals(claims.getSubject())) {
            throw OAuthError.invalidClient("client_assertion iss and sub must both be the client id");
        }
        RegisteredClient client = clients.get(iss);
        if (client == null) {
            throw OAuthError.invalidClient("client " + iss + " is not registered");
        }
        if (clientIdParam != null && !clientIdParam.equals(iss)) {
            throw OAuthError.invalidClient("client_id does not match the client_assertion iss");
        }
        return client;
    }

    private static void checkSignature(JsonWebSignature jws, RegisteredClient client) throws OAuthError {
        String thumbprint = jws.getX509CertSha256ThumbprintHeaderValue();
        if (thumbprint != null && !thumbprint.equals(client.sha256Thumbprint())) {
            throw OAuthError.invalidClient("client_assertion x5t#S256 does not name the registered certificate");
        }
        boolean valid;
        try {
            jws.setAlgorithmConstraints(RS256_ONLY);
            jws.setKey(client.publicKey());
            valid = jws.verifySignature();
        } catch (JoseException e) {
            valid = false;
        }
        if (!valid) {
            throw OAuthError.invalidClient("client_assertion signature does not verify with the registered certificate");
        }
    }

    private void checkAudience(JwtClaims claims) throws MalformedClaimException, OAuthError {
        List<String> audiences = claims.getAudience(); // a string or an array
        if (audiences == null || audiences.isEmpty()) {
            throw OAuthError.invalidClient("client_assertion has no aud claim");
        }
        Set<String> accepted = acceptedAudiences.get();
        if (audiences.stream().noneMatch(accepted::contains)) {
            throw OAuthError.invalidClient("client_assertion aud does not name this token endpoint");
        }
    }

    private static void checkTimes(JwtClaims claims, Instant now) throws MalformedClaimException, OAuthError {
        Instant exp = instant(claims.getExpirationTime());
        if (exp == null) {
            throw OAuthError.invalidClient("client_assertion has no exp claim");
        }
        if (!exp.isAfter(now.minus(CLOCK_SKEW))) {
            throw OAuthError.invalidClient("client_assertion has expired");
        }
        Instant iat = instant(claims.getIssuedAt());
        if (iat == null) {
            throw OAuthError.invalidClient("client_assertion has no iat claim");
        }
        if (iat.isAfter(now.plus(MAX_IAT_IN_FUTURE))) {
            throw OAuthError.invalidClient("client_assertion iat is in the future");
        }
        if (!exp.isAfter(iat)) {
            throw OAuthError.invalidClient("client_assertion exp must be after iat");
        }
        if (Duration.between(iat, exp).compareTo(MAX_ASSERTION_LIFETIME) > 0) {
            throw OAuthError.invalidClient("client_assertion lifetime (exp - iat) exceeds "
                    + MAX_ASSERTION_LIFETIME.toSeconds() + " s");
        }
        Instant nbf = instant(claims.getNotBefore());
        if (nbf != null && nbf.isAfter(now.plus(CLOCK_SKEW))) {
            throw OAuthError.invalidClient("client_assertion is not valid yet (nbf)");
        }
    }

    private void checkJti(JwtClaims claims, RegisteredClient client, Instant now) throws MalformedClaimException, OAuthError {
        String jti = claims.getJwtId();
        if (jti == null || jti.isBlank()) {
            throw OAuthError.invalidClient("client_assertion has no jti claim");
        }
        Instant exp = instant(claims.getExpirationTime());
        if (!jtis.firstUse(client.clientId(), jti, exp, now)) {
            throw OAuthError.invalidClient("client_assertion jti has already been used");
        }
    }

    private static Instant instant(NumericDate date) {
        return date == null ? null : Instant.ofEpochSecond(date.getValue());
    }
}
