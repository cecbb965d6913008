package org.socsecgateway.simulators.oauth;

import java.time.Instant;
import java.util.Set;

/** What the simulator remembers about an access token it issued. */
public record IssuedToken(String clientId, Set<String> scopes, Instant expiresAt, boolean revoked) {

    public IssuedToken {
        scopes = Set.copyOf(scopes);
    }

    IssuedToken asRevoked() {
        return new IssuedToken(clientId, scopes, expiresAt, true);
    }

    boolean activeAt(Instant now) {
        return !revoked && now.isBefore(expiresAt);
    }
}
