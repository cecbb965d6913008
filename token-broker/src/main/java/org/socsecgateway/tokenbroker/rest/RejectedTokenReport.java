package org.socsecgateway.tokenbroker.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Body of {@code POST /v1/tokens/rejected}: a token the BCSS gateway refused as invalid or expired. */
@RegisterForReflection
public record RejectedTokenReport(@JsonProperty("access_token") @NotBlank @Size(max = 8192) String accessToken) {

    @Override
    public String toString() {
        return "RejectedTokenReport[redacted]";
    }
}
