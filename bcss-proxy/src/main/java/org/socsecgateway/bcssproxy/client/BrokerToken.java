package org.socsecgateway.bcssproxy.client;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The token broker's answer to {@code POST /v1/tokens}. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record BrokerToken(@JsonProperty("access_token") String accessToken, @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("scope") String scope) {

    @Override
    public String toString() {
        return "BrokerToken[expiresAt=" + expiresAt + ", scope=" + scope + "]";
    }
}
