package org.socsecgateway.bcssproxy.health;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.socsecgateway.bcssproxy.client.BcssGatewayClient;

/** Not ready while the client certificate for mutual TLS towards BCSS is missing or expired. */
@Readiness
@ApplicationScoped
public class GatewayTlsReadiness implements HealthCheck {

    private final BcssGatewayClient gateway;

    GatewayTlsReadiness(BcssGatewayClient gateway) {
        this.gateway = gateway;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("bcss-client-certificate");
        Optional<X509Certificate> certificate = gateway.clientCertificate();
        if (certificate.isEmpty()) {
            return response.down().withData("reason", "no client certificate configured for mutual TLS towards BCSS").build();
        }
        Instant notAfter = certificate.get().getNotAfter().toInstant();
        response.withData("subject", certificate.get().getSubjectX500Principal().getName()).withData("notAfter", notAfter.toString());
        return Instant.now().isAfter(notAfter)
                ? response.down().withData("reason", "client certificate expired").build()
                : response.up().build();
    }
}
