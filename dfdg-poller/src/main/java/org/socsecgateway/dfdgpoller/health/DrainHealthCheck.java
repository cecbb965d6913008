package org.socsecgateway.dfdgpoller.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.socsecgateway.dfdgpoller.config.PollerConfig;
import org.socsecgateway.dfdgpoller.service.DrainState;

/**
 * DOWN when no drain emptied the queue for {@code poller.schedule.unhealthy-after-intervals} intervals (counted from
 * the start while there was none yet): DFDG, the certificate or wsb-receiver needs a look. Readiness, not liveness:
 * restarting the poller does not fix any of those.
 */
@Readiness
@ApplicationScoped
public class DrainHealthCheck implements HealthCheck {

    private final DrainState state;
    private final Duration limit;
    private final Clock clock;

    @Inject
    DrainHealthCheck(DrainState state, PollerConfig config) {
        this(state, config.schedule().every().multipliedBy(config.schedule().unhealthyAfterIntervals())
                .plus(config.schedule().initialDelay()), Clock.systemUTC());
    }

    /** @param limit how long without a successful drain is still healthy */
    DrainHealthCheck(DrainState state, Duration limit, Clock clock) {
        this.state = state;
        this.limit = limit;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        Instant since = state.lastSuccess().orElse(state.startedAt());
        Duration quiet = Duration.between(since, clock.instant());
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("wsrm-drain")
                .withData("lastSuccess", state.lastSuccess().map(Instant::toString).orElse("none since start"))
                .withData("limit", limit.toString());
        return (quiet.compareTo(limit) > 0 ? builder.down() : builder.up()).build();
    }
}
