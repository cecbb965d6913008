package org.socsecgateway.simulators.oauth;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.socsecgateway.simulators.internal.Json;
import org.socsecgateway.simulators.internal.LocalHttpServer;
import org.socsecgateway.simulators.internal.ServerBuilder;
import org.socsecgateway.simulators.internal.ServerOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * A fake of the Smals/BCSS OAuth v5 authorization server: RFC 8414 metadata and a token endpoint for the client
 * credentials grant with {@code private_key_jwt} client authentication. It performs the real checks on the
 * client assertion (signature against the registered certificate, audience, lifetime, replay) so that a broken
 * client fails here as it would against the partner, and it can inject faults.
 * <p>
 * As in production, the issuer and the token endpoint are published under different host names
 * ({@code localhost} and {@code 127.0.0.1} by default) served by the same HTTPS server.
 */
public final class BcssOAuthSimulator implements AutoCloseable {

    static final String METADATA_PATH = "/.well-known/oauth-authorization-server";
    private static final String ISSUER_PATH = "/oauth";
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final System.Logger LOG = System.getLogger(BcssOAuthSimulator.class.getName());

    private final String issuerHost;
    private final String tokenHost;
    private final LocalHttpServer server;
    private final Map<String, RegisteredClient> clients = new ConcurrentHashMap<>();
    private final Set<String> extraAudiences = new CopyOnWriteArraySet<>();
    private final IssuedTokens tokens = new IssuedTokens();
    private final Clock clock = Clock.systemUTC();
    private final Stats stats = new Stats();
    private final Faults faults;

    private BcssOAuthSimulator(Builder builder, HttpServerOptions options) {
        this.issuerHost = builder.issuerHost;
        this.tokenHost = builder.tokenHost;
        this.faults = new Faults(builder.tokenLifetime, this::switchConnections);
        this.server = new LocalHttpServer("BCSS OAuth simulator", options, this::routes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts listening; blocks until the port is bound. */
    public BcssOAuthSimulator start() {
        server.start();
        return this;
    }

    /** The bound port (the random one when built with port 0). */
    public int port() {
        return server.port();
    }

    /** {@code https://{issuerHost}:{port}/oauth} */
    public String issuer() {
        return ServerOptions.httpsOrigin(issuerHost, port()) + ISSUER_PATH;
    }

    /** {@code https://{issuerHost}:{port}/.well-known/oauth-authorization-server} */
    public String metadataUrl() {
        return ServerOptions.httpsOrigin(issuerHost, port()) + METADATA_PATH;
    }

    /** {@code https://{tokenHost}:{port}/REST/oauth/v5/token} */
    public String tokenEndpoint() {
        return ServerOptions.httpsOrigin(tokenHost, port()) + TokenEndpoint.PATH;
    }

    /**
     * Registers a client, or replaces its certificate and scopes (key rotation); effective immediately.
     *
     * @param certificatePem the PEM certificate whose key signs the client's assertions
     * @param defaultScopes  granted when a request names no scope; must be among {@code scopes}
     */
    public BcssOAuthSimulator registerClient(String clientId, Path certificatePem, Set<String> scopes,
                                             Set<String> defaultScopes) {
        return registerClient(clientId, readCertificate(certificatePem), scopes, defaultScopes);
    }

    public BcssOAuthSimulator registerClient(String clientId, X509Certificate certificate, Set<String> scopes,
                                             Set<String> defaultScopes) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(certificate, "certificate");
        clients.put(clientId, new RegisteredClient(clientId, certificate, scopes, defaultScopes));
        LOG.log(System.Logger.Level.INFO, "registered client {0} with scopes {1}", clientId, scopes);
        return this;
    }

    /** Adds accepted assertion audiences; {@link #tokenEndpoint()} and {@link #issuer()} are always accepted. */
    public BcssOAuthSimulator acceptAudiences(String... extra) {
        extraAudiences.addAll(List.of(extra));
        return this;
    }

    public Faults faults() {
        return faults;
    }

    public Stats stats() {
        return stats;
    }

    /** The token as issued, if it is still valid (not expired, not revoked). */
    public Optional<IssuedToken> introspect(String accessToken) {
        return tokens.active(accessToken, clock.instant());
    }

    /**
     * The token as issued, whether still valid, expired or revoked (check {@link IssuedToken#expiresAt()} and
     * {@link IssuedToken#revoked()}); empty for a value never issued here. Expired tokens stay known for at least
     * 10 minutes after their expiry, so that an "expired" answer can be told from an "invalid" one.
     */
    public Optional<IssuedToken> find(String accessToken) {
        return tokens.find(accessToken);
    }

    public void revoke(String accessToken) {
        tokens.revoke(accessToken);
    }

    public void revokeAll() {
        tokens.revokeAll();
    }

    /**
     * Ends the lifetime of every token issued so far, now: the gateway simulator then answers
     * {@code expiredAccessToken} although the holder still believes the token valid.
     */
    public void expireAll() {
        tokens.expireAll(Instant.now());
    }

    /** Stops the server and its Vertx instance. */
    @Override
    public void close() {
        server.close();
    }

    private Router routes(Vertx vertx) {
        Router router = Router.router(vertx);
        router.get(METADATA_PATH).handler(ctx -> Json.send(ctx, 200, metadata()));
        router.post(TokenEndpoint.PATH)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(new TokenEndpoint(new ClientAssertionVerifier(clients, this::acceptedAudiences),
                        tokens, faults, stats, clock));
        return router;
    }

    private Map<String, Object> metadata() {
        Set<String> scopes = new TreeSet<>();
        clients.values().forEach(client -> scopes.addAll(client.scopes()));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer());
        metadata.put("token_endpoint", tokenEndpoint());
        metadata.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        metadata.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS256"));
        metadata.put("grant_types_supported", List.of("client_credentials"));
        metadata.put("scopes_supported", scopes);
        metadata.put("response_types_supported", List.of());
        return metadata;
    }

