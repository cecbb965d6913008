package org.socsecgateway.simulators.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON bodies for the simulators' HTTP answers. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(String json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    public static void send(RoutingContext ctx, int status, Object body) {
        send(ctx, status, "application/json", body);
    }

    public static void send(RoutingContext ctx, int status, String contentType, Object body) {
        if (ctx.response().closed() || ctx.response().ended()) {
            return; // the client went away, e.g. during injected latency
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", contentType).end(write(body));
    }

    /** RFC 9457 problem details, as our own services answer. */
    public static void sendProblem(RoutingContext ctx, int status, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        send(ctx, status, "application/problem+json", problem);
    }
}
