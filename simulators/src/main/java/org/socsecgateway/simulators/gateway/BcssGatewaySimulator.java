package org.socsecgateway.simulators.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.socsecgateway.simulators.internal.LocalHttpServer;
import org.socsecgateway.simulators.internal.ServerBuilder;
import org.socsecgateway.simulators.internal.ServerOptions;
import org.socsecgateway.simulators.oauth.BcssOAuthSimulator;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A fake of the BCSS/KSZ REST gateway ({@code https://b2b.ksz-bcss.fgov.be:4543/{api}}): it checks the bearer
 * access tokens issued by a {@link BcssOAuthSimulator} as the real gateway does, answers errors as belgif
 * problems ({@code application/problem+json}, {@code urn:problem-type:belgif:*}), sets the {@code BelGov-Trace-Id}
 * and {@code BelGov-Related-Trace-Id} headers, serves {@code /{api}/health} and a "demo" API, and injects faults.
 * <p>
 * The demo API (scopes {@code scope:cbss:api:demo:consult} to read, {@code scope:cbss:api:demo:update} to write):
 * <ul>
 *   <li>{@code GET /demo/v1/organizations/{id}} (read): a made-up organisation; id {@code 0} → 404</li>
 *   <li>{@code POST /demo/v1/persons/search} (write) {@code {"ssin":"..."}}: validates the SSIN (11 digits,
 *       modulo 97) → 200 person or 400 {@code badRequest}; bodies over 1 MiB → 413</li>
 *   <li>{@code GET /demo/v1/documents/{bytes}} (read): streams that many bytes (at most 200 MiB) of
 *       {@code 0123456789abcdef} repeated, with back-pressure</li>
 *   <li>{@code POST /demo/v1/uploads} (write): reads the body as a stream → {@code {"bytes","sha256"}}</li>
 * </ul>
 * {@code GET /{api}/health} answers {@code {"status":"UP"}} for "demo" and every {@link Builder#api(String) api}.
 */
public final class BcssGatewaySimulator implements AutoCloseable {

    /** Largest JSON request body accepted (1 MiB); larger ones are answered 413 {@code payloadTooLarge}. */
    public static final long MAX_JSON_BODY_BYTES = 1024 * 1024;

    private final String host;
    private final LocalHttpServer server;
    private final GatewayFaults faults = new GatewayFaults();
    private final GatewayStats stats = new GatewayStats();
    private final GatewayHandler handler;

    private BcssGatewaySimulator(Builder builder, HttpServerOptions options) {
        this.host = builder.host;
        Map<String, List<Operation>> apis = new LinkedHashMap<>();
        builder.apis.forEach(api -> apis.put(api, List.of()));
        apis.put(DemoApi.NAME, DemoApi.operations(faults));
        this.handler = new GatewayHandler(apis, builder.oauth, builder.healthRequiresToken, faults, stats,
                Clock.systemUTC());
        this.server = new LocalHttpServer("BCSS REST gateway simulator", options, this::routes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts listening; blocks until the port is bound. */
    public BcssGatewaySimulator start() {
        server.start();
        return this;
    }

    /** The bound port (the random one when built with port 0). */
    public int port() {
        return server.port();
    }

    /** {@code https://{host}:{port}/{api}}, e.g. {@code https://localhost:8445/demo}. */
    public String baseUrl(String api) {
        Objects.requireNonNull(api, "api");
        return ServerOptions.httpsOrigin(host, port()) + "/" + api;
    }

    public GatewayFaults faults() {
        return faults;
    }

    public GatewayStats stats() {
        return stats;
    }

    /** Stops the server and its Vertx instance. */
    @Override
    public void close() {
        server.close();
    }

    private Router routes(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route().handler(handler);
        router.route().failureHandler(ctx -> {
            System.getLogger(BcssGatewaySimulator.class.getName())
                    .log(System.Logger.Level.WARNING, "gateway simulator failure", ctx.failure());
            Problem.internalServerError().send(ctx);
        });
        return router;
    }

    /** Settings of a {@link BcssGatewaySimulator}; {@link #tls} and {@link #authorizationServer} are required. */
    public static final class Builder extends ServerBuilder<Builder> {

        private String host = "localhost";
        private BcssOAuthSimulator oauth;
        private boolean healthRequiresToken;
        private final Set<String> apis = new LinkedHashSet<>();

        private Builder() {
        }

        @Override
        public Builder requireClientCertificate(Path trustedCertsPem) {
            return super.requireClientCertificate(trustedCertsPem);
        }

        /** Host name used in {@link BcssGatewaySimulator#baseUrl(String)}; default {@code localhost} (must match the certificate). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The authorization server whose issued tokens (and only those) the gateway accepts. */
        public Builder authorizationServer(BcssOAuthSimulator oauth) {
            this.oauth = Objects.requireNonNull(oauth, "oauth");
            return this;
        }

        /** Whether {@code /{api}/health} needs a valid access token (any scope); default false. */
        public Builder healthRequiresToken(boolean healthRequiresToken) {
            this.healthRequiresToken = healthRequiresToken;
            return this;
        }

        /**
         * Publishes one more API: {@code /{name}/health} answers, everything else under it is 404. "demo" is
         * always published, with its operations.
         */
        public Builder api(String name) {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("not a usable API name: " + name);
            }
            apis.add(name);
            return this;
        }

        public BcssGatewaySimulator build() {
            HttpServerOptions options = serverOptions();
            if (oauth == null) {
                throw new IllegalStateException("authorizationServer(oauth) is required");
            }
            return new BcssGatewaySimulator(this, options);
        }
    }
}