    private Set<String> acceptedAudiences() {
        Set<String> accepted = new LinkedHashSet<>(List.of(tokenEndpoint(), issuer()));
        accepted.addAll(extraAudiences);
        return accepted;
    }

    private void switchConnections(boolean refuse) {
        if (refuse) {
            server.stopListening();
        } else {
            server.listenAgain();
        }
    }

    private static X509Certificate readCertificate(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read certificate " + pem, e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM X.509 certificate: " + pem, e);
        }
    }

    /**
     * Settings of a {@link BcssOAuthSimulator}; only {@link #tls(Path, Path)} is required. The bind host must
     * be reachable under both the issuer and the token host names.
     */
    public static final class Builder extends ServerBuilder<Builder> {

        private String issuerHost = "localhost";
        private String tokenHost = "127.0.0.1";
        private Duration tokenLifetime = Duration.ofSeconds(600);

        private Builder() {
        }

        @Override
        public Builder requireClientCertificate(Path trustedCertsPem) {
            return super.requireClientCertificate(trustedCertsPem);
        }

        /** Host name used in {@link #issuer()} and {@link #metadataUrl()}; default {@code localhost}. */
        public Builder issuerHost(String issuerHost) {
            this.issuerHost = Objects.requireNonNull(issuerHost, "issuerHost");
            return this;
        }

        /** Host name used in {@link #tokenEndpoint()}; default {@code 127.0.0.1}. */
        public Builder tokenHost(String tokenHost) {
            this.tokenHost = Objects.requireNonNull(tokenHost, "tokenHost");
            return this;
        }

        /** Lifetime of issued access tokens, default 600 s; changeable later through {@link Faults#tokenLifetime}. */
        public Builder tokenLifetime(Duration tokenLifetime) {
            this.tokenLifetime = Faults.requirePositive(tokenLifetime, "token lifetime");
            return this;
        }

        public BcssOAuthSimulator build() {
            return new BcssOAuthSimulator(this, serverOptions());
        }
    }
}
