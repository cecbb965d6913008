package org.socsecgateway.tokenbroker.rest;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Answer of {@code POST /v1/tokens}: an RFC 6749 token response plus the absolute expiry. */
@RegisterForReflection
public record TokenView(
        @Schema(description = "The BCSS access token, for `Authorization: Bearer` towards the BCSS REST gateway")
        @JsonProperty("access_token") String accessToken,
        @Schema(description = "Always `Bearer`")
        @JsonProperty("token_type") String tokenType,
        @Schema(description = "Seconds the token is still valid (RFC 6749 §5.1)")
        @JsonProperty("expires_in") long expiresIn,
        @Schema(description = "When the token expires")
        @JsonProperty("expires_at") Instant expiresAt,
        @Schema(description = "The scopes granted, space-separated (RFC 6749 §3.3)")
        @JsonProperty("scope") String scope) {

    @Override
    public String toString() {
        return "TokenView[expiresAt=" + expiresAt + ", scope=" + scope + "]";
    }
}
