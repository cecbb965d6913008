package org.socsecgateway.simulators.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.socsecgateway.simulators.codelist.DfdgCodeListSimulator;
import org.socsecgateway.simulators.gateway.BcssGatewaySimulator;
import org.socsecgateway.simulators.internal.Json;
import org.socsecgateway.simulators.internal.LocalHttpServer;
import org.socsecgateway.simulators.internal.ServerOptions;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.oauth.BcssOAuthSimulator;
import org.socsecgateway.simulators.oauth.Stats;
import org.socsecgateway.simulators.wsb.LoadSpec;
import org.socsecgateway.simulators.wsb.StarWsbSender;
import org.socsecgateway.simulators.wsrm.DfdgWsrmSimulator;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plain-HTTP control API of a running local stack (caller tokens for curl and benchmarks, fault injection,
 * counters, STAR WSB loads, the DFDG fakes' queue and code lists). Bound to loopback only: it hands out trusted
 * tokens to anyone who can reach it.
 */
public final class AdminServer implements AutoCloseable {

    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final long DEFAULT_CALLER_TOKEN_TTL_SECONDS = 3600;
    private static final int DEFAULT_WSB_COUNT = 100;
    private static final int DEFAULT_WSB_CONCURRENCY = 4;

    private final BcssOAuthSimulator oauth;
    private final CallerTokenIssuer callers;
    private final BcssGatewaySimulator gateway; // null: no /admin/gateway/* resources
    private final StarWsbSender.Builder wsbSender; // null: no /admin/wsb/* resources
    private final WsrmAdmin wsrm; // null: no /admin/wsrm/* resources
    private final CodeListAdmin codeLists; // null: no /admin/codelists/* resources
    private final ExecutorService wsbLoads; // runs the loads, which may take long, off the admin server's threads
    private final LocalHttpServer server;

    /**
     * Without a REST-gateway simulator.
     *
     * @param port 0 picks a free port
     */
    public AdminServer(BcssOAuthSimulator oauth, CallerTokenIssuer callers, int port) {
        this(oauth, callers, null, port);
    }

    /**
     * @param gateway the REST-gateway simulator controlled by {@code /admin/gateway/*}; may be null
     * @param port    0 picks a free port
     */
    public AdminServer(BcssOAuthSimulator oauth, CallerTokenIssuer callers, BcssGatewaySimulator gateway, int port) {
        this(oauth, callers, gateway, null, port);
    }

    /**
     * @param gateway   the REST-gateway simulator controlled by {@code /admin/gateway/*}; may be null
     * @param wsbSender settings of the STAR WSB sender behind {@code POST /admin/wsb/send} (client identity and
     *                  trusted server certificates; each call copies it and sets its own target); may be null
     * @param port      0 picks a free port
     */
    public AdminServer(BcssOAuthSimulator oauth, CallerTokenIssuer callers, BcssGatewaySimulator gateway,
                       StarWsbSender.Builder wsbSender, int port) {
        this(oauth, callers, gateway, wsbSender, null, port);
    }

    /**
     * @param gateway   the REST-gateway simulator controlled by {@code /admin/gateway/*}; may be null
     * @param wsbSender settings of the STAR WSB sender behind {@code POST /admin/wsb/send}; may be null
     * @param wsrm      the fake DFDG WSRM service controlled by {@code /admin/wsrm/*}; may be null
     * @param port      0 picks a free port
     */
    public AdminServer(BcssOAuthSimulator oauth, CallerTokenIssuer callers, BcssGatewaySimulator gateway,
                       StarWsbSender.Builder wsbSender, DfdgWsrmSimulator wsrm, int port) {
        this(oauth, callers, gateway, wsbSender, wsrm, null, port);
    }

    /**
     * @param gateway   the REST-gateway simulator controlled by {@code /admin/gateway/*}; may be null
     * @param wsbSender settings of the STAR WSB sender behind {@code POST /admin/wsb/send}; may be null
     * @param wsrm      the fake DFDG WSRM service controlled by {@code /admin/wsrm/*}; may be null
     * @param codeLists the fake DFDG CodeListService controlled by {@code /admin/codelists/*}; may be null
     * @param port      0 picks a free port
     */
    public AdminServer(BcssOAuthSimulator oauth, CallerTokenIssuer callers, BcssGatewaySimulator gateway,
                       StarWsbSender.Builder wsbSender, DfdgWsrmSimulator wsrm, DfdgCodeListSimulator codeLists,
                       int port) {
        this.wsrm = wsrm == null ? null : new WsrmAdmin(wsrm);
        this.codeLists = codeLists == null ? null : new CodeListAdmin(codeLists);
        this.oauth = Objects.requireNonNull(oauth, "oauth");
        this.callers = Objects.requireNonNull(callers, "callers");
        this.gateway = gateway;
        this.wsbSender = wsbSender == null ? null : wsbSender.copy();
        this.wsbLoads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "admin-wsb-load");
            thread.setDaemon(true);
            return thread;
        });
        this.server = new LocalHttpServer("simulator admin API", ServerOptions.plain(ServerOptions.LOOPBACK, port),
                this::routes);
    }

    public AdminServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:{port}} */
    public String url() {
        return "http://" + ServerOptions.LOOPBACK + ":" + port();
    }

    @Override
    public void close() {
        server.close();
        wsbLoads.shutdownNow();
    }

    private Router routes(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        // blocking handlers where the work may wait: RSA signing, and closing/reopening the OAuth server's socket
        router.get("/admin/health").handler(ctx -> Json.send(ctx, 200, Map.of("status", "UP")));
        router.post("/admin/caller-tokens").blockingHandler(this::mintCallerToken);
        router.get("/admin/oauth/faults").handler(this::sendFaults);
        router.put("/admin/oauth/faults").blockingHandler(this::putFaults);
        router.delete("/admin/oauth/faults").blockingHandler(ctx -> {
            oauth.faults().clear();
            sendFaults(ctx);
        });
        router.get("/admin/oauth/stats").handler(this::sendStats);
        router.delete("/admin/oauth/stats").handler(ctx -> {
            oauth.stats().reset();
            sendStats(ctx);
        });
        router.post("/admin/oauth/revoke-all").handler(ctx -> {
            oauth.revokeAll();
            ctx.response().setStatusCode(204).end();
        });
        if (gateway != null) {
            router.get("/admin/gateway/faults").handler(this::sendGatewayFaults);
            router.put("/admin/gateway/faults").handler(this::putGatewayFaults);
            router.delete("/admin/gateway/faults").handler(ctx -> {
                gateway.faults().clear();
                sendGatewayFaults(ctx);
            });
            router.get("/admin/gateway/stats").handler(this::sendGatewayStats);
            router.delete("/admin/gateway/stats").handler(ctx -> {
                gateway.stats().reset();
                sendGatewayStats(ctx);
            });
        }
        if (wsbSender != null) {
            router.post("/admin/wsb/send").handler(this::sendWsbLoad);
        }
        if (wsrm != null) {
            wsrm.routes(router);
        }
        if (codeLists != null) {
            codeLists.routes(router);
        }
        router.route().last().handler(ctx ->
                Json.sendProblem(ctx, 404, "Not Found", "no admin resource " + ctx.request().method() + " " + ctx.request().path()));
        return router;
    }

    private void mintCallerToken(RoutingContext ctx) {
        CallerTokenRequest request = readBody(ctx, CallerTokenRequest.class);
        if (request == null) {
            return;
        }
        if (isBlank(request.subject()) || isBlank(request.audience())) {
            Json.sendProblem(ctx, 400, "Bad Request", "subject and audience are required");
            return;
        }
        long ttl = request.ttlSeconds() == null ? DEFAULT_CALLER_TOKEN_TTL_SECONDS : request.ttlSeconds();
        if (ttl <= 0) {
            Json.sendProblem(ctx, 400, "Bad Request", "ttlSeconds must be positive");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", callers.mint(request.subject(), request.audience(), Duration.ofSeconds(ttl)));
        body.put("token_type", "Bearer");
        body.put("expires_in", ttl);
        Json.send(ctx, 200, body);
    }

    private void putFaults(RoutingContext ctx) {
        FaultsDocument update = readBody(ctx, FaultsDocument.class);
        if (update == null) {
            return;
        }
        try {
            update.applyTo(oauth.faults());
        } catch (IllegalArgumentException e) {
            Json.sendProblem(ctx, 400, "Bad Request", e.getMessage());
            return;
        }
        sendFaults(ctx);
    }

    private void sendFaults(RoutingContext ctx) {
        Json.send(ctx, 200, FaultsDocument.of(oauth.faults()));
    }

    private void putGatewayFaults(RoutingContext ctx) {
        GatewayFaultsDocument update = readBody(ctx, GatewayFaultsDocument.class);
        if (update == null) {
            return;
        }
        try {
            update.applyTo(gateway.faults());
        } catch (IllegalArgumentException e) {
            Json.sendProblem(ctx, 400, "Bad Request", e.getMessage());
            return;
        }
        sendGatewayFaults(ctx);
    }

    private void sendGatewayFaults(RoutingContext ctx) {
        Json.send(ctx, 200, GatewayFaultsDocument.of(gateway.faults()));
    }

    private void sendGatewayStats(RoutingContext ctx) {
        Json.send(ctx, 200, Map.of("requests", gateway.stats().requests()));
    }

    /** Runs a load on a thread of its own and answers its summary when every message has an outcome. */
    private void sendWsbLoad(RoutingContext ctx) {
        WsbSendRequest request = readBody(ctx, WsbSendRequest.class);
        if (request == null) {
            return;
        }
        StarWsbSender.Builder settings;
        LoadSpec spec;
        try {
            if (isBlank(request.targetUrl())) {
                throw new IllegalArgumentException("targetUrl is required");
            }
            settings = wsbSender.copy().target(request.targetUrl());
            if (request.retryBaseDelayMs() != null) {
                settings.retryBaseDelay(Duration.ofMillis(request.retryBaseDelayMs()));
            }
            if (request.maxAttempts() != null) {
                settings.maxAttempts(request.maxAttempts());
            }
            if (request.retryClientErrors() != null) {
                settings.retryClientErrors(request.retryClientErrors());
            }
            spec = new LoadSpec(
                    request.relativePath() == null ? "" : request.relativePath(),
                    request.count() == null ? DEFAULT_WSB_COUNT : request.count(),
                    request.concurrency() == null ? DEFAULT_WSB_CONCURRENCY : request.concurrency(),
                    request.duplicateRate() == null ? 0 : request.duplicateRate(),
                    request.seed() == null ? 1 : request.seed());
        } catch (IllegalArgumentException e) {
            Json.sendProblem(ctx, 400, "Bad Request", e.getMessage());
            return;
        }
        Context context = ctx.vertx().getOrCreateContext();
        CompletableFuture.supplyAsync(() -> {
            try (StarWsbSender sender = settings.build()) {
                return sender.load(spec);
            }
        }, wsbLoads).whenComplete((report, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                Throwable cause = failure.getCause() == null ? failure : failure.getCause();
                Json.sendProblem(ctx, 500, "Internal Server Error", "the load failed: " + cause.getMessage());
                return;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("targetUrl", request.targetUrl());
            body.put("relativePath", spec.relativePath());
            body.putAll(report.summary());
            Json.send(ctx, 200, body);
        }));
    }

    private void sendStats(RoutingContext ctx) {
        Stats stats = oauth.stats();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tokenRequests", stats.tokenRequests());
        body.put("issued", stats.issued());
        body.put("rejected", stats.rejected());
        body.put("errors", stats.errors());
        Json.send(ctx, 200, body);
    }

    /** @return the parsed body, or null after answering 400 */
    static <T> T readBody(RoutingContext ctx, Class<T> type) {
        String body = ctx.body().asString();
        if (isBlank(body)) {
            Json.sendProblem(ctx, 400, "Bad Request", "a JSON body is required");
            return null;
        }
        try {
            T value = Json.read(body, type);
            if (value == null) {
                // the JSON literal null: answered here, since callers take null for "answered"
                Json.sendProblem(ctx, 400, "Bad Request", "a JSON object is required");
            }
            return value;
        } catch (JsonProcessingException e) {
            // the parser's own message, without the echoed location details
            Json.sendProblem(ctx, 400, "Bad Request", "invalid JSON: " + e.getOriginalMessage());
            return null;
        } catch (IOException e) {
            Json.sendProblem(ctx, 400, "Bad Request", "unreadable body");
            return null;
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Body of {@code POST /admin/wsb/send}; everything but targetUrl is optional. */
    record WsbSendRequest(String targetUrl, String relativePath, Integer count, Integer concurrency,
                          Double duplicateRate, Long seed, Long retryBaseDelayMs, Integer maxAttempts,
                          Boolean retryClientErrors) {
    }

    /** Body of {@code POST /admin/caller-tokens}. */
    record CallerTokenRequest(String subject, String audience, Long ttlSeconds) {
    }
}
