package org.socsecgateway.tokenbroker.client;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The RFC 8414 members the broker uses. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuthorizationServerMetadata(
        @JsonProperty("issuer") String issuer,
        @JsonProperty("token_endpoint") String tokenEndpoint,
        @JsonProperty("token_endpoint_auth_methods_supported") List<String> authMethods,
        @JsonProperty("token_endpoint_auth_signing_alg_values_supported") List<String> signingAlgorithms) {
}
