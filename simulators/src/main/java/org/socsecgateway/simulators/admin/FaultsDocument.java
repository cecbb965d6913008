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
        long latency = latencyMs == null ? 0 : latencyMs;
        int count = failCount == null ? 0 : failCount;
        if (latency < 0) {
            throw new IllegalArgumentException("latencyMs must not be negative");
        }
        if (count < -1) {
            throw new IllegalArgumentException("failCount must be -1 (always), 0 (none) or a positive count");
        }
        if (count != 0 && (failStatus == null || failStatus < 400 || failStatus > 599)) {
            throw new IllegalArgumentException("failStatus must be an HTTP error status (400-599) when failCount is not 0");
        }
        if (tokenLifetimeSeconds != null && tokenLifetimeSeconds <= 0) {
            throw new IllegalArgumentException("tokenLifetimeSeconds must be positive");
        }
        faults.clear();
        faults.latency(Duration.ofMillis(latency));
        if (count == -1) {
            faults.failAlways(failStatus);
        } else if (count > 0) {
            faults.failNext(failStatus, count);
        }
        if (tokenLifetimeSeconds != null) {
            faults.tokenLifetime(Duration.ofSeconds(tokenLifetimeSeconds));
        }
        faults.refuseConnections(Boolean.TRUE.equals(refuseConnections));
    }
}
