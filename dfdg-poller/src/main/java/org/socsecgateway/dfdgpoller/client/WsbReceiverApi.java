package org.socsecgateway.dfdgpoller.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * wsb-receiver's internal API as the poller uses it (its README): ingest a batch, record a sequence receipt, list the
 * receipts of sequences still in progress.
 */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface WsbReceiverApi {

    @POST
    @Path("/ingest")
    JsonNode ingest(@HeaderParam("Authorization") String authorization, ObjectNode batch);

    @GET
    @Path("/wsrm/sequences")
    JsonNode sequences(@HeaderParam("Authorization") String authorization, @QueryParam("outcome") String outcome,
                       @QueryParam("limit") int limit);

    @PUT
    @Path("/wsrm/sequences/{sequenceId}")
    JsonNode recordSequence(@HeaderParam("Authorization") String authorization,
                            @PathParam("sequenceId") String sequenceId, ObjectNode receipt);
}
