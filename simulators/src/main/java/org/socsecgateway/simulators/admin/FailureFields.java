package org.socsecgateway.simulators.admin;

import org.socsecgateway.simulators.internal.InjectedFailures;

import java.time.Duration;

/** The latency and failure fields of both fault documents, defaulted and checked. */
record FailureFields(long latencyMs, Integer failStatus, int failCount) {

    /**
     * Absent values mean "no fault".
     *
     * @throws IllegalArgumentException when a value is out of range
     */
    static FailureFields checked(Long latencyMs, Integer failStatus, Integer failCount) {
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
        return new FailureFields(latency, failStatus, count);
    }

    /** Clears every fault, then sets these. */
    void replace(InjectedFailures<?> faults) {
        faults.clear();
        faults.latency(Duration.ofMillis(latencyMs));
        if (failCount == -1) {
            faults.failAlways(failStatus);
        } else if (failCount > 0) {
            faults.failNext(failStatus, failCount);
        }
    }
}
