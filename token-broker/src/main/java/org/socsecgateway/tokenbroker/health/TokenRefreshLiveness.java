package org.socsecgateway.tokenbroker.health;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.socsecgateway.tokenbroker.config.BrokerConfig;
import org.socsecgateway.tokenbroker.service.TokenCache;

import io.quarkus.runtime.configuration.DurationConverter;

/**
 * Alive while the background refresher keeps running: if it stalls, tokens stop being renewed ahead of expiry
 * and a restart is the cure. "Stalled" is measured against the configured {@code broker.cache.sweep-interval}:
 * three missed runs plus {@link #MARGIN} for a busy machine (a fixed window would restart healthy pods with a
 * long interval and notice a stall late with a short one).
 */
@Liveness
@ApplicationScoped
public class TokenRefreshLiveness implements HealthCheck {

    static final Duration MARGIN = Duration.ofSeconds(5);

    private final TokenCache cache;
    private final Clock clock;
    private final Duration stalledAfter;

    TokenRefreshLiveness(TokenCache cache, Clock clock, BrokerConfig config) {
        this.cache = cache;
        this.clock = clock;
        this.stalledAfter = DurationConverter.parseDuration(config.cache().sweepInterval()).multipliedBy(3).plus(MARGIN);
    }

    @Override
    public HealthCheckResponse call() {
        Duration since = Duration.between(cache.lastSweep(), clock.instant());
        return HealthCheckResponse.named("token-refresher")
                .status(since.compareTo(stalledAfter) < 0)
                .withData("lastRunSecondsAgo", since.toSeconds())
                .withData("stalledAfterSeconds", stalledAfter.toSeconds())
                .build();
    }
}
