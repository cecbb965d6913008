package org.socsecgateway.tokenbroker.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * The two HTTP calls made to the Smals authorization server. Each instance is built for one absolute URL (the
 * metadata document or the token endpoint), so neither method adds a path. Answers are read raw: error bodies
 * are not always JSON.
 */
interface OAuthServerApi {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Response get();

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Response post(MultivaluedMap<String, String> form);
}
