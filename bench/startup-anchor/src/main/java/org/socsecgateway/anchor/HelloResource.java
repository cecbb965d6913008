package org.socsecgateway.anchor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The anchor's only endpoint: {@code GET /hello} answers a constant text (what Quarkus' "REST" start-up figure measures). */
@Path("/hello")
public class HelloResource {

    /** @return "hello", text/plain */
    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String hello() {
        return "hello";
    }
}
