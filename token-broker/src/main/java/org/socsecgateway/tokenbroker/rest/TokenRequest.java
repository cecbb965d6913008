package org.socsecgateway.tokenbroker.rest;

import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Body of {@code POST /v1/tokens}. */
@RegisterForReflection
public record TokenRequest(
        @Schema(description = "Scopes wanted; empty or absent means the client's default scopes",
                examples = "[\"scope:cbss:api:demo:consult\"]")
        @Size(max = 32, message = "at most 32 scopes")
        List<@NotNull(message = "must be an RFC 6749 scope token, not null") @Pattern(regexp = "[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,256}", message = "must be an RFC 6749 scope token") String> scopes) {
}
