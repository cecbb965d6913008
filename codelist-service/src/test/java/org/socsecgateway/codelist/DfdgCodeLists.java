package org.socsecgateway.codelist;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.socsecgateway.simulators.codelist.DfdgCodeListSimulator;
import org.socsecgateway.simulators.db.LocalPostgres;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.pki.LocalPki;

/**
 * The running partners of a test: DFDG's CodeListService (simulated), PostgreSQL, the caller-token issuer, and the
 * configuration the service got (so a test can start a second instance with it).
 */
public record DfdgCodeLists(LocalPki pki, CallerTokenIssuer issuer, LocalPostgres postgres, DfdgCodeListSimulator codeLists,
                            Path dir, Map<String, String> config) implements AutoCloseable {

    /** A bearer token of {@code subject} for codelist-service. */
    public String token(String subject) {
        return issuer.mint(subject, SimulatedDfdgCodeLists.AUDIENCE, Duration.ofMinutes(30));
    }

    @Override
    public void close() {
        codeLists.close();
        issuer.close();
        postgres.close();
    }
}
