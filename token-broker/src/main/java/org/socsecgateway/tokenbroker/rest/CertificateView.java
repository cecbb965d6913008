package org.socsecgateway.tokenbroker.rest;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Public facts about a loaded certificate, for operators and for onboarding at BCSS. Never key material. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertificateView(
        String purpose,
        boolean loaded,
        String problem,
        String subject,
        String issuer,
        String serialNumber,
        Instant notBefore,
        Instant notAfter,
        Long daysLeft,
        String sha256Thumbprint,
        String x5tS256,
        String publicPem) {
}
