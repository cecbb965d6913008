package org.socsecgateway.tokenbroker.rest;

import java.time.Clock;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.socsecgateway.common.auth.CallerSubject;
import org.socsecgateway.tokenbroker.service.AccessToken;
import org.socsecgateway.tokenbroker.service.ScopeSet;
import org.socsecgateway.tokenbroker.service.TokenService;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

@Path("/v1/tokens")
@Authenticated
@SecurityRequirement(name = "caller")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tokens", description = "BCSS access tokens (Smals OAuth v5, client credentials with a signed client assertion,"
        + " RFC 7523), cached per scope set")
public class TokenResource {

    private final TokenService tokens;
    private final CallerSubject caller;
    private final Clock clock;

    TokenResource(TokenService tokens, CallerSubject caller, Clock clock) {
        this.tokens = tokens;
        this.caller = caller;
        this.clock = clock;
    }

    @POST
    @Operation(summary = "Get a BCSS access token for the given scopes (cached, refreshed ahead of expiry)")
    @APIResponse(responseCode = "200", description = "A valid token")
    @APIResponse(responseCode = "400", description = "Malformed request or unknown scope (problem+json)")
    @APIResponse(responseCode = "401", description = "No or invalid caller token")
    @APIResponse(responseCode = "403", description = "Caller not allowed these scopes")
    @APIResponse(responseCode = "502", description = "Smals refused the request; upstreamError carries its error code")
    @APIResponse(responseCode = "503", description = "Smals unreachable and no valid token cached, or no signing key; see Retry-After")
    public Uni<TokenView> issue(@NotNull(message = "a JSON body is required") @Valid TokenRequest request) {
        return tokens.tokenFor(caller.get(), ScopeSet.of(request.scopes())).map(this::view);
    }

    private TokenView view(AccessToken token) {
        long expiresIn = Math.max(0, Duration.between(clock.instant(), token.expiresAt()).toSeconds());
        return new TokenView(token.value(), "Bearer", expiresIn, token.expiresAt(), token.scope());
    }

    @POST
    @Path("/rejected")
    @Operation(summary = "Report a token the BCSS gateway refused as invalid or expired, so the next request gets a fresh one")
    @APIResponse(responseCode = "204", description = "Noted; the token is no longer handed out if it was the current one")
    @APIResponse(responseCode = "400", description = "No JSON body, or no access_token in it")
    public Response reportRejected(@NotNull(message = "a JSON body is required") @Valid RejectedTokenReport report) {
        tokens.reportRejected(caller.get(), report.accessToken());
        return Response.noContent().build();
    }
}
