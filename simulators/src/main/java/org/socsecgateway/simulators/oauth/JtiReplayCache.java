package org.socsecgateway.simulators.oauth;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Remembers assertion ids ({@code jti}) until the assertion could no longer be accepted anyway
 * ({@code exp} + clock skew), so a replayed assertion is refused while forgetting is still safe.
 */
final class JtiReplayCache {

    private static final Duration PURGE_INTERVAL = Duration.ofSeconds(1);

    private final Duration clockSkew;
    private final ConcurrentMap<String, Instant> forgetAfter = new ConcurrentHashMap<>();
    private volatile Instant nextPurge = Instant.MIN;

    JtiReplayCache(Duration clockSkew) {
        this.clockSkew = clockSkew;
    }

    /** @return true the first time this issuer uses this jti, false for a replay */
    boolean firstUse(String issuer, String jti, Instant expiresAt, Instant now) {
        purgeIfDue(now);
        // keyed per issuer: jti values are only unique within one client
        return forgetAfter.putIfAbsent(issuer + '\n' + jti, expiresAt.plus(clockSkew)) == null;
    }

    private void purgeIfDue(Instant now) {
        if (now.isAfter(nextPurge)) {
            nextPurge = now.plus(PURGE_INTERVAL); // bounded cost under benchmark load
            forgetAfter.values().removeIf(now::isAfter);
        }
    }
}
