package org.socsecgateway.simulators.issuer;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;
import org.socsecgateway.simulators.internal.Json;
import org.socsecgateway.simulators.internal.LocalHttpServer;
import org.socsecgateway.simulators.internal.ServerBuilder;
import org.socsecgateway.simulators.internal.ServerOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the Kubernetes ServiceAccount token issuer: mints RS256 caller tokens for our internal APIs and
 * publishes the OpenID discovery document and JWKS under the paths Kubernetes uses, over HTTPS.
 */
public final class CallerTokenIssuer implements AutoCloseable {

    static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
    static final String JWKS_PATH = "/openid/v1/jwks";
    private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    private volatile RsaJsonWebKey signingKey;
    // keys replaced by rotateKey(): still published, as Kubernetes does while tokens signed with them are valid
    private final List<RsaJsonWebKey> previousKeys = new CopyOnWriteArrayList<>();
    private final String issuerHost;
    private final LocalHttpServer server; // null for an offline issuer
    private final String offlineIssuer;   // null for a served issuer

    private CallerTokenIssuer(Builder builder, HttpServerOptions options) {
        this.signingKey = newSigningKey();
        this.issuerHost = builder.issuerHost;
        this.offlineIssuer = null;
        this.server = new LocalHttpServer("caller token issuer", options, this::routes);
    }

    private CallerTokenIssuer(String offlineIssuer) {
        this.signingKey = newSigningKey();
        this.issuerHost = null;
        this.offlineIssuer = offlineIssuer;
        this.server = null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * An issuer that is never served, with its own fresh key: it mints well-formed tokens that nobody trusts
     * (tests of wrong issuer or unknown key).
     */
    public static CallerTokenIssuer offline(String issuerUrl) {
        return new CallerTokenIssuer(Objects.requireNonNull(issuerUrl, "issuerUrl"));
    }

    /** Starts listening; blocks until the port is bound. */
    public CallerTokenIssuer start() {
        served().start();
        return this;
    }

    public int port() {
        return served().port();
    }

    /** {@code https://localhost:{port}}, or the URL given to {@link #offline(String)}. */
    public String issuer() {
        return offlineIssuer != null ? offlineIssuer : ServerOptions.httpsOrigin(issuerHost, port());
    }

    /** {@code {issuer}/openid/v1/jwks}, the Kubernetes path. */
    public String jwksUrl() {
        return issuer() + JWKS_PATH;
    }

    /**
     * Rotates the signing key as a cluster's ServiceAccount issuer does: tokens minted from now on are signed with a
     * new key (new {@code kid}); the JWKS publishes the new key first and keeps the old ones, so tokens already out
     * stay valid.
     *
     * @return the new key's {@code kid}
     */
    public String rotateKey() {
        RsaJsonWebKey old = signingKey;
        RsaJsonWebKey fresh = newSigningKey();
        previousKeys.add(0, old);
        signingKey = fresh;
        return fresh.getKeyId();
    }

    /** The {@code kid} of the key tokens are signed with now. */
    public String keyId() {
        return signingKey.getKeyId();
    }

    /** A token valid from now for {@code ttl}. */
    public String mint(String subject, String audience, Duration ttl) {
        Instant now = Instant.now();
        return mint(subject, audience, now, now.plus(ttl));
    }

    /**
     * A token with explicit times (expired tokens for tests). For a subject
     * {@code system:serviceaccount:<namespace>:<name>} it carries the {@code kubernetes.io} claim as Kubernetes does.
     */
    public String mint(String subject, String audience, Instant issuedAt, Instant expiresAt) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(audience, "audience");
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer());
        claims.setSubject(subject);
        claims.setAudience(audience); // one audience is serialised as a string
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        kubernetesClaim(subject).ifPresent(value -> claims.setClaim("kubernetes.io", value));

        RsaJsonWebKey key = signingKey;
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setKey(key.getPrivateKey());
        jws.setPayload(claims.toJson());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a caller token", e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    private Router routes(Vertx vertx) {
        Router router = Router.router(vertx);
        router.get(DISCOVERY_PATH).handler(ctx -> Json.send(ctx, 200, discovery()));
        router.get(JWKS_PATH).handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(publicJwks())); // read per request: rotateKey() changes it
        return router;
    }

    private Map<String, Object> discovery() {
        Map<String, Object> discovery = new LinkedHashMap<>();
        discovery.put("issuer", issuer());
        discovery.put("jwks_uri", jwksUrl());
        discovery.put("response_types_supported", List.of("id_token"));
        discovery.put("subject_types_supported", List.of("public"));
        discovery.put("id_token_signing_alg_values_supported", List.of("RS256"));
        return discovery;
    }

    private String publicJwks() {
        List<JsonWebKey> keys = new ArrayList<>();
        keys.add(signingKey);
        keys.addAll(previousKeys);
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    private static Optional<Map<String, Object>> kubernetesClaim(String subject) {
        if (!subject.startsWith(SERVICE_ACCOUNT_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = subject.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> serviceAccount = new LinkedHashMap<>();
        serviceAccount.put("name", parts[1]);
        // stable per subject, like a real ServiceAccount uid that lives as long as the account
        serviceAccount.put("uid", UUID.nameUUIDFromBytes(subject.getBytes(StandardCharsets.UTF_8)).toString());
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("namespace", parts[0]);
        claim.put("serviceaccount", serviceAccount);
        return Optional.of(claim);
    }

    private LocalHttpServer served() {
        if (server == null) {
            throw new IllegalStateException("an offline issuer is never served");
        }
        return server;
    }

    private static RsaJsonWebKey newSigningKey() {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(key.calculateBase64urlEncodedThumbprint("SHA-256")); // what Kubernetes derives its kid from
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            key.setUse("sig");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    /** Settings of a {@link CallerTokenIssuer}; only {@link #tls(Path, Path)} is required. */
    public static final class Builder extends ServerBuilder<Builder> {

        private String issuerHost = "localhost";

        private Builder() {
        }

        /** Host name in {@link #issuer()}; default {@code localhost}. */
        public Builder issuerHost(String issuerHost) {
            this.issuerHost = Objects.requireNonNull(issuerHost, "issuerHost");
            return this;
        }

        public CallerTokenIssuer build() {
            return new CallerTokenIssuer(this, serverOptions());
        }
    }
}
