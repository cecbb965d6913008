package org.socsecgateway.simulators.gateway;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.socsecgateway.simulators.internal.Json;

/** Sending answers from the gateway's handlers, which run with the request paused. */
final class Answers {

    private Answers() {
    }

    static void json(RoutingContext ctx, int status, Object body) {
        json(ctx, status, "application/json", body);
    }

    static void json(RoutingContext ctx, int status, String contentType, Object body) {
        discardBody(ctx.request());
        Json.send(ctx, status, contentType, body);
    }

    /**
     * Reads and drops what is left of the request body. The gateway pauses every request on arrival, so an
     * answer sent before the body is read would otherwise leave the connection stalled (the next request on
     * it never read) and the client blocked while uploading.
     */
    static void discardBody(HttpServerRequest request) {
        if (!request.isEnded()) {
            request.handler(chunk -> { });
            request.endHandler(end -> { });
            request.resume();
        }
    }
}
