package org.socsecgateway.codelist.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A response body rendered once and served many times, with its strong entity tag (RFC 9110 section 8.8.3): the
 * first 128 bits of the body's SHA-256, so every replica gives the same content the same tag.
 */
public record Rendered(byte[] body, String etag) {

    /** Renders {@code body}'s tag. */
    public static Rendered of(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new Rendered(body, '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + '"');
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    /**
     * True when an {@code If-None-Match} field value names this representation (RFC 9110 section 13.1.2: {@code *} or a
     * comma-separated list of tags, compared weakly, so {@code W/"x"} matches {@code "x"}).
     */
    public boolean matches(String ifNoneMatch) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(etag) || (t.startsWith("W/") && t.substring(2).equals(etag))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return etag + " (" + body.length + " bytes: " + new String(body, 0, Math.min(body.length, 40), StandardCharsets.UTF_8) + "…)";
    }
}
