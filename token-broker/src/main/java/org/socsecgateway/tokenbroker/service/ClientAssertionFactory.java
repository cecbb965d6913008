package org.socsecgateway.tokenbroker.service;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.socsecgateway.tokenbroker.config.BrokerConfig;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtSignatureBuilder;

/**
 * Builds the RFC 7523 client assertion Smals expects: RS256, {@code typ=JWT}, {@code iss = sub = client-id},
 * {@code aud} = the token endpoint (or the configured audience), a fresh {@code jti}, {@code iat} and
 * {@code exp}; optionally {@code kid} and {@code x5t#S256}. The result is a credential: it is never logged.
 */
@ApplicationScoped
public class ClientAssertionFactory {

    private static final Duration MAX_LIFETIME = Duration.ofSeconds(300);
    private static final Duration MIN_LIFETIME = Duration.ofSeconds(10);

    private final BrokerConfig.Assertion config;
    private final String clientId;
    private final Clock clock;

    ClientAssertionFactory(BrokerConfig config, Clock clock) {
        this.config = config.assertion();
        this.clientId = config.client().id();
        this.clock = clock;
        Duration lifetime = this.config.lifetime();
        if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("broker.assertion.lifetime must be between 10s and 300s, was " + lifetime);
        }
    }

    public String create(SigningIdentity identity, URI tokenEndpoint) {
        Instant now = clock.instant();
        JwtSignatureBuilder jws = Jwt.claims()
                .issuer(clientId)
                .subject(clientId)
                .audience(config.audience().orElse(tokenEndpoint.toString()))
                .claim("jti", UUID.randomUUID().toString())
                .issuedAt(now.getEpochSecond())
                .expiresAt(now.plus(config.lifetime()).getEpochSecond())
                .jws()
                .algorithm(SignatureAlgorithm.RS256)
                .type("JWT");
        config.keyId().ifPresent(jws::keyId);
        if (config.includeX5tS256()) {
            jws.thumbprintS256(identity.certificate());
        }
        return jws.sign(identity.privateKey());
    }
}
