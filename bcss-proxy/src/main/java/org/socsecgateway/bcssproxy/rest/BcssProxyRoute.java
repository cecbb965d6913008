package org.socsecgateway.bcssproxy.rest;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.socsecgateway.bcssproxy.client.BcssGatewayClient;
import org.socsecgateway.bcssproxy.client.TokenBrokerClient;
import org.socsecgateway.bcssproxy.config.ProxyConfig;
import org.socsecgateway.bcssproxy.service.ApiGuard;
import org.socsecgateway.bcssproxy.service.ApiRegistry;
import org.socsecgateway.bcssproxy.service.ApiRoute;
import org.socsecgateway.bcssproxy.service.AuditLog;
import org.socsecgateway.bcssproxy.service.PathGuard;
import org.socsecgateway.common.http.CorrelationIdFilter;
import org.socsecgateway.common.http.MethodTag;
import org.socsecgateway.common.log.LogSafe;
import org.socsecgateway.common.problem.Problem;
import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.Pipe;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /v1/bcss/{api}/{rest…}}: forwards any method to the allow-listed BCSS API with an access token from the
 * broker, a fresh {@code BelGov-Trace-Id} and mutual TLS, streaming bodies both ways. Only a safe set of headers
 * crosses in either direction; the caller's own token never leaves the cluster.
 */
@ApplicationScoped
public class BcssProxyRoute {

