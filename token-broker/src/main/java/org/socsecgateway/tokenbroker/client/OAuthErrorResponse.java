package org.socsecgateway.tokenbroker.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An RFC 6749 section 5.2 error answer. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
record OAuthErrorResponse(@JsonProperty("error") String error, @JsonProperty("error_description") String description) {
}
