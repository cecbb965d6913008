package org.socsecgateway.bcssproxy.rest;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.socsecgateway.bcssproxy.config.ProxyConfig;
import org.socsecgateway.bcssproxy.service.AuditLog;
import org.socsecgateway.bcssproxy.service.PathGuard;
import org.socsecgateway.common.http.CorrelationIdFilter;
import org.socsecgateway.common.http.FrameworkProblems;
import org.socsecgateway.common.http.MethodTag;
import org.socsecgateway.common.http.RequestFraming;
import org.socsecgateway.common.problem.Problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Checks the raw path of every request meant for the proxy ({@code /v1/bcss/…} as sent, or once Vert.x has
 * normalised it) with {@link PathGuard} before any route sees it, and refuses a hostile one with 400 problem+json,
 * {@code proxy_refused_total{reason}} and an audit line naming the caller (when its token is valid) and the reason.
 * The check runs before routing because route matching works on the normalised path, in which dot segments are
 * already resolved.
 */
@ApplicationScoped
public class ProxyPathFilter {

    /**
     * After {@link RequestFraming}, before the generic checks of {@link FrameworkProblems} (a more specific answer
     * for the proxy's paths) and everything of Quarkus' that normalises the path.
     */
    static final int ORDER = FrameworkProblems.ORDER - 500;

    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final ProxyConfig config;
    private final HttpAuthenticator authenticator;

    ProxyPathFilter(ObjectMapper json, MeterRegistry meters, ProxyConfig config, HttpAuthenticator authenticator) {
        this.json = json;
        this.meters = meters;
        this.config = config;
        this.authenticator = authenticator;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    void check(RoutingContext ctx) {
        HttpServerRequest in = ctx.request();
        if (!meantForProxy(ctx)) {
            ctx.next();
            return;
        }
        try {
            PathGuard.parse(in.path(), in.query());
        } catch (PathGuard.Refused refused) {
            refuse(ctx, refused);
            return;
        }
        ctx.next();
    }

    private static boolean meantForProxy(RoutingContext ctx) {
        String raw = ctx.request().path();
        if (raw == null || raw.startsWith(PathGuard.PREFIX)) {
            return raw != null;
        }
        try {
            return ctx.normalizedPath().startsWith(PathGuard.PREFIX);
        } catch (IllegalArgumentException e) {
            return false; // route matching refuses it (problem+json through FrameworkProblems)
        }
    }

    private void refuse(RoutingContext ctx, PathGuard.Refused refused) {
        long started = System.nanoTime();
        HttpServerRequest in = ctx.request();
        String correlationId = CorrelationIdFilter.suppliedOrFresh(in.getHeader(CorrelationIdFilter.HEADER));
        String api = apiTag(in.path());
        String method = MethodTag.of(in.method());
        meters.counter("proxy.refused", "reason", refused.reason()).increment();
        // Quarkus' authentication filter runs later (its path handling fails on some of these targets): authenticate
        // here, only to name the caller in the audit line. The answer is 400 whoever asks.
        authenticator.attemptAuthentication(ctx).subscribe().with(
                identity -> answer(ctx, refused, correlationId, api, method, subject(identity), started),
                failure -> answer(ctx, refused, correlationId, api, method, null, started));
    }

    private void answer(RoutingContext ctx, PathGuard.Refused refused, String correlationId, String api, String method,
            String caller, long started) {
        HttpServerRequest in = ctx.request();
        HttpServerResponse out = ctx.response();
        if (!out.ended() && !out.closed()) {
            if (!in.isEnded()) {
                RequestFraming.closeAfterResponse(ctx); // the unread body cannot be skipped safely (HTTP/1.x)
            }
            out.setStatusCode(400)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(CorrelationIdFilter.HEADER, correlationId)
                    .end(serialise(refused.problem()))
                    .onSuccess(written -> {
                        if (in.version() == HttpVersion.HTTP_2 && !in.isEnded()) {
                            out.reset(0); // NO_ERROR: the answer is complete, the rest of the body is not wanted
                        }
                    });
        }
        long nanos = System.nanoTime() - started;
        Timer.builder("proxy.requests")
                .description("Proxied calls by API, method and status, as answered to the caller")
                .tags("api", api, "method", method, "status", "400")
                .publishPercentileHistogram()
                .register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
        AuditLog.record(new AuditLog.Entry(caller, api, method, 400, nanos / 1_000_000, correlationId, null, null, false,
                refused.reason()));
    }

    private static String subject(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        return identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null
                ? jwt.getSubject() : identity.getPrincipal().getName();
    }

    /** The API named in the path when it is on the allow-list, {@code unknown} otherwise: a tag from a fixed set. */
    private String apiTag(String rawPath) {
        if (rawPath != null && rawPath.startsWith(PathGuard.PREFIX)) {
            String remainder = rawPath.substring(PathGuard.PREFIX.length());
            int slash = remainder.indexOf('/');
            String name = slash < 0 ? remainder : remainder.substring(0, slash);
            if (config.apis().containsKey(name)) {
                return name;
            }
        }
        return "unknown";
    }

    private String serialise(Problem problem) {
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
