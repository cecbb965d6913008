package org.socsecgateway.tokenbroker.rest;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Answer of {@code POST /v1/tokens}: an RFC 6749 token response plus the absolute expiry. */
@RegisterForReflection
public record TokenView(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("scope") String scope) {

    @Override
    public String toString() {
        return "TokenView[expiresAt=" + expiresAt + ", scope=" + scope + "]";
    }
}
