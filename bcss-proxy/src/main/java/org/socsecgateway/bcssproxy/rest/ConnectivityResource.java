package org.socsecgateway.bcssproxy.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.socsecgateway.bcssproxy.service.ConnectivityCheck;
import org.socsecgateway.bcssproxy.service.ConnectivityReport;

import io.quarkus.security.Authenticated;

@Path("/v1/connectivity")
@Authenticated
@SecurityRequirement(name = "caller")
public class ConnectivityResource {

    private final ConnectivityCheck check;

    ConnectivityResource(ConnectivityCheck check) {
        this.check = check;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run the BCSS configuration test: DNS, TCP, TLS with the client certificate, token, /health of each API")
    public ConnectivityReport run() {
        return check.run();
    }
}
