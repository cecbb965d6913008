package org.socsecgateway.tokenbroker.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

import org.socsecgateway.common.bcss.BcssEnvironment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Everything that differs between deployments of the token broker. Environments differ only by these values
 * (Helm values files), never by code. Durations use the Quarkus syntax ({@code 300s}, {@code PT5M}).
 */
@ConfigMapping(prefix = "broker")
public interface BrokerConfig {

    /** BCSS environment whose endpoints are used by default: test, acpt or prod. */
    BcssEnvironment environment();

    /** Network channel to Smals: extranet (default, preferred by BCSS) or internet. */
    @WithDefault("extranet")
    BcssEnvironment.Channel channel();

    Client client();

    Endpoints endpoints();

    Assertion assertion();

    SigningKey key();

    Upstream upstream();

    Cache cache();

    Token token();

    /** Internal callers allowed to ask for tokens, by bearer-token subject. Nobody is allowed by default. */
    List<Caller> callers();

    interface Client {
        /** The OAuth client-id registered at Smals, e.g. {@code partenaire:federal:service:bus:client:confidential}. */
        @NotBlank
        String id();

        /** The scopes registered for this client at BCSS; a request for any other scope is refused as unknown. */
        @NotEmpty
        Set<String> scopes();
    }

    interface Endpoints {
        /** Token endpoint to use when discovery is off or fails; defaults to the environment's for the channel. */
        Optional<URI> token();

        /** RFC 8414 metadata document; defaults to the environment's. */
        Optional<URI> metadata();

        /** Whether to take the token endpoint from the RFC 8414 metadata (falling back to {@link #token()}). */
        @WithDefault("true")
        boolean discovery();

        /** How long discovered metadata is reused before it is fetched again. */
        @WithDefault("1h")
        Duration discoveryTtl();
    }

    interface Assertion {
        /** {@code aud} of the client assertion; defaults to the token endpoint in use (some clients use the issuer). */
        Optional<String> audience();

        /** Lifetime of a client assertion ({@code exp - iat}); Smals accepts at most 300 s. */
        @WithDefault("300s")
        Duration lifetime();

        /** Optional {@code kid} header. */
        Optional<String> keyId();

        /** Whether to add the {@code x5t#S256} header (SHA-256 thumbprint of the signing certificate). */
        @WithDefault("false")
        boolean includeX5tS256();
    }

    /**
     * The JWT-signing key and its certificate (registered at BCSS for this environment): either a PKCS#12 key
     * store or a PEM private key (PKCS#8 or PKCS#1) with a PEM certificate. Files may be absent at start-up;
     * readiness is down until they can be read.
     */
    interface SigningKey {
        /** PKCS#12 key store holding the signing key and its certificate. */
        Optional<Path> p12Path();

        /** Password of the PKCS#12 key store. */
        Optional<String> p12Password();

        /** Alias inside the key store; the first key entry when absent. */
        Optional<String> p12Alias();

        /** PEM private key (unencrypted PKCS#8 or PKCS#1 RSA). */
        Optional<Path> pemKey();

        /** PEM certificate (chain) matching {@link #pemKey()}; the first certificate is the signing one. */
        Optional<Path> pemCert();

        /** How often the files are checked for a change (Kubernetes Secret rotation). */
        @WithDefault("30s")
        Duration reloadInterval();
    }

    interface Upstream {
        /** Name of a Quarkus TLS configuration ({@code quarkus.tls.<name>.*}) for the OAuth server: trust store and, when mTLS is required, key store. */
        @WithDefault("bcss-oauth")
        String tlsConfigurationName();

        @WithDefault("5s")
        Duration connectTimeout();

        @WithDefault("10s")
        Duration readTimeout();

        /** Wait before the first new attempt after an upstream failure; doubles up to {@link #maxBackoff()}. */
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("30s")
        Duration maxBackoff();

        /**
         * Upper bound for a {@code Retry-After} of the authorization server (429, 408, 503): no new attempt is made
         * before it has passed, but never wait longer than this.
         */
        @WithDefault("60s")
        Duration maxRetryAfter();
    }

    /**
     * What to make of the {@code expires_in} of a token response (RFC 6749 section 5.1: RECOMMENDED, seconds).
     * Lifetimes above {@link #maxLifetime()} are cut to it; below {@link #minLifetime()} the answer is unusable.
     */
    interface Token {
        /** Lifetime assumed when the answer has no {@code expires_in} (or {@code null}). */
        @WithDefault("300s")
        Duration defaultLifetime();

        /** A longer announced lifetime is cut to this: the token is refreshed as if it lived this long. */
        @WithDefault("1h")
        Duration maxLifetime();

        /**
         * A shorter announced lifetime makes the answer unusable (502): such a token could hardly be handed out
         * before it expires. Must be longer than {@code broker.cache.min-remaining}.
         */
        @WithDefault("30s")
        Duration minLifetime();
    }

    interface Cache {
        /** A token is refreshed in the background this long before it expires (at most half its lifetime). */
        @WithDefault("60s")
        Duration refreshAhead();

        /** A cached token with less validity left than this is not handed out. */
        @WithDefault("10s")
        Duration minRemaining();

        /** How often due background refreshes are started. */
        @WithDefault("5s")
        String sweepInterval();

        /** Tokens for a scope set nobody asked for during this long are no longer refreshed ahead. */
        @WithDefault("15m")
        Duration idleAfter();

        /**
         * At most one token per scope set is dropped on a report ({@code POST /v1/tokens/rejected}) within this
         * interval: the first report replaces the token at once, later ones within the interval are ignored. Any
         * caller allowed the scopes may report, so this bounds the token requests reports can cause to one per scope
         * set per interval, whoever reports and however often (Smals throttles a client). {@code 0s} = no limit.
         */
        @WithDefault("10s")
        Duration reportMinInterval();
    }

    interface Caller {
        /** Bearer-token subject, e.g. {@code system:serviceaccount:socsec:bcss-proxy}. */
        @NotBlank
        String subject();

        /** Scopes this caller may obtain tokens for. */
        Optional<Set<String>> scopes();

        /** Whether this caller may ask for the client's default scopes (an empty scope list). */
        @WithName("default-scopes")
        @WithDefault("false")
        boolean defaultScopes();
    }
}
