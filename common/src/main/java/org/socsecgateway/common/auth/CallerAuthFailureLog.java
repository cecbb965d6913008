package org.socsecgateway.common.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;
import org.socsecgateway.common.log.RateLimitedLog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.spi.runtime.AuthenticationFailureEvent;
import io.vertx.ext.web.RoutingContext;

/**
 * Says why a caller's bearer token was refused (401): one WARN line with the reason ({@link Reason}), the request
 * line, the token's {@code kid} and {@code sub} when they can be read, never the token itself. Lines are
 * rate-limited per reason; an unknown {@code kid} gets a line of its own (also rate-limited, and bounded in number),
 * because it is also what a rotation of the issuer's signing key looks like until the JWKS is fetched again.
 * <p>
 * Installed in every service by being here: it observes Quarkus security's {@link AuthenticationFailureEvent},
 * which is fired for every failed bearer-token authentication, eager or lazy. Requests without a token fail no
 * authentication; {@link #noToken(String, String)} is for the places that refuse those.
 */
@ApplicationScoped
public class CallerAuthFailureLog {

    private static final Logger LOG = Logger.getLogger(CallerAuthFailureLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SEGMENT = 8 * 1024;

    /** Why a token was refused. */
    public enum Reason {
        NO_TOKEN("no bearer token", false),
        OTHER_MECHANISM("authentication without a bearer token failed (e.g. a client certificate)", false),
        MALFORMED("not a well-formed JWT", false),
        UNKNOWN_KID("signed with a key (kid) that is not in the issuer's JWKS", false),
        BAD_SIGNATURE("bad signature", false),
        EXPIRED("expired", true),
        NOT_YET_VALID("not yet valid (nbf/iat in the future)", true),
        WRONG_ISSUER("wrong issuer", true),
        WRONG_AUDIENCE("wrong audience", true),
        MISSING_CLAIM("a required claim is missing", true),
        INVALID("invalid claims", true);

        private final String text;
        private final boolean signatureChecked;

        Reason(String text, boolean signatureChecked) {
            this.text = text;
            this.signatureChecked = signatureChecked;
        }

        public String text() {
            return text;
        }

        /** The signature was verified before this was found, so the claims really come from the issuer. */
        boolean trustsClaims() {
            return signatureChecked;
        }
    }

    private final RateLimitedLog byReason;
    private final RateLimitedLog byKid = new RateLimitedLog(LOG, Duration.ofMinutes(5), 32);

    /**
     * @param interval {@code socsec.caller-auth.refusal-log-interval}: at most one line per reason within this time
     *                 (default 10 s); lines for an unknown {@code kid} are limited to one per kid and 5 minutes
     */
    CallerAuthFailureLog(@ConfigProperty(name = "socsec.caller-auth.refusal-log-interval", defaultValue = "10s") Duration interval) {
        this.byReason = new RateLimitedLog(LOG, interval, Reason.values().length);
    }

    void onFailure(@Observes AuthenticationFailureEvent event) {
        Object context = event.getEventProperties().get(RoutingContext.class.getName());
        RoutingContext ctx = context instanceof RoutingContext routing ? routing : null;
        String authorization = ctx == null ? null : ctx.request().getHeader("Authorization");
        String request = ctx == null ? "?" : ctx.request().method().name() + " " + pathForLog(ctx.normalizedPath());
        // the structure is checked here: the libraries report a malformed token in many different ways
        TokenFacts facts = TokenFacts.read(authorization);
        Reason reason = !facts.bearer() ? Reason.OTHER_MECHANISM
                : facts.wellFormed() ? reasonOf(event.getAuthenticationFailure()) : Reason.MALFORMED;
        log(reason, request, authorization);
    }

    /** For a refusal of a request that carried no bearer token at all. */
    public void noToken(String method, String path) {
        log(Reason.NO_TOKEN, method + " " + pathForLog(path), null);
    }

    void log(Reason reason, String request, String authorization) {
        TokenFacts facts = TokenFacts.read(authorization);
        String subject = facts.subject().map(sub -> (reason.trustsClaims() ? " subject=" : " unverified subject=") + sub).orElse("");
        String kid = facts.kid().map(k -> " kid=" + k).orElse("");
        if (reason == Reason.UNKNOWN_KID) {
            byKid.warnf("kid:" + facts.kid().orElse(""),
                    "401 for %s: %s%s%s. A junk kid, or the issuer rotated its key: the JWKS (%s) is fetched again for an"
                            + " unknown kid at most every %s min (smallrye.jwt.jwks.forced-refresh-interval)",
                    request, reason.text(), kid, subject, setting("mp.jwt.verify.publickey.location"),
                    setting("smallrye.jwt.jwks.forced-refresh-interval"));
            return;
        }
        byReason.warnf(reason.name(), "401 for %s: %s%s%s", request, reason.text(), kid, subject);
    }

    /** Classifies the failure by the exceptions of smallrye-jwt and jose4j in its cause chain. */
    static Reason reasonOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnresolvableKeyException) {
                return Reason.UNKNOWN_KID;
            }
            if (t instanceof InvalidJwtException invalid) {
                if (invalid.getCause() instanceof UnresolvableKeyException) {
                    return Reason.UNKNOWN_KID;
                }
                if (invalid.hasExpired()) {
                    return Reason.EXPIRED;
                }
                if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || invalid.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
                    return Reason.BAD_SIGNATURE;
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                    return Reason.WRONG_ISSUER;
                }
                if (invalid.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || invalid.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
                    return Reason.WRONG_AUDIENCE;
                }
                if (invalid.hasErrorCode(ErrorCodes.NOT_YET_VALID) || invalid.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
                    return Reason.NOT_YET_VALID;
                }
                if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING) || invalid.hasErrorCode(ErrorCodes.SUBJECT_MISSING)
                        || invalid.hasErrorCode(ErrorCodes.ISSUED_AT_MISSING)) {
                    return Reason.MISSING_CLAIM;
                }
                if (invalid.getJwtContext() == null) {
                    return Reason.MALFORMED;
                }
            }
        }
        return Reason.INVALID;
    }

    private static String setting(String name) {
        return ConfigProvider.getConfig().getOptionalValue(name, String.class).orElse("default");
    }

    /** Printable ASCII only, cut to {@code max}: header and claim values come from the caller. */
    /**
     * The path as far as it names the endpoint: at most its first three segments ({@code /v1/bcss/demo}), with runs
     * of six or more digits masked. Further segments can hold a national number (SSIN, CPR) and are left out.
     */
    static String pathForLog(String path) {
        if (path == null) {
            return "";
        }
        String[] segments = path.split("/", 5); // "", v1, bcss, api, rest
        String kept = segments.length > 4 ? String.join("/", segments[0], segments[1], segments[2], segments[3]) + "/..." : path;
        return printable(kept.replaceAll("[0-9]{6,}", "#"), 100);
    }

    static String printable(String text, int max) {
        if (text == null) {
            return "";
        }
        String cleaned = text.length() > max ? text.substring(0, max) + "..." : text;
        return cleaned.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /**
     * The {@code kid} header and {@code sub} claim of a bearer JWT, read without trusting or logging it, and whether
     * it has the JWS compact form at all (three base64url parts, the first two JSON objects; RFC 7515 section 7.1).
     */
    record TokenFacts(boolean bearer, boolean wellFormed, Optional<String> kid, Optional<String> subject) {

        static TokenFacts read(String authorization) {
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return new TokenFacts(false, false, Optional.empty(), Optional.empty());
            }
            String[] parts = authorization.substring(7).trim().split("\\.", -1);
            if (parts.length != 3) {
                return new TokenFacts(true, false, Optional.empty(), Optional.empty());
            }
            Optional<JsonNode> header = object(parts[0]);
            Optional<JsonNode> payload = object(parts[1]);
            return new TokenFacts(true, header.isPresent() && payload.isPresent(), header.flatMap(h -> text(h, "kid")),
                    payload.flatMap(p -> text(p, "sub")));
        }

        private static Optional<JsonNode> object(String segment) {
            if (segment.length() > MAX_SEGMENT) {
                return Optional.empty();
            }
            try {
                JsonNode node = JSON.readTree(new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8));
                return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
            } catch (Exception e) { // not base64url or not JSON: nothing to report
                return Optional.empty();
            }
        }

        private static Optional<String> text(JsonNode node, String name) {
            JsonNode value = node.get(name);
            return value != null && value.isTextual() ? Optional.of(printable(value.textValue(), 128)) : Optional.empty();
        }
    }
}
