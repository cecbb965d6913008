package org.socsecgateway.tokenbroker.health;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.socsecgateway.tokenbroker.service.TokenCache;

/**
 * Alive while the background refresher keeps running: if it stalls, tokens stop being renewed ahead of expiry
 * and a restart is the cure.
 */
@Liveness
@ApplicationScoped
public class TokenRefreshLiveness implements HealthCheck {

    private static final Duration STALLED_AFTER = Duration.ofMinutes(2);

    private final TokenCache cache;
    private final Clock clock;

    TokenRefreshLiveness(TokenCache cache, Clock clock) {
        this.cache = cache;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        Duration since = Duration.between(cache.lastSweep(), clock.instant());
        return HealthCheckResponse.named("token-refresher")
                .status(since.compareTo(STALLED_AFTER) < 0)
                .withData("lastRunSecondsAgo", since.toSeconds())
                .build();
    }
}
