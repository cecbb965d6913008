package org.socsecgateway.bcssproxy.service;

import java.util.Locale;
import java.util.regex.Pattern;

import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;

/**
 * Splits {@code /v1/bcss/{api}/{rest}} and refuses anything that could steer a request away from the configured
 * API: dot segments (also encoded), encoded slashes and backslashes, double slashes, double encoding, control
 * characters and characters outside RFC 3986. The check runs on the raw (still encoded) path, so what is checked
 * is exactly what is sent.
 */
public final class PathGuard {

    public static final String PREFIX = "/v1/bcss/";

    private static final Pattern API_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern PATH_CHARS = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,;=:@%/]*");
    private static final Pattern QUERY_CHARS = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,;=:@%/?]*");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:");
    private static final String[] FORBIDDEN_ENCODINGS = { "%2f", "%5c", "%2e", "%25", "%00" };

    /** The API named in the path and the rest of the path (without leading slash), query kept apart. */
    public record Target(String api, String rest, String query) {
    }

    private PathGuard() {
    }

    public static Target parse(String rawPath, String rawQuery) {
        if (rawPath == null || !rawPath.startsWith(PREFIX)) {
            throw refused("The path must start with " + PREFIX);
        }
        String remainder = rawPath.substring(PREFIX.length());
        int slash = remainder.indexOf('/');
        String api = slash < 0 ? remainder : remainder.substring(0, slash);
        String rest = slash < 0 ? "" : remainder.substring(slash + 1);
        if (!API_NAME.matcher(api).matches()) {
            throw refused("The API name must be lower-case letters, digits and dashes");
        }
        checkPath(rest);
        if (rawQuery != null && !QUERY_CHARS.matcher(rawQuery).matches()) {
            throw refused("The query string holds characters that must be percent-encoded");
        }
        return new Target(api, rest, rawQuery == null || rawQuery.isEmpty() ? null : rawQuery);
    }

    private static void checkPath(String rest) {
        if (!PATH_CHARS.matcher(rest).matches()) {
            throw refused("The path holds characters that must be percent-encoded");
        }
        String lower = rest.toLowerCase(Locale.ROOT);
        for (String encoding : FORBIDDEN_ENCODINGS) {
            if (lower.contains(encoding)) {
                throw refused("Encoded slashes, backslashes, dots, percent signs and NUL are not allowed in the path");
            }
        }
        if (SCHEME.matcher(rest).lookingAt()) {
            throw refused("An absolute URL is not allowed in the path");
        }
        if (rest.startsWith("/") || rest.contains("//")) {
            throw refused("Empty path segments are not allowed");
        }
        for (String segment : rest.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw refused("Dot segments are not allowed in the path");
            }
        }
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(ProblemType.BAD_REQUEST, detail);
    }
}
