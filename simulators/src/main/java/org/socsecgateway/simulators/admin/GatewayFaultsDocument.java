package org.socsecgateway.simulators.admin;

import org.socsecgateway.simulators.gateway.GatewayFaults;

import java.time.Duration;

/**
 * The gateway simulator's faults as JSON. In a PUT every field is optional and an absent field takes its
 * "no fault" value, so a PUT always describes the complete new state.
 *
 * @param failCount         -1 = every API call fails, 0 = none, n = the next n calls
 * @param tooManyRequests   how many of the next API calls answer 429
 * @param retryAfterSeconds their {@code Retry-After}; default 1
 * @param dropConnections   how many of the next API calls get their connection closed without an answer
 */
record GatewayFaultsDocument(Long latencyMs, Integer failStatus, Integer failCount, Integer tooManyRequests,
                             Long retryAfterSeconds, Integer dropConnections) {

    private static final long DEFAULT_RETRY_AFTER_SECONDS = 1;

    static GatewayFaultsDocument of(GatewayFaults faults) {
        return new GatewayFaultsDocument(faults.latency().toMillis(), faults.failStatus(), faults.failRemaining(),
                faults.tooManyRequestsRemaining(), faults.retryAfter().toSeconds(), faults.dropConnectionsRemaining());
    }

    /** @throws IllegalArgumentException when a value is out of range (nothing is changed then) */
    void applyTo(GatewayFaults faults) {
        FailureFields failures = FailureFields.checked(latencyMs, failStatus, failCount);
        int throttled = tooManyRequests == null ? 0 : tooManyRequests;
        long retryAfter = retryAfterSeconds == null ? DEFAULT_RETRY_AFTER_SECONDS : retryAfterSeconds;
        int drops = dropConnections == null ? 0 : dropConnections;
        if (throttled < 0) {
            throw new IllegalArgumentException("tooManyRequests must not be negative");
        }
        if (retryAfter < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must not be negative");
        }
        if (drops < 0) {
            throw new IllegalArgumentException("dropConnections must not be negative");
        }
        failures.replace(faults);
        if (throttled > 0) {
            faults.tooManyRequests(throttled, Duration.ofSeconds(retryAfter));
        }
        faults.dropConnections(drops);
    }
}
