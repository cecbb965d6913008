package org.socsecgateway.simulators.oauth;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The opaque access tokens handed out, kept for introspection and revocation, and for {@link #RETENTION} after
 * they expire, so that the REST-gateway simulator can still tell an expired token from one it never issued.
 */
final class IssuedTokens {

    private static final Duration PURGE_INTERVAL = Duration.ofSeconds(1);
    /** How long an expired (or revoked) token stays known after its expiry. */
    static final Duration RETENTION = Duration.ofMinutes(10);

    private final SecureRandom random = new SecureRandom();
    private final ConcurrentMap<String, IssuedToken> byValue = new ConcurrentHashMap<>();
    private volatile Instant nextPurge = Instant.MIN;

    /** @return the new access token value */
    String issue(String clientId, Set<String> scopes, Instant now, Duration lifetime) {
        purgeIfDue(now);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        byValue.put(value, new IssuedToken(clientId, scopes, now.plus(lifetime), false));
        return value;
    }

    Optional<IssuedToken> active(String value, Instant now) {
        return Optional.ofNullable(value).map(byValue::get).filter(token -> token.activeAt(now));
    }

    /** The token as issued, also when it has expired (up to {@link #RETENTION} ago) or was revoked. */
    Optional<IssuedToken> find(String value) {
        return Optional.ofNullable(value).map(byValue::get);
    }

    void revoke(String value) {
        if (value != null) {
            byValue.computeIfPresent(value, (v, token) -> token.asRevoked());
        }
    }

    void revokeAll() {
        byValue.replaceAll((v, token) -> token.asRevoked());
    }

    /** Makes every token issued so far expire now, as if its lifetime had run out early. */
    void expireAll(Instant now) {
        byValue.replaceAll((v, token) -> token.expiresAt().isAfter(now)
                ? new IssuedToken(token.clientId(), token.scopes(), now, token.revoked()) : token);
    }

    private void purgeIfDue(Instant now) {
        if (now.isAfter(nextPurge)) {
            nextPurge = now.plus(PURGE_INTERVAL); // expired tokens are dropped lazily, at most once a second
            Instant cutoff = now.minus(RETENTION);
            byValue.values().removeIf(token -> !cutoff.isBefore(token.expiresAt()));
        }
    }
}
