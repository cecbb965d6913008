package org.socsecgateway.bcssproxy.service;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;

/**
 * Splits {@code /v1/bcss/{api}/{rest}} and refuses anything that could steer a request away from the configured
 * API, or that another server could read differently from this one. The check runs on the raw (still encoded)
 * path, so what is checked is exactly what is sent; each segment is also percent-decoded (strict UTF-8) to see what
 * a server behind BCSS would see. Each refusal names its {@linkplain Refused#reason() reason}, one of a fixed set.
 */
public final class PathGuard {

    public static final String PREFIX = "/v1/bcss/";

    /** Reasons, used as the {@code reason} of {@code proxy_refused_total} and in the audit line. */
    public static final String API_NAME = "path_api_name";
    public static final String PATH_CHARACTER = "path_character";
    public static final String PATH_ENCODING = "path_encoding";
    public static final String PATH_DOT_SEGMENT = "path_dot_segment";
    public static final String PATH_PARAMETER = "path_parameter";
    public static final String PATH_ENCODED_DELIMITER = "path_encoded_delimiter";
    public static final String PATH_DOUBLE_ENCODING = "path_double_encoding";
    public static final String PATH_CONTROL_CHARACTER = "path_control_character";
    public static final String PATH_EMPTY_SEGMENT = "path_empty_segment";
    public static final String PATH_ABSOLUTE_URL = "path_absolute_url";
    public static final String QUERY_CHARACTER = "query_character";
    public static final String QUERY_ENCODING = "query_encoding";

    private static final Pattern API_NAME_SYNTAX = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** RFC 3986 pchar and '/', without ';' (matrix parameters, which BCSS APIs do not use). */
    private static final Pattern PATH_CHARS = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,=:@%/]*");
    private static final Pattern QUERY_CHARS = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,;=:@%/?]*");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:");

    /** The API named in the path and the rest of the path (without leading slash), query kept apart. */
    public record Target(String api, String rest, String query) {
    }

    /** A refused path: 400 {@code badRequest}, with the reason for the metric and the audit line. */
    public static final class Refused extends ProblemException {

        private final String reason;

        Refused(String reason, String detail) {
            super(ProblemType.BAD_REQUEST, detail);
            this.reason = reason;
        }

        /** One of this class's reason constants. */
        public String reason() {
            return reason;
        }
    }

    private PathGuard() {
    }

    /**
     * @param rawPath  the request path as received, still percent-encoded
     * @param rawQuery the query as received, or {@code null}
     * @throws Refused when the path or query is not one this proxy forwards
     */
    public static Target parse(String rawPath, String rawQuery) {
        if (rawPath == null || !rawPath.startsWith(PREFIX)) {
            if (rawPath != null && rawPath.startsWith("/")) {
                checkSegments(rawPath.substring(1)); // e.g. /v1/./bcss/…: a more telling reason
            }
            throw new Refused(API_NAME, "The path must start with " + PREFIX);
        }
        String remainder = rawPath.substring(PREFIX.length());
        int slash = remainder.indexOf('/');
        String api = slash < 0 ? remainder : remainder.substring(0, slash);
        String rest = slash < 0 ? "" : remainder.substring(slash + 1);
        if (!API_NAME_SYNTAX.matcher(api).matches()) {
            checkSegments(api); // a more telling reason when the API segment is itself an attack
            throw new Refused(API_NAME, "The API name must be lower-case letters, digits and dashes");
        }
        checkPath(rest);
        if (rawQuery != null) {
            if (!QUERY_CHARS.matcher(rawQuery).matches()) {
                throw new Refused(QUERY_CHARACTER, "The query string holds characters that must be percent-encoded");
            }
            if (decode(rawQuery) == null) {
                throw new Refused(QUERY_ENCODING, "The query string holds invalid percent-encoding or bytes that are not UTF-8");
            }
        }
        return new Target(api, rest, rawQuery == null || rawQuery.isEmpty() ? null : rawQuery);
    }

    private static void checkPath(String rest) {
        checkSegments(rest);
        if (SCHEME.matcher(rest).lookingAt()) {
            throw new Refused(PATH_ABSOLUTE_URL, "An absolute URL is not allowed in the path");
        }
        if (rest.startsWith("/") || rest.contains("//")) {
            throw new Refused(PATH_EMPTY_SEGMENT, "Empty path segments are not allowed");
        }
    }

    private static void checkSegments(String path) {
        for (String segment : path.split("/", -1)) {
            int semicolon = segment.indexOf(';');
            String name = decode(semicolon < 0 ? segment : segment.substring(0, semicolon));
            if (".".equals(name) || "..".equals(name)) {
                // also "..;x": servers that drop ';' parameters before resolving dot segments read ".."
                throw new Refused(PATH_DOT_SEGMENT, "Dot segments are not allowed in the path");
            }
        }
        if (path.indexOf(';') >= 0) {
            throw new Refused(PATH_PARAMETER, "Path parameters (';') are not allowed");
        }
        if (!PATH_CHARS.matcher(path).matches()) {
            throw new Refused(PATH_CHARACTER, "The path holds characters that must be percent-encoded");
        }
        for (String segment : path.split("/", -1)) {
            String decoded = decode(segment);
            if (decoded == null) {
                throw new Refused(PATH_ENCODING, "The path holds invalid percent-encoding or bytes that are not UTF-8");
            }
            if (segment.toLowerCase(Locale.ROOT).contains("%2e")) {
                throw new Refused(PATH_DOT_SEGMENT, "Encoded dots are not allowed in the path");
            }
            for (int i = 0; i < decoded.length(); i++) {
                char c = decoded.charAt(i);
                if (c == '/' || c == '\\' || c == ';') {
                    throw new Refused(PATH_ENCODED_DELIMITER, "Encoded slashes, backslashes and semicolons are not allowed in the path");
                }
                if (c == '%') {
                    throw new Refused(PATH_DOUBLE_ENCODING, "Encoded percent signs (double encoding) are not allowed in the path");
                }
                if (Character.isISOControl(c)) {
                    throw new Refused(PATH_CONTROL_CHARACTER, "Control characters (NUL included) are not allowed in the path");
                }
            }
        }
    }

    /**
     * Percent-decodes {@code raw} and reads the bytes as strict UTF-8 (overlong forms such as {@code %c0%ae} and
     * {@code %e0%80%ae} are malformed); {@code null} when a {@code %} is not followed by two hex digits (as in
     * {@code %u002e}) or the bytes are not UTF-8.
     */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                bytes.write(c); // callers check the raw characters (ASCII) first, or only compare the result
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
