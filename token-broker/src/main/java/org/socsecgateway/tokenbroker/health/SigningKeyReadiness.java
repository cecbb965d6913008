package org.socsecgateway.tokenbroker.health;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.socsecgateway.tokenbroker.service.SigningIdentity;
import org.socsecgateway.tokenbroker.service.SigningKeyHolder;

/**
 * Not ready without a usable signing key: such a pod could hand out cached tokens only until they expire. A broken,
 * expired or not yet valid new key in the mounted files does not make the pod unready while the last good key is
 * still valid: it keeps serving with that one (taking every pod out of service for a bad Secret would turn a
 * warning into an outage); the check stays UP and carries the problem ({@code filesProblem}), next to the metric
 * {@code broker_signing_key_files_usable} = 0 and an ERROR line. The authorization server's reachability is
 * deliberately not part of readiness: during an outage every pod is equally affected and the cached tokens are
 * still worth serving.
 */
@Readiness
@ApplicationScoped
public class SigningKeyReadiness implements HealthCheck {

    private final SigningKeyHolder keys;
    private final Clock clock;

    SigningKeyReadiness(SigningKeyHolder keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        SigningKeyHolder.State state = keys.state();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("jwt-signing-key");
        if (!state.filesUsable()) {
            response.withData("filesProblem", state.problem());
        }
        if (state.identity().isEmpty()) {
            return response.down().withData("reason", state.problem()).build();
        }
        SigningIdentity identity = state.identity().get();
        Instant now = clock.instant();
        response.withData("subject", identity.certificate().getSubjectX500Principal().getName())
                .withData("notBefore", identity.notBefore().toString())
                .withData("notAfter", identity.notAfter().toString())
                .withData("daysLeft", identity.daysLeft(now));
        if (!state.filesUsable()) {
            response.withData("servingPreviousKey", true);
        }
        if (identity.isExpired(now)) {
            return response.down().withData("reason", "certificate expired").build();
        }
        if (keys.usable().isEmpty()) {
            return response.down().withData("reason", "certificate not valid before " + identity.notBefore()).build();
        }
        return response.up().build();
    }
}