    private static final Logger LOG = Logger.getLogger(BcssProxyRoute.class);
    private static final String TRACE_ID = "BelGov-Trace-Id";
    private static final Set<String> REQUEST_HEADERS = Set.of("accept", "content-type", "accept-language");
    private static final Set<String> RESPONSE_HEADERS = Set.of("content-type", "content-length", "content-encoding",
            "content-language", "content-disposition", "etag", "last-modified", "cache-control", "expires",
            "retry-after", "belgov-trace-id", "belgov-related-trace-id", "www-authenticate");
    private static final Set<HttpMethod> BODY_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);
    /** Status recorded (metrics, audit) for a call whose caller went away before the answer was complete (nginx's 499). */
    private static final int CLIENT_CLOSED_REQUEST = 499;
    private static final Pattern TOKEN_PROBLEM = Pattern.compile("urn:problem-type:belgif:(invalid|expired)AccessToken");

    private final ApiRegistry registry;
    private final TokenBrokerClient tokens;
    private final BcssGatewayClient gateway;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final long replayLimit;

    BcssProxyRoute(ApiRegistry registry, TokenBrokerClient tokens, BcssGatewayClient gateway, ObjectMapper json,
            MeterRegistry meters, ProxyConfig config) {
        this.registry = registry;
        this.tokens = tokens;
        this.gateway = gateway;
        this.json = json;
        this.meters = meters;
        this.replayLimit = config.gateway().replayBuffer().asLongValue();
    }

    void install(@Observes Router router) {
        router.route(PathGuard.PREFIX + "*").handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest in = ctx.request();
        in.pause(); // nothing is read before the caller is known and the upstream is connected
        ProxyCall call = new ProxyCall(ctx, CorrelationIdFilter.suppliedOrFresh(in.getHeader(CorrelationIdFilter.HEADER)));
        ctx.response().putHeader(CorrelationIdFilter.HEADER, call.correlationId);
        // The caller's connection (HTTP/1.1) or stream (HTTP/2) went away before the answer was complete:
        // whatever the call was doing stops. (An end handler: Vert.x Web keeps the response's close handler.)
        ctx.addEndHandler(ended -> {
            if (ended.failed()) {
                callerGone(call, "went away before the answer was complete");
            }
        });
        call.hasBody = hasBody(in);
        PathGuard.Target target;
        try {
            target = PathGuard.parse(in.path(), in.query());
        } catch (ProblemException e) {
            refuse(call, e, e instanceof PathGuard.Refused path ? path.reason() : "unknown_api");
            return;
        }
        // an unknown API is refused only once the caller is known: the allow-list is not for anyone to probe
        call.apiAsked = target.api();
        registry.find(target.api()).ifPresent(api -> {
            call.api = api;
            call.upstream = api.upstream(target);
        });
        // With lazy authentication Quarkus hands a failed token to this handler, whose default answers an empty 401
        // itself; the proxy answers it (problem+json, audit line) in the failure branch below instead.
        ctx.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, (BiConsumer<RoutingContext, Throwable>) (c, failure) -> { });
        QuarkusHttpUser.getSecurityIdentity(ctx, null).subscribe().with(
                identity -> call.onContext(() -> authorised(call, identity)),
                failure -> call.onContext(() -> refuse(call, new ProblemException(ProblemType.INVALID_ACCESS_TOKEN,
                        "The bearer token is invalid, expired or from an untrusted issuer"), "unauthenticated")));
    }

    private void authorised(ProxyCall call, SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            refuse(call, new ProblemException(ProblemType.NO_ACCESS_TOKEN, "A bearer token is required"), "unauthenticated");
            return;
        }
        call.caller = identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null
                ? jwt.getSubject() : identity.getPrincipal().getName();
        if (MethodTag.OTHER.equals(call.method())) { // TRACE, CONNECT or a made-up method: not BCSS's business
            ProblemException problem = new ProblemException(ProblemType.METHOD_NOT_ALLOWED,
                    "The proxy relays only " + MethodTag.ALLOW);
            problem.headers().put("Allow", MethodTag.ALLOW);
            refuse(call, problem, "method");
            return;
        }
        if (call.api == null) {
            refuse(call, new ProblemException(ProblemType.RESOURCE_NOT_FOUND,
                    "API '" + call.apiAsked + "' is not on this proxy's allow-list"), "unknown_api");
            return;
        }
        ApiRoute api = call.api;
        if (!registry.allows(call.caller, api.name())) {
            refuse(call, new ProblemException(ProblemType.MISSING_PERMISSION, "This caller may not call API '" + api.name() + "'"), "forbidden");
            return;
        }
        api.guard().admit(() -> {
            call.onContext(() -> admitted(call));
            return call.released;
        }, refusal -> call.onContext(() -> refuse(call, new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                "Too many calls in flight to BCSS API '" + api.name() + "'").retryAfter(refusal.retryAfter()), "concurrency")));
    }

    /** The call has its place among the API's calls in flight: read a small body, get a token, pass the breaker. */
    private void admitted(ProxyCall call) {
        if (call.finished.get()) {
            return; // the caller went away while waiting
        }
        HttpServerRequest in = call.ctx.request();
        call.replayable = !call.hasBody || declaredLength(in) <= replayLimit;
        if (call.hasBody && call.replayable) {
            watchUpload(call);
            in.body()
                    .onSuccess(body -> {
                        call.bufferedBody = body;
                        firstToken(call);
                    })
                    .onFailure(e -> callerGone(call, "broke off its request body (" + e.getClass().getSimpleName() + ")"));
            in.resume(); // body() only collects; the request was paused on arrival
        } else {
            firstToken(call);
        }
    }

    /**
     * The token comes before the circuit breaker: a token broker that fails is not BCSS failing, so it neither
     * counts against the API nor takes (and strands) the breaker's trial call.
     */
    private void firstToken(ProxyCall call) {
        if (call.finished.get()) {
            return;
        }
        tokens.token(call.api.scopes()).subscribe().with(
                token -> call.onContext(() -> throughBreaker(call, token)),
                failure -> call.onContext(() -> brokerFailed(call, failure)));
    }

    private void throughBreaker(ProxyCall call, String token) {
        if (call.finished.get()) {
            return;
        }
        ApiGuard guard = call.api.guard();
        guard.exchange(() -> {
            call.exchange = new CompletableFuture<>();
            send(call, token, 0);
            return call.exchange;
        }).whenComplete((ignored, failure) -> {
            if (failure != null && ApiGuard.isCircuitOpen(failure)) {
                call.onContext(() -> refuse(call, new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                        "BCSS API '" + call.api.name() + "' is failing; calls are paused (circuit open)")
                        .retryAfter(guard.circuitOpen().retryAfter()), "circuit_open"));
            }
        });
    }

    private void withToken(ProxyCall call, int attempt) {
        tokens.token(call.api.scopes()).subscribe().with(
                token -> call.onContext(() -> send(call, token, attempt)),
                failure -> call.onContext(() -> brokerFailed(call, failure)));
    }

    private void send(ProxyCall call, String token, int attempt) {
        if (call.finished.get()) {
            return;
        }
        HttpServerRequest in = call.ctx.request();
        call.belgovTraceId = CorrelationIdFilter.fresh(); // a version 4 UUID, as BCSS expects
        boolean streamingBody = call.hasBody && call.bufferedBody == null;
        long timeout = call.api.timeout().toMillis();
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setAbsoluteURI(call.upstream.toString())
                // An upload may take longer than the API's timeout: for it, the clock starts once the body is sent.
                .setIdleTimeout(streamingBody ? 0 : timeout)
                .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .putHeader(TRACE_ID, call.belgovTraceId)
                .putHeader(CorrelationIdFilter.HEADER, call.correlationId);
        in.headers().forEach(header -> {
            if (REQUEST_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                options.addHeader(header.getKey(), header.getValue());
            }
        });
        gateway.request(options).onComplete(connected -> {
            if (connected.failed()) {
                failed(call, connected.cause());
                return;
            }
            HttpClientRequest request = connected.result();
            quiet(call, request);
            if (call.finished.get()) {
                request.reset(); // the caller went away meanwhile
                return;
            }
            call.upstreamRequest = request;
            Future<HttpClientResponse> response;
            if (call.bufferedBody != null) {
                response = request.send(call.bufferedBody);
            } else if (streamingBody) {
                streamHeaders(in, request);
                upload(call, request, timeout);
                response = request.response();
            } else {
                response = request.send();
            }
            response.onSuccess(answer -> answered(call, token, attempt, answer)).onFailure(e -> failed(call, e));
        });
    }

    private static void streamHeaders(HttpServerRequest in, HttpClientRequest request) {
        String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            request.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            request.setChunked(true);
        }
    }

    /**
     * Streams the caller's body to BCSS. A failed side resets the other instead of ending it: a body cut short
     * must never reach BCSS as a complete (truncated) one. The caller's failures come through
     * {@link #callerGone}; a failed write towards BCSS resets the upstream request, whose answer then fails.
     */
    private void upload(ProxyCall call, HttpClientRequest request, long timeout) {
        HttpServerRequest in = call.ctx.request();
        call.upload = in.pipe().endOnFailure(false);
        in.exceptionHandler(e -> callerGone(call, "broke off its request body (" + e.getClass().getSimpleName() + ")"));
        watchUpload(call);
        call.upload.to(request).onComplete(sent -> {
            if (sent.succeeded()) {
                call.uploadEnded = true;
                request.idleTimeout(timeout);
            } else if (!call.finished.get() && call.upload != null) {
                request.reset();
            }
        });
    }

    /** Failures of the upstream request reach its response future; without a handler Vert.x logs them as errors. */
    private static void quiet(ProxyCall call, HttpClientRequest request) {
        try {
            request.exceptionHandler(e -> LOG.debugf("Request to BCSS API '%s' ended: %s", call.api.name(), e.toString()));
        } catch (IllegalStateException ended) {
            // the request was sent in full: nothing more can fail on its side
        }
    }

    /** Stops forwarding the caller's body (BCSS answered before it was complete, or the call ended). */
    private static void stopUpload(ProxyCall call) {
        Pipe<Buffer> upload = call.upload;
        if (upload != null && !call.uploadEnded) {
            call.upload = null;
            try {
                upload.close(); // unsets the pipe's handlers; what else the caller sends is read and dropped
            } catch (IllegalStateException alreadyEnded) {
                // the caller's request was over (ended or reset): there is nothing left to read
            }
            quiet(call, call.upstreamRequest); // closing the pipe also removed the request's exception handler
        }
    }

    /**
     * A body that stops arriving is given up after the API's timeout without a byte, so a stalled upload cannot hold
     * BCSS or a place for ever: when the caller stopped sending, it gets 400 and the upstream request is reset; when
     * BCSS stopped reading (its side of the upload is full), that is BCSS failing: 504.
     */
    private void watchUpload(ProxyCall call) {
        HttpServerRequest in = call.ctx.request();
        long[] lastRead = { -1 };
        call.uploadWatch = call.ctx.vertx().setPeriodic(call.api.timeout().toMillis(), id -> {
            boolean reading = call.bufferedBody == null && (call.replayable || call.upload != null);
            if (call.finished.get() || in.isEnded() || call.uploadEnded || !reading) {
                call.ctx.vertx().cancelTimer(id);
            } else if (in.bytesRead() != lastRead[0]) {
                lastRead[0] = in.bytesRead();
            } else {
                call.ctx.vertx().cancelTimer(id);
                call.ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                if (upstreamFull(call)) {
                    call.upstreamFailed = true;
                    warn(call, "BCSS API '%s' stopped reading an upload for %d ms; the call is given up", call.api.name(),
                            call.api.timeout().toMillis());
                    answer(call, new ProblemException(ProblemType.GATEWAY_TIMEOUT, "BCSS API '" + call.api.name()
                            + "' stopped reading the request body"));
                } else {
                    brokenStream(call, "caller");
                    LOG.debugf("Caller %s sent no body bytes for %d ms to API '%s'; the call is given up", LogSafe.escape(call.caller),
                            call.api.timeout().toMillis(), call.api.name());
                    answer(call, new ProblemException(ProblemType.BAD_REQUEST, "The request body stopped arriving (nothing for "
                            + call.api.timeout().toSeconds() + " s)"));
                }
            }
        });
    }

    private static boolean upstreamFull(ProxyCall call) {
        try {
            return call.upstreamRequest != null && call.upstreamRequest.writeQueueFull();
        } catch (IllegalStateException ended) {
            return false;
        }
    }

    private void answered(ProxyCall call, String token, int attempt, HttpClientResponse response) {
        if (call.finished.get()) {
            return;
        }
        if (call.upload != null && !call.uploadEnded && !call.ctx.request().isEnded()) {
            // BCSS answered before the whole body was sent (e.g. 401, 413): relay its answer and stop the upload.
            stopUpload(call);
            if (call.ctx.request().version() != HttpVersion.HTTP_2) {
                call.ctx.response().putHeader(HttpHeaders.CONNECTION, "close"); // the rest of the body is not read
            }
        }
        int status = response.statusCode();
        call.upstreamTraceId = response.getHeader(TRACE_ID);
        if (status == 401) {
            response.body().onComplete(body -> {
                Buffer problem = body.succeeded() ? body.result() : Buffer.buffer();
                if (isTokenProblem(problem)) {
                    tokens.reportRejected(call.api.scopes(), token).subscribe().with(ignored -> call.onContext(() -> {
                        if (attempt == 0 && call.replayable && !call.finished.get()) {
                            call.retried = true;
                            meters.counter("proxy.retries", "api", call.api.name(), "reason", "token_rejected").increment();
                            withToken(call, 1);
                        } else {
                            relayBuffered(call, response, problem);
                        }
                    }));
                } else {
                    relayBuffered(call, response, problem);
                }
            });
            return;
        }
        if (status >= 500) {
            call.upstreamFailed = true;
            response.body(); // drain, so the connection can be reused
            ProblemType type = status == 504 ? ProblemType.GATEWAY_TIMEOUT : ProblemType.BAD_GATEWAY;
            answer(call, new ProblemException(type, "BCSS API '" + call.api.name() + "' failed (HTTP " + status + ")"));
            return;
        }
        relay(call, response);
    }

    /**
     * Streams BCSS's answer to the caller. When BCSS breaks off mid-answer the caller's response is reset
     * (HTTP/1.1: the connection is closed before the terminating chunk or the declared length; HTTP/2:
     * RST_STREAM), so a cut answer never looks complete.
     */
    private void relay(ProxyCall call, HttpClientResponse response) {
        HttpServerResponse out = call.ctx.response();
        out.setStatusCode(response.statusCode());
        copyResponseHeaders(response, out);
        if (response.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            out.setChunked(true);
        }
        Pipe<Buffer> download = response.pipe().endOnFailure(false);
        response.exceptionHandler(e -> {
            download.close();
            upstreamBroke(call, e);
        });
        download.to(out).onComplete(done -> {
            if (done.succeeded()) {
                finish(call, response.statusCode());
            } else if (!call.finished.get() && out.closed()) {
                callerGone(call, "closed the connection during the answer");
            }
        });
    }

    private void upstreamBroke(ProxyCall call, Throwable cause) {
        if (call.finished.get()) {
            return;
        }
        call.upstreamFailed = true;
        brokenStream(call, "upstream");
        warn(call, "The answer of BCSS API '%s' broke off: %s; the caller's response is reset", call.api.name(),
                cause.getClass().getSimpleName());
        resetUpstream(call);
        call.ctx.response().reset();
        finish(call, ProblemType.BAD_GATEWAY.status());
    }

    /**
     * The caller went away (connection closed, HTTP/2 stream reset, request body broken off): the upstream
     * request is reset, the call's place freed at once, and nothing counts against BCSS.
     */
    private void callerGone(ProxyCall call, String what) {
        if (call.finished.get()) {
            return;
        }
        brokenStream(call, "caller");
        LOG.debugf("Caller %s %s; call to API '%s' abandoned", LogSafe.escape(call.caller), what, call.api == null ? "unknown" : call.api.name());
        finish(call, CLIENT_CLOSED_REQUEST); // first: the resets below must not read as a failure of BCSS
        resetUpstream(call);
        if (!call.ctx.response().closed()) {
            call.ctx.response().reset();
        }
    }

    /** Resets the request to BCSS, if one was sent: an unfinished exchange is aborted, never ended normally. */
    private static void resetUpstream(ProxyCall call) {
        if (call.upstreamRequest != null) {
            call.upstreamRequest.reset();
        }
    }

    private void brokenStream(ProxyCall call, String side) {
        meters.counter("proxy.streams.broken", "api", call.api == null ? "unknown" : call.api.name(), "side", side).increment();
    }

    private void relayBuffered(ProxyCall call, HttpClientResponse response, Buffer body) {
        if (call.finished.get()) {
            return;
        }
        HttpServerResponse out = call.ctx.response();
        out.setStatusCode(response.statusCode());
        copyResponseHeaders(response, out);
        out.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
        out.end(body);
        finish(call, response.statusCode());
    }

    private static void copyResponseHeaders(HttpClientResponse response, HttpServerResponse out) {
        response.headers().forEach(header -> {
            if (RESPONSE_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                out.headers().add(header.getKey(), header.getValue());
            }
        });
    }

    /** A WARN line about {@code call} with its correlation id in the MDC (the route runs outside the REST filters that set it). */
    private static void warn(ProxyCall call, String format, Object... params) {
        MDC.put(CorrelationIdFilter.MDC_KEY, call.correlationId);
        try {
            LOG.warnf(format, params);
        } finally {
            MDC.remove(CorrelationIdFilter.MDC_KEY);
        }
    }

    private void failed(ProxyCall call, Throwable cause) {
        if (call.finished.get()) {
            return; // e.g. the upstream request was reset because the caller went away
        }
        call.upstreamFailed = true;
        boolean timeout = cause.getClass().getSimpleName().contains("Timeout");
        warn(call, "Call to BCSS API '%s' failed: %s", call.api.name(), cause.getClass().getSimpleName());
        answer(call, timeout
                ? new ProblemException(ProblemType.GATEWAY_TIMEOUT, "BCSS API '" + call.api.name() + "' did not answer in time")
                : new ProblemException(ProblemType.BAD_GATEWAY, "BCSS API '" + call.api.name() + "' could not be reached"));
    }

    private void brokerFailed(ProxyCall call, Throwable failure) {
        if (call.finished.get()) {
            return;
        }
        int status = failure instanceof WebApplicationException web ? web.getResponse().getStatus() : 0;
        warn(call, "No access token for API '%s' from the token broker: %s", call.api.name(),
                status > 0 ? "HTTP " + status : failure.getClass().getSimpleName());
        ProblemException problem = status == 502
                ? new ProblemException(ProblemType.BAD_GATEWAY, "The BCSS authorization server refused the token request")
                : new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "No access token could be obtained for API '"
                        + call.api.name() + "'").retryAfter(Duration.ofSeconds(retryAfter(failure)));
        answer(call, problem);
    }

    private static long retryAfter(Throwable failure) {
        if (failure instanceof WebApplicationException web) {
            String header = web.getResponse().getHeaderString("Retry-After");
            if (header != null && header.matches("\\d{1,5}")) {
                return Long.parseLong(header);
            }
        }
        return 1;
    }

    private void refuse(ProxyCall call, ProblemException problem, String reason) {
        meters.counter("proxy.refused", "reason", reason).increment();
        call.refusal = reason;
        if (call.hasBody) {
            call.ctx.response().putHeader(HttpHeaders.CONNECTION, "close"); // the unread body cannot be skipped safely
        }
        if (problem.problem().getStatus() == 401) {
            call.ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        answer(call, problem);
    }

    private void answer(ProxyCall call, ProblemException problem) {
        if (call.finished.get()) {
            return;
        }
        HttpServerResponse out = call.ctx.response();
        if (out.headWritten() || out.closed()) {
            out.reset();
            finish(call, problem.problem().getStatus());
            return;
        }
        out.setStatusCode(problem.problem().getStatus());
        out.putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        problem.headers().forEach(out::putHeader);
        out.end(serialise(problem.problem()));
        finish(call, problem.problem().getStatus());
    }

    private void finish(ProxyCall call, int status) {
        if (!call.finished.compareAndSet(false, true)) {
            return;
        }
        if (call.uploadWatch >= 0) {
            call.ctx.vertx().cancelTimer(call.uploadWatch);
        }
        if (call.upload != null || call.hasBody && call.bufferedBody == null && !call.uploadEnded) {
            stopUpload(call);
            resetUpstream(call); // never leave BCSS waiting for the rest of a body that will not come
        }
        call.settle();
        String api = call.api == null ? "unknown" : call.api.name();
        Timer.builder("proxy.requests")
                .description("Proxied calls by API, method and status, as answered to the caller")
                .tags("api", api, "method", call.method(), "status", Integer.toString(status))
                .publishPercentileHistogram()
                .register(meters)
                .record(System.nanoTime() - call.startedNanos, TimeUnit.NANOSECONDS);
        AuditLog.record(new AuditLog.Entry(call.caller, api, call.method(), status, call.latencyMillis(),
                call.correlationId, call.belgovTraceId, call.upstreamTraceId, call.retried, call.refusal));
    }

    private boolean isTokenProblem(Buffer body) {
        try {
            JsonNode type = json.readTree(body.getBytes()).path("type");
            return TOKEN_PROBLEM.matcher(type.asText("")).matches();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private String serialise(Problem problem) {
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasBody(HttpServerRequest in) {
        return declaredLength(in) > 0;
    }

    /**
     * The declared body length; {@code Long.MAX_VALUE} for a body of unknown length: chunked in HTTP/1.1, or in
     * HTTP/2 (which has no chunking) any request of a method that carries a body and declares no length.
     */
    private static long declaredLength(HttpServerRequest in) {
        String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            boolean http2 = in.version() == HttpVersion.HTTP_2;
            boolean unknownLength = http2 ? BODY_METHODS.contains(in.method()) : "chunked".equalsIgnoreCase(in.getHeader(HttpHeaders.TRANSFER_ENCODING));
            return unknownLength ? Long.MAX_VALUE : 0;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
