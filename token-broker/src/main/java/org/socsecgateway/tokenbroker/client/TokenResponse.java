package org.socsecgateway.tokenbroker.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A successful RFC 6749 section 5.1 token response as received. The token is opaque to us; {@code expires_in} is
 * kept as the JSON value it was (number of any size, string, absent) and judged by the token fetcher.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") JsonNode expiresIn,
        @JsonProperty("scope") String scope) {

    @Override
    public String toString() {
        return "TokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + ", scope=" + scope + "]";
    }
}
