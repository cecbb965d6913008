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
        long latency = latencyMs == null ? 0 : latencyMs;
        int count = failCount == null ? 0 : failCount;
        int throttled = tooManyRequests == null ? 0 : tooManyRequests;
        long retryAfter = retryAfterSeconds == null ? DEFAULT_RETRY_AFTER_SECONDS : retryAfterSeconds;
        int drops = dropConnections == null ? 0 : dropConnections;
        if (latency < 0) {
            throw new IllegalArgumentException("latencyMs must not be negative");
        }
        if (count < -1) {
            throw new IllegalArgumentException("failCount must be -1 (always), 0 (none) or a positive count");
        }
        if (count != 0 && (failStatus == null || failStatus < 400 || failStatus > 599)) {
            throw new IllegalArgumentException("failStatus must be an HTTP error status (400-599) when failCount is not 0");
        }
        if (throttled < 0) {
            throw new IllegalArgumentException("tooManyRequests must not be negative");
        }
        if (retryAfter < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must not be negative");
        }
        if (drops < 0) {
            throw new IllegalArgumentException("dropConnections must not be negative");
        }
        faults.clear();
        faults.latency(Duration.ofMillis(latency));
        if (count == -1) {
            faults.failAlways(failStatus);
        } else if (count > 0) {
            faults.failNext(failStatus, count);
        }
        if (throttled > 0) {
            faults.tooManyRequests(throttled, Duration.ofSeconds(retryAfter));
        }
        faults.dropConnections(drops);
    }
}
