package org.socsecgateway.simulators.admin;

import org.socsecgateway.simulators.oauth.Faults;

import java.time.Duration;

/**
 * The OAuth simulator's faults as JSON. In a PUT every field is optional and an absent field takes its
 * "no fault" value, so a PUT always describes the complete new state.
 *
 * @param failCount -1 = every request fails, 0 = none, n = the next n requests
 */
record FaultsDocument(Long latencyMs, Integer failStatus, Integer failCount, Boolean refuseConnections,
                      Long tokenLifetimeSeconds) {

    static FaultsDocument of(Faults faults) {
        return new FaultsDocument(faults.latency().toMillis(), faults.failStatus(), faults.failRemaining(),
                faults.refusingConnections(), faults.tokenLifetime().toSeconds());
    }

    /** @throws IllegalArgumentException when a value is out of range (nothing is changed then) */
    void applyTo(Faults faults) {
        FailureFields failures = FailureFields.checked(latencyMs, failStatus, failCount);
        if (tokenLifetimeSeconds != null && tokenLifetimeSeconds <= 0) {
            throw new IllegalArgumentException("tokenLifetimeSeconds must be positive");
        }
        failures.replace(faults);
        if (tokenLifetimeSeconds != null) {
            faults.tokenLifetime(Duration.ofSeconds(tokenLifetimeSeconds));
        }
        faults.refuseConnections(Boolean.TRUE.equals(refuseConnections));
    }
}
