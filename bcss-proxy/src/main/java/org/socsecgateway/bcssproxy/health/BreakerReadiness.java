package org.socsecgateway.bcssproxy.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.socsecgateway.bcssproxy.service.ApiRegistry;
import org.socsecgateway.bcssproxy.service.ApiRoute;

/**
 * Shows each API's circuit state. An open circuit does not make the pod unready: every pod sees the same BCSS, and
 * callers get a clear 503 with Retry-After instead of no answer.
 */
@Readiness
@ApplicationScoped
public class BreakerReadiness implements HealthCheck {

    private final ApiRegistry registry;

    BreakerReadiness(ApiRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("bcss-apis").up();
        for (ApiRoute api : registry.all()) {
            response.withData(api.name(), api.guard().state().name().toLowerCase() + ", " + api.guard().inFlight() + " in flight, "
                    + api.guard().waiting() + " waiting");
        }
        return response.build();
    }
}
