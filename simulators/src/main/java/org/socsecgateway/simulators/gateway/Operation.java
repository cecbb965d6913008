package org.socsecgateway.simulators.gateway;

import io.vertx.ext.web.RoutingContext;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operation of a simulated API.
 *
 * @param method  the HTTP method
 * @param path    matched against the path after {@code /{api}}
 * @param scope   the scope the access token needs
 * @param handler called once the token is accepted, with the request still paused (body unread)
 */
record Operation(String method, Pattern path, String scope, Handler handler) {

    @FunctionalInterface
    interface Handler {
        void handle(RoutingContext ctx, Matcher path);
    }

    static Operation of(String method, String pathRegex, String scope, Handler handler) {
        return new Operation(method, Pattern.compile(pathRegex), scope, handler);
    }
}
