package org.socsecgateway.dfdgpoller.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.socsecgateway.dfdgpoller.service.DrainState;

/** DOWN once no drain emptied the queue for 3 intervals (15 min 10 s with the defaults), counted from the start. */
class DrainHealthCheckTest {

    private static final Duration LIMIT = Duration.ofMinutes(15).plusSeconds(10);

    private static HealthCheckResponse.Status at(DrainState state, Duration afterStart) {
        Clock clock = Clock.fixed(state.startedAt().plus(afterStart), ZoneOffset.UTC);
        return new DrainHealthCheck(state, LIMIT, clock).call().getStatus();
    }

    @Test
    void upUntilThreeIntervalsPassWithoutASuccessfulDrain() {
        DrainState state = new DrainState();
        assertThat(at(state, Duration.ZERO)).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(at(state, LIMIT)).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(at(state, LIMIT.plusSeconds(1))).isEqualTo(HealthCheckResponse.Status.DOWN);
    }

    @Test
    void aSuccessfulDrainStartsTheCountAgain() {
        DrainState state = new DrainState();
        Instant success = state.startedAt().plus(Duration.ofMinutes(14));
        state.succeeded(success);
        assertThat(at(state, Duration.ofMinutes(20))).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(at(state, Duration.ofMinutes(14).plus(LIMIT).plusSeconds(1))).isEqualTo(HealthCheckResponse.Status.DOWN);
    }
}
