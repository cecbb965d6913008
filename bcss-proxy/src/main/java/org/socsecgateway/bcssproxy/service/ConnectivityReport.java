package org.socsecgateway.bcssproxy.service;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The "test de la configuration" of BCSS's onboarding procedure (docs/partners.md, "Calling a REST API"), step by step, with a hint an operator can act on for each failure. */
@RegisterForReflection
public record ConnectivityReport(String environment, String channel, Status overall, Instant checkedAt, long durationMs,
        List<Step> steps) {

    public enum Status {
        PASS,
        FAIL,
        SKIPPED
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(String step, String target, Status status, long durationMs, String detail, String hint) {
    }
}
