package org.socsecgateway.simulators.gateway;

import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A belgif problem ({@code application/problem+json}, RFC 9457 with the belgif problem types) as the BCSS REST
 * gateway answers it: members {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance}
 * (the request path, without the query), then the type's own members.
 */
final class Problem {

    static final String TYPE_PREFIX = "urn:problem-type:belgif:";
    static final String INVALID_INPUT = TYPE_PREFIX + "input-validation:invalidInput";
    static final String SCHEMA_VIOLATION = TYPE_PREFIX + "input-validation:schemaViolation";

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Problem(int status, String type, String title, String detail) {
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
    }

    static Problem belgif(int status, String name, String title, String detail) {
        return new Problem(status, TYPE_PREFIX + name, title, detail);
    }

    static Problem badRequest(List<Map<String, Object>> issues) {
        return belgif(400, "badRequest", "Bad Request", "The input message is incorrect").with("issues", issues);
    }

    /** One entry of a badRequest's {@code issues}; the offending value is deliberately never echoed. */
    static Map<String, Object> issue(String type, String in, String name, String detail) {
        Map<String, Object> issue = new LinkedHashMap<>();
        issue.put("type", type);
        issue.put("title", type.equals(INVALID_INPUT) ? "Invalid input" : "Input isn't valid with respect to schema");
        issue.put("in", in);
        if (name != null) {
            issue.put("name", name);
        }
        issue.put("detail", detail);
        return issue;
    }

    static Problem noAccessToken() {
        return belgif(401, "noAccessToken", "No Access Token", "The Bearer access token is missing")
                .header("WWW-Authenticate", "Bearer");
    }

    static Problem invalidAccessToken() {
        return belgif(401, "invalidAccessToken", "Invalid Access Token",
                "The Bearer access token found in the Authorization HTTP header is invalid")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }

    static Problem expiredAccessToken() {
        return belgif(401, "expiredAccessToken", "Expired Access Token",
                "The Bearer access token found in the Authorization HTTP header has expired")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }

    static Problem missingScope(Collection<String> requiredScopes) {
        return belgif(403, "missingScope", "Missing Scope",
                "Forbidden to access the API because the access token lacks the required scopes")
                .with("requiredScopes", List.copyOf(requiredScopes))
                .header("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\""
                        + String.join(" ", requiredScopes) + "\"");
    }

    static Problem resourceNotFound(String detail) {
        return belgif(404, "resourceNotFound", "Resource Not Found", detail);
    }

    static Problem methodNotAllowed(Collection<String> allowed) {
        // belgif defines no type of its own for 405: the generic one, with the Allow header
        return new Problem(405, "about:blank", "Method Not Allowed", "This resource does not support this method")
                .header("Allow", String.join(", ", allowed));
    }

    static Problem payloadTooLarge(long limit) {
        return belgif(413, "payloadTooLarge", "Payload Too Large",
                "Request message must not be larger than " + limit + " bytes").with("limit", limit);
    }

    static Problem tooManyRequests(Duration retryAfter) {
        long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0); // rounded up
        return belgif(429, "tooManyRequests", "Too Many Requests",
                "The client has sent too many requests in a given amount of time")
                .header("Retry-After", Long.toString(seconds));
    }

    static Problem internalServerError() {
        return belgif(500, "internalServerError", "Internal Server Error",
                "The server encountered an unexpected error");
    }

    /** The problem answered for an injected failure of this status. */
    static Problem injected(int status) {
        return switch (status) {
            case 400 -> badRequest(List.of());
            case 401 -> invalidAccessToken();
            case 403 -> belgif(403, "missingPermission", "Missing Permission",
                    "The client does not have the permission to access this resource");
            case 404 -> resourceNotFound("The requested resource cannot be found");
            case 413 -> payloadTooLarge(BcssGatewaySimulator.MAX_JSON_BODY_BYTES);
            case 429 -> tooManyRequests(Duration.ofSeconds(1));
            case 500 -> internalServerError();
            case 502 -> belgif(502, "badGateway", "Bad Gateway",
                    "Error in communication with upstream service");
            case 503 -> belgif(503, "serviceUnavailable", "Service is unavailable",
                    "The service is temporarily unavailable; retry later");
            default -> new Problem(status, "about:blank", "HTTP " + status, "Injected failure");
        };
    }

    Problem with(String member, Object value) {
        extra.put(member, value);
        return this;
    }

    Problem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    /** The JSON body, with {@code instance} set to {@code path}. */
    Map<String, Object> body(String path) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", path);
        body.putAll(extra);
        return body;
    }

    void send(RoutingContext ctx) {
        if (ctx.response().closed() || ctx.response().ended()) {
            return;
        }
        headers.forEach(ctx.response()::putHeader);
        Answers.json(ctx, status, "application/problem+json", body(ctx.request().path()));
    }
}
