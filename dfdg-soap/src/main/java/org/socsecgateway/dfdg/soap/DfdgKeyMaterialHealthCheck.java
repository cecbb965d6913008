package org.socsecgateway.dfdg.soap;

import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.socsecgateway.common.tls.Certificates;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;

/**
 * Ready only with usable key material (every service that calls DFDG: found when it indexes this jar) in the {@code dfdg} TLS configuration: the organisation's FOCES certificate
 * (present, not expired) and a trust store for STAR's server certificate. Also publishes the days left on both, since
 * an expired FOCES certificate stops every call in the TLS handshake and nothing else would show why. Created at start,
 * so that both gauges are exported before the first readiness check (the chart's certificate alerts rely on them).
 */
@Startup
@Readiness
@ApplicationScoped
public class DfdgKeyMaterialHealthCheck implements HealthCheck {

    /** The TLS configuration every DFDG client uses. */
    public static final String TLS_CONFIGURATION = "dfdg";

    private final TlsConfigurationRegistry tls;
    private final MeterRegistry meters;
    private final java.util.List<Gauge> gauges;

    DfdgKeyMaterialHealthCheck(TlsConfigurationRegistry tls, MeterRegistry meters) {
        this.tls = tls;
        this.meters = meters;
        this.gauges = java.util.List.of(
                Gauge.builder("dfdg_client_certificate_days_left", this, DfdgKeyMaterialHealthCheck::clientDaysLeft)
                        .description("Days until the FOCES client certificate expires (NaN without one)").register(meters),
                Gauge.builder("dfdg_server_trust_certificate_days_left", this, DfdgKeyMaterialHealthCheck::trustDaysLeft)
                        .description("Days until the first certificate in the DFDG trust store (STAR's server certificate or"
                                + " its CA) expires").register(meters));
    }

    /** The gauges read this instance: a registry that outlives it (tests restart the application) must not keep it. */
    @jakarta.annotation.PreDestroy
    void removeGauges() {
        gauges.forEach(meters::remove);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("dfdg-key-material");
        Optional<TlsConfiguration> config = tls.get(TLS_CONFIGURATION);
        Optional<X509Certificate> client = config.flatMap(c -> Certificates.first(c.getKeyStore()));
        Optional<X509Certificate> trusted = config.flatMap(c -> Certificates.earliestExpiring(c.getTrustStore()));
        client.ifPresent(c -> builder.withData("clientNotAfter", c.getNotAfter().toInstant().toString()));
        trusted.ifPresent(c -> builder.withData("trustNotAfter", c.getNotAfter().toInstant().toString()));
        if (client.isEmpty()) {
            return builder.withData("problem", "no client certificate in quarkus.tls.dfdg key store").down().build();
        }
        if (client.get().getNotAfter().before(new Date())) {
            return builder.withData("problem", "the client certificate has expired").down().build();
        }
        if (trusted.isEmpty()) {
            return builder.withData("problem", "no trust store in quarkus.tls.dfdg: STAR's certificate cannot be checked")
                    .down().build();
        }
        return builder.up().build();
    }

    private double clientDaysLeft() {
        return Certificates.daysLeft(tls.get(TLS_CONFIGURATION).flatMap(c -> Certificates.first(c.getKeyStore())));
    }

    private double trustDaysLeft() {
        return Certificates.daysLeft(tls.get(TLS_CONFIGURATION).flatMap(c -> Certificates.earliestExpiring(c.getTrustStore())));
    }
}
