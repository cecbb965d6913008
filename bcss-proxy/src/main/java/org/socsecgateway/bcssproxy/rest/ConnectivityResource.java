package org.socsecgateway.bcssproxy.rest;

import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.socsecgateway.bcssproxy.config.ProxyConfig;
import org.socsecgateway.bcssproxy.service.ConnectivityCheck;
import org.socsecgateway.bcssproxy.service.ConnectivityReport;
import org.socsecgateway.common.auth.CallerSubject;
import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;

import io.quarkus.security.Authenticated;

/**
 * {@code GET /v1/connectivity}: the BCSS configuration test, for the operators named in
 * {@code proxy.connectivity.operators} only: it opens connections to BCSS and gets real access tokens, outside the
 * circuit breaker and the concurrency limit, so no application may trigger it.
 */
@Path("/v1/connectivity")
@Authenticated
@SecurityRequirement(name = "caller")
@Tag(name = "connectivity", description = "BCSS's onboarding configuration test, for operators")
public class ConnectivityResource {

    private final ConnectivityCheck check;
    private final CallerSubject caller;
    private final Set<String> operators;

    ConnectivityResource(ConnectivityCheck check, CallerSubject caller, ProxyConfig config) {
        this.check = check;
        this.caller = caller;
        this.operators = config.connectivity().operators().orElse(Set.of());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run the BCSS configuration test: DNS, TCP, TLS with the client certificate, token, /health of each API (operators only)")
    @APIResponse(responseCode = "200", description = "The report: each step PASS, FAIL (with a hint) or SKIPPED after a"
            + " failed step; `overall` PASS only when every step passed")
    @APIResponse(responseCode = "403", description = "The caller is not in proxy.connectivity.operators")
    public ConnectivityReport run() {
        String subject = caller.get();
        if (!operators.contains(subject)) {
            throw new ProblemException(ProblemType.MISSING_PERMISSION,
                    "Only the operators in proxy.connectivity.operators may run the connectivity test");
        }
        return check.run();
    }
}
