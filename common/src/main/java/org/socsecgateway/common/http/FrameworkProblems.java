package org.socsecgateway.common.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.socsecgateway.common.log.RateLimitedLog;
import org.socsecgateway.common.problem.ProblemType;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * Answers the client errors that Vert.x Web raises before any application route runs with problem+json and a
 * rate-limited WARN, instead of Quarkus' error page (an ERROR line with a stack trace and an error id, for a
 * request without {@code Host}) or an empty or HTML body: a missing {@code Host} header, a path that does not start
 * with {@code /} (such as {@code OPTIONS *}), a path Vert.x cannot normalise, no route for the path, a request
 * target that is not a URI ({@code %u002e}, a backslash; see {@link #checkTarget}). Failures of
 * other kinds (authentication, server errors) are left to the handlers after this one.
 */
@ApplicationScoped
public class FrameworkProblems {

    /**
     * After {@link RequestFraming}; before Quarkus' security filters (orders -200 and -100) and RESTEasy's handlers,
     * which normalise the path and fail with a 500 on a target that is not a URI; before Quarkus' own failure
     * handler. A service that checks its own paths with a more specific answer does so between the two orders.
     */
    public static final int ORDER = -4000;

    private static final Logger LOG = Logger.getLogger(FrameworkProblems.class);
    private static final RateLimitedLog WARN = new RateLimitedLog(LOG, Duration.ofSeconds(10), 16);

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(FrameworkProblems::checkTarget).failureHandler(FrameworkProblems::failed);
        // Raised while matching routes (a path Vert.x cannot normalise) or when no route matches.
        router.errorHandler(400, ctx -> answer(ctx, 400));
        router.errorHandler(404, ctx -> answer(ctx, 404));
    }

    /**
     * The request target must parse as a URI (RFC 3986 as {@link URI} reads it): the same check Quarkus makes before
     * routing, where it answers 400 without a body. Services start with {@code -Dvertx.disableURIValidation=true}
     * so that this check, which answers problem+json, is the one that runs; without the flag Quarkus' check runs
     * first and this one never fails.
     */
    static void checkTarget(RoutingContext ctx) {
        try {
            new URI(ctx.request().uri());
            ctx.normalizedPath(); // Vert.x Web's own reading, used by later handlers, which would fail with a 500
        } catch (URISyntaxException | IllegalArgumentException | NullPointerException e) {
            if (!ctx.request().isEnded()) {
                RequestFraming.closeAfterResponse(ctx); // an unread body cannot be skipped safely
            }
            answer(ctx, 400, "The request target is not a valid URI (RFC 3986)");
            return;
        }
        ctx.next();
    }

    static void failed(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status = ctx.statusCode() != -1 ? ctx.statusCode() : failure instanceof HttpException http ? http.getStatusCode() : -1;
        boolean framework = failure == null || failure instanceof HttpException || failure.getClass() == VertxException.class;
        if (status < 400 || status > 499 || status == 401 || status == 403 || !framework) {
            ctx.next();
            return;
        }
        answer(ctx, status);
    }

    private static void answer(RoutingContext ctx, int status) {
        answer(ctx, status, null);
    }

    private static void answer(RoutingContext ctx, int status, String fixedDetail) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        ProblemType type = ProblemType.forStatus(status);
        boolean known = type.status() == status;
        String detail = fixedDetail != null ? fixedDetail : detail(ctx, status);
        WARN.warnf("status-" + status, "Refused a request before it reached the application: HTTP %d, %s", status, detail);
        response.setStatusCode(status);
        response.headers().remove(HttpHeaders.CONTENT_LENGTH);
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                .end(new JsonObject().put("type", known ? type.uri() : "about:blank")
                        .put("title", known ? type.title() : HttpResponseStatus.valueOf(status).reasonPhrase()).put("status", status)
                        .put("detail", detail).encode());
    }

    /** Fixed texts: the exceptions' own messages can quote the request. */
    private static String detail(RoutingContext ctx, int status) {
        if (status == 400 && ctx.request().authority() == null && ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_1_0) {
            return "The request has no Host header";
        }
        return switch (status) {
            case 400 -> "The request line or a header is malformed";
            case 404 -> "No resource at this path";
            default -> "The request cannot be served as sent";
        };
    }
}
