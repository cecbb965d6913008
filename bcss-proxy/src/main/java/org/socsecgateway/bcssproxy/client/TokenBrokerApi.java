package org.socsecgateway.bcssproxy.client;

import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;

/** The token broker's internal API (see token-broker/README.md). */
@Path("/v1/tokens")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface TokenBrokerApi {

    @POST
    Uni<BrokerToken> token(Map<String, Set<String>> request);

    @POST
    @Path("/rejected")
    Uni<Void> rejected(Map<String, String> report);
}
