package org.socsecgateway.simulators.gateway;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.socsecgateway.simulators.oauth.BcssOAuthSimulator;
import org.socsecgateway.simulators.oauth.IssuedToken;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;

/**
 * Every request of the gateway simulator: trace headers and recording, then per {@code /{api}/...} path the
 * health resource, or faults, routing (404/405), the access token check and the operation.
 */
final class GatewayHandler implements Handler<RoutingContext> {

    static final String TRACE_ID = "BelGov-Trace-Id";
    static final String RELATED_TRACE_ID = "BelGov-Related-Trace-Id";
    private static final String HEALTH = "/health";
    private static final System.Logger LOG = System.getLogger(GatewayHandler.class.getName());

    private final Map<String, List<Operation>> apis;
    private final BcssOAuthSimulator oauth;
    private final boolean healthRequiresToken;
    private final GatewayFaults faults;
    private final GatewayStats stats;
    private final Clock clock;

    GatewayHandler(Map<String, List<Operation>> apis, BcssOAuthSimulator oauth, boolean healthRequiresToken,
                   GatewayFaults faults, GatewayStats stats, Clock clock) {
        this.apis = Map.copyOf(apis);
        this.oauth = oauth;
        this.healthRequiresToken = healthRequiresToken;
        this.faults = faults;
        this.stats = stats;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause(); // the body stays unread until an operation wants it (faults and checks come first)
        stats.recordArrival();
        Recorder recorder = new Recorder(ctx);
        ctx.addEndHandler(result -> recorder.record(
                result.succeeded() || ctx.response().headWritten() ? ctx.response().getStatusCode() : 0));

        HttpServerResponse response = ctx.response();
        response.putHeader(TRACE_ID, UUID.randomUUID().toString());
        String related = request.getHeader(TRACE_ID);
        if (related != null) {
            response.putHeader(RELATED_TRACE_ID, related);
        }

        String path = request.path();
        int slash = path.indexOf('/', 1);
        String api = slash < 0 ? path.substring(1) : path.substring(1, slash);
        String rest = slash < 0 ? "" : path.substring(slash);
        List<Operation> operations = apis.get(api);
        if (operations == null) {
            Problem.resourceNotFound("No API is published at this path").send(ctx);
        } else if (rest.equals(HEALTH)) {
            health(ctx);
        } else {
            long latencyMs = faults.latency().toMillis();
            if (latencyMs > 0) {
                ctx.vertx().setTimer(latencyMs, id -> operation(ctx, recorder, operations, rest));
            } else {
                operation(ctx, recorder, operations, rest);
            }
        }
    }

    private void health(RoutingContext ctx) {
        if (!ctx.request().method().name().equals("GET")) {
            Problem.methodNotAllowed(List.of("GET")).send(ctx);
            return;
        }
        if (healthRequiresToken) {
            Optional<Problem> rejected = checkToken(ctx, null);
            if (rejected.isPresent()) {
                rejected.get().send(ctx);
                return;
            }
        }
        if (faults.failingAlways()) {
            Answers.json(ctx, 503, Map.of("status", "DOWN"));
        } else {
            Answers.json(ctx, 200, Map.of("status", "UP"));
        }
    }

    private void operation(RoutingContext ctx, Recorder recorder, List<Operation> operations, String rest) {
        if (ctx.response().closed()) {
            return; // the client gave up during the injected latency
        }
        if (faults.takeDrop()) {
            LOG.log(System.Logger.Level.DEBUG, "dropping the connection of {0} {1}", ctx.request().method(),
                    ctx.request().path());
            recorder.record(0);
            ctx.request().connection().close();
            return;
        }
        Optional<Duration> retryAfter = faults.takeTooManyRequests();
        if (retryAfter.isPresent()) {
            Problem.tooManyRequests(retryAfter.get()).send(ctx);
            return;
        }
        OptionalInt injected = faults.takeFailure();
        if (injected.isPresent()) {
            Problem.injected(injected.getAsInt()).send(ctx);
            return;
        }

        String method = ctx.request().method().name();
        Set<String> allowed = new TreeSet<>();
        for (Operation operation : operations) {
            Matcher match = operation.path().matcher(rest);
            if (!match.matches()) {
                continue;
            }
            if (operation.method().equals(method)) {
                Optional<Problem> rejected = checkToken(ctx, operation.scope());
                if (rejected.isPresent()) {
                    rejected.get().send(ctx);
                } else {
                    operation.handler().handle(ctx, match);
                }
                return;
            }
            allowed.add(operation.method());
        }
        if (allowed.isEmpty()) {
            Problem.resourceNotFound("The requested resource cannot be found").send(ctx);
        } else {
            Problem.methodNotAllowed(allowed).send(ctx);
        }
    }

    /**
     * The checks of the real gateway, in its order: a bearer token is present, was issued by the authorization
     * server and not revoked, has not expired, and carries the operation's scope ({@code null}: any token).
     */
    private Optional<Problem> checkToken(RoutingContext ctx, String requiredScope) {
        String token = bearerToken(ctx.request());
        if (token == null) {
            return Optional.of(Problem.noAccessToken());
        }
        Optional<IssuedToken> issued = oauth.find(token);
        if (issued.isEmpty() || issued.get().revoked()) {
            return Optional.of(Problem.invalidAccessToken());
        }
        if (!clock.instant().isBefore(issued.get().expiresAt())) {
            return Optional.of(Problem.expiredAccessToken());
        }
        if (requiredScope != null && !issued.get().scopes().contains(requiredScope)) {
            return Optional.of(Problem.missingScope(List.of(requiredScope)));
        }
        return Optional.empty();
    }

    /** The token of an {@code Authorization: Bearer <token>} header (scheme in any case), else null. */
    private static String bearerToken(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.length() <= 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = value.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** Records a request once, when it was answered or its connection dropped. */
    private final class Recorder {

        private final String method;
        private final String path;
        private final Map<String, List<String>> headers;
        private final HttpServerRequest request;
        private final AtomicBoolean recorded = new AtomicBoolean();

        Recorder(RoutingContext ctx) {
            this.request = ctx.request();
            this.method = request.method().name();
            this.path = request.path();
            Map<String, List<String>> byName = new LinkedHashMap<>();
            request.headers().forEach(header -> byName
                    .computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .add(header.getValue()));
            byName.replaceAll((name, values) -> Collections.unmodifiableList(values));
            this.headers = byName;
        }

        void record(int status) {
            if (recorded.compareAndSet(false, true)) {
                stats.record(new RecordedRequest(method, path, headers, request.bytesRead(), status));
            }
        }
    }
}
