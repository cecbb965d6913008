package org.socsecgateway.codelist.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.socsecgateway.codelist.service.CodeListCatalog;
import org.socsecgateway.codelist.service.DanishTime;
import org.socsecgateway.codelist.service.Snapshot;

/**
 * Ready when every configured list has a good snapshot in memory: the service can answer for all of them, also while
 * DFDG or PostgreSQL is down. A stale list (its last fetch failed or was refused) is still served, so it keeps the
 * service ready; the data shows it, and the {@code codelist_stale} metric alerts on it.
 */
@Readiness
@ApplicationScoped
public class CodeListHealthCheck implements HealthCheck {

    private final CodeListCatalog catalog;

    CodeListHealthCheck(CodeListCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("codelist-snapshots");
        boolean all = true;
        for (String name : catalog.names()) {
            Snapshot snapshot = catalog.get(name).orElse(null);
            if (snapshot == null || !snapshot.hasSnapshot()) {
                builder.withData(name, "no snapshot yet");
                all = false;
            } else {
                builder.withData(name, snapshot.items().size() + " codes fetched " + DanishTime.format(snapshot.state().fetchedAt())
                        + (snapshot.state().stale() ? ", STALE: " + snapshot.state().staleReason() : ""));
            }
        }
        return builder.status(all).build();
    }
}
