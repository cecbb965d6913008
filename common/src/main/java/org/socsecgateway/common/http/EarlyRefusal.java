package org.socsecgateway.common.http;

import org.socsecgateway.common.problem.Problem;
import org.socsecgateway.common.problem.ProblemType;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request with a problem document before its body was read (or while it is still arriving), correctly for
 * both protocols:
 * <ul>
 * <li>HTTP/1.x: {@code Connection: close} and the connection is closed after the answer, because an unread body cannot be skipped safely on a kept-alive
 * connection (RFC 9112 section 9.6);</li>
 * <li>HTTP/2: no {@code Connection} header — it is connection-specific and makes the response malformed (RFC 9113
 * section 8.2.2; Netty resets the stream instead of answering). The complete answer is sent on the stream, then, if
 * the client is still sending, {@code RST_STREAM(NO_ERROR)} asks it to stop (RFC 9113 section 8.1). The connection
 * and its other streams carry on.</li>
 * </ul>
 */
public final class EarlyRefusal {

    /** RFC 9113 section 7: NO_ERROR. */
    private static final long NO_ERROR = 0;

    private EarlyRefusal() {
    }

    /**
     * Ends the exchange with {@code type}'s status and a problem+json body {type, title, status, detail}.
     *
     * @param detail for the caller; must not quote request content
     */
    public static void send(RoutingContext ctx, ProblemType type, String detail) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        response.setStatusCode(type.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (!http2) {
            RequestFraming.closeAfterResponse(ctx); // a header alone does not make Vert.x close the connection
        }
        String body = new JsonObject().put("type", type.uri()).put("title", type.title()).put("status", type.status())
                .put("detail", detail).encode();
        response.end(body).onSuccess(written -> {
            if (http2 && !request.isEnded()) {
                response.reset(NO_ERROR); // the answer is complete; the rest of the request is not wanted
            }
        });
    }
}
