package org.socsecgateway.tokenbroker.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/** An access token obtained from Smals, with when to refresh it and when it stops being handed out. */
public record AccessToken(String value, String scope, Instant obtainedAt, Instant expiresAt, Instant refreshAt) {

    /** Lets a reported token be matched without comparing secrets in variable time. */
    boolean sameAs(String reported) {
        return MessageDigest.isEqual(sha256(value), sha256(reported));
    }

    @Override
    public String toString() {
        return "AccessToken[scope=" + scope + ", expiresAt=" + expiresAt + "]";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
