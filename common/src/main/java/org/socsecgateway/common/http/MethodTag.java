package org.socsecgateway.common.http;

import java.util.Set;

import io.vertx.core.http.HttpMethod;

/**
 * A request method as a metric tag or log field: the RFC 9110 methods an API of this project can use, anything
 * else {@value #OTHER}. The method is caller input (any token on the request line), so it must not open a new
 * time series or log value per made-up name.
 */
public final class MethodTag {

    public static final String OTHER = "OTHER";

    /** The methods it knows, as an {@code Allow} field value (RFC 9110 section 10.2.1), e.g. for a 405. */
    public static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    private static final Set<String> KNOWN = Set.of(ALLOW.split(", "));

    private MethodTag() {
    }

    /** {@code GET}, {@code HEAD}, {@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}, {@code OPTIONS} or {@code OTHER}. */
    public static String of(HttpMethod method) {
        return method == null ? OTHER : of(method.name());
    }

    /** As {@link #of(HttpMethod)}, for a method name (case-sensitive, as RFC 9110 section 9.1 says). */
    public static String of(String method) {
        return method != null && KNOWN.contains(method) ? method : OTHER;
    }
}
