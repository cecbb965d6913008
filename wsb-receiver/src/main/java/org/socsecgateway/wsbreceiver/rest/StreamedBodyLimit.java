package org.socsecgateway.wsbreceiver.rest;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.socsecgateway.common.http.EarlyRefusal;
import org.socsecgateway.common.problem.ProblemType;
import org.socsecgateway.wsbreceiver.config.ReceiverConfig;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Limits a chunked HTTP/1.1 body (one that declares no length) while it arrives: to {@code wsb.webhook.max-message-size}
 * on the webhook listener, to {@code quarkus.http.limits.max-body-size} on the internal one. Over the limit the answer
 * is a 413 problem+json ({@link EarlyRefusal}); Quarkus' own check answers an empty 413. A body with a declared length
 * was already checked before this ({@link ListenerGuard}, {@code BodySizeLimit}). Both endpoints read the whole body
 * into memory anyway, so buffering it here costs nothing more; the resource then reads the buffered body.
 * <p>
 * Not for HTTP/2: RESTEasy Reactive pauses the request when it starts, which Vert.x refuses for an HTTP/2 request
 * that was read to its end. An HTTP/2 body without content-length over the webhook limit is refused by
 * {@link WebhookResource} once read (up to {@code max-body-size}); over {@code max-body-size}, by Quarkus itself
 * (an empty 413, then the connection is closed; {@code NoConnectionHeaderOverHttp2} keeps that answer legal).
 */
@ApplicationScoped
public class StreamedBodyLimit {

    private static final Set<HttpMethod> BODY_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    private final long webhookLimit;
    private final long internalLimit;

    StreamedBodyLimit(ReceiverConfig config,
                      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBodySize) {
        this.webhookLimit = config.webhook().maxMessageSize().asLongValue();
        this.internalLimit = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        BodyHandler webhook = BodyHandler.create(false).setBodyLimit(webhookLimit).setPreallocateBodyBuffer(false);
        BodyHandler internal = BodyHandler.create(false).setBodyLimit(internalLimit).setPreallocateBodyBuffer(false);
        router.route().order(-900).handler(ctx -> {
            if (!unknownLength(ctx.request())) {
                ctx.next();
                return;
            }
            (ctx.request().isSSL() ? webhook : internal).handle(ctx);
        }).failureHandler(this::tooLarge);
    }

    private void tooLarge(RoutingContext ctx) {
        if (ctx.statusCode() != 413 || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        long limit = ctx.request().isSSL() ? webhookLimit : internalLimit;
        EarlyRefusal.send(ctx, ProblemType.PAYLOAD_TOO_LARGE,
                (ctx.request().isSSL() ? "A message" : "The request body") + " may not exceed " + limit + " bytes");
    }

    private static boolean unknownLength(HttpServerRequest request) {
        if (request.getHeader(HttpHeaders.CONTENT_LENGTH) != null) {
            return false;
        }
        return request.version() != HttpVersion.HTTP_2 && BODY_METHODS.contains(request.method())
                && "chunked".equalsIgnoreCase(request.getHeader(HttpHeaders.TRANSFER_ENCODING));
    }
}
