package org.socsecgateway.common.problem;

/**
 * Problem types answered by every service. Belgif types (the convention BCSS uses) where one exists,
 * {@code about:blank} with the HTTP status title otherwise (RFC 9457, section 4.2.1).
 */
public enum ProblemType {
    BAD_REQUEST(400, "badRequest", "Bad Request"),
    NO_ACCESS_TOKEN(401, "noAccessToken", "No Access Token"),
    INVALID_ACCESS_TOKEN(401, "invalidAccessToken", "Invalid Access Token"),
    MISSING_PERMISSION(403, "missingPermission", "Missing Permission"),
    RESOURCE_NOT_FOUND(404, "resourceNotFound", "Resource Not Found"),
    METHOD_NOT_ALLOWED(405, null, "Method Not Allowed"),
    NOT_ACCEPTABLE(406, null, "Not Acceptable"),
    CONFLICT(409, null, "Conflict"),
    PAYLOAD_TOO_LARGE(413, "payloadTooLarge", "Payload Too Large"),
    UNSUPPORTED_MEDIA_TYPE(415, null, "Unsupported Media Type"),
    TOO_MANY_REQUESTS(429, "tooManyRequests", "Too Many Requests"),
    INTERNAL_SERVER_ERROR(500, "internalServerError", "Internal Server Error"),
    BAD_GATEWAY(502, "badGateway", "Bad Gateway"),
    SERVICE_UNAVAILABLE(503, "serviceUnavailable", "Service Unavailable"),
    GATEWAY_TIMEOUT(504, "gatewayTimeout", "Gateway Timeout");

    private static final String BELGIF_PREFIX = "urn:problem-type:belgif:";

    private final int status;
    private final String uri;
    private final String title;

    ProblemType(int status, String belgifName, String title) {
        this.status = status;
        this.uri = belgifName == null ? "about:blank" : BELGIF_PREFIX + belgifName;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String uri() {
        return uri;
    }

    public String title() {
        return title;
    }

    /** The type for a bare HTTP status, used when a framework exception carries only a status. */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL_SERVER_ERROR : BAD_REQUEST;
    }
}
