package org.socsecgateway.wsbreceiver.rest;

import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;
import org.socsecgateway.wsbreceiver.config.ReceiverConfig;
import org.socsecgateway.wsbreceiver.service.Channel;
import org.socsecgateway.wsbreceiver.service.InboxService;
import org.socsecgateway.wsbreceiver.service.IncomingMessage;
import org.socsecgateway.wsbreceiver.service.MessageFields;
import org.socsecgateway.wsbreceiver.service.TolerantParser;
import org.socsecgateway.wsbreceiver.service.WebhookEndpoints;
import org.socsecgateway.wsbreceiver.store.StoreOutcome;

import io.vertx.core.http.HttpServerRequest;

/**
 * STAR's webhook: the configured paths on the HTTPS listener ({@link ListenerGuard} has already checked STAR's
 * certificate). 2xx only once the message is committed; a re-delivery is answered 2xx and stored once.
 */
@Path("/")
@Tag(name = "webhook", description = "STAR's WSB webhooks, on the HTTPS listener (port 8453) only, at the paths of"
        + " wsb.webhook.endpoints; the internal port never serves them")
@SecurityScheme(securitySchemeName = "star", type = SecuritySchemeType.MUTUALTLS, description = "STAR's client"
        + " certificate, checked in the TLS handshake against the webhook trust store and pinned by SHA-256"
        + " (wsb.webhook.pinned-sha256)")
public class WebhookResource {

    private final WebhookEndpoints endpoints;
    private final TolerantParser parser;
    private final InboxService inbox;
    private final long maxMessageSize;

    WebhookResource(WebhookEndpoints endpoints, TolerantParser parser, InboxService inbox, ReceiverConfig config) {
        this.endpoints = endpoints;
        this.parser = parser;
        this.inbox = inbox;
        this.maxMessageSize = config.webhook().maxMessageSize().asLongValue();
    }

    @POST
    @Path("{path: .+}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A WSB message from STAR (mutual TLS, on a configured path)")
    @SecurityRequirement(name = "star")
    @Parameter(name = "path", in = ParameterIn.PATH, required = true, schema = @Schema(type = SchemaType.STRING),
            description = "A path of wsb.webhook.endpoints (the relative path STAR posts to for one subscription)")
    @APIResponse(responseCode = "200", description = "Stored (or already stored: a duplicate)")
    @APIResponse(responseCode = "400", description = "Not UTF-8, not JSON, not a JSON object, or a value the database"
            + " refuses; nothing stored, sending it again will not help")
    @APIResponse(responseCode = "403", description = "This client certificate may not deliver messages")
    @APIResponse(responseCode = "404", description = "No webhook at this path")
    @APIResponse(responseCode = "413", description = "Larger than wsb.webhook.max-message-size; nothing stored")
    @APIResponse(responseCode = "415", description = "Not application/json; nothing stored")
    @APIResponse(responseCode = "503", description = "The database is unavailable; retry after Retry-After")
    public WebhookReceipt receive(@Context HttpServerRequest request, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                  byte[] body) {
        String authority = endpoints.authority(request.path())
                .orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "No webhook at this path"));
        String sender = endpoints.acceptedSender(request.sslSession())
                .orElseThrow(() -> new ProblemException(ProblemType.MISSING_PERMISSION, "This client certificate may not deliver messages"));
        if (!isJson(contentType)) {
            inbox.countRejected(Channel.WSB, "none");
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "WSB messages must be sent as application/json");
        }
        if (body == null || body.length == 0) {
            inbox.countRejected(Channel.WSB, "none");
            throw new ProblemException(ProblemType.BAD_REQUEST, "The message is empty");
        }
        if (body.length > maxMessageSize) {
            inbox.countRejected(Channel.WSB, "none");
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "A message may not exceed " + maxMessageSize + " bytes");
        }
        TolerantParser.JsonMessage json;
        try {
            json = parser.parse(body);
        } catch (ProblemException e) {
            inbox.countRejected(Channel.WSB, "none");
            throw e;
        }
        MessageFields fields = parser.fields(json.json());
        IncomingMessage message = new IncomingMessage(Channel.WSB, authority, fields, json.raw(), sender);
        StoreOutcome outcome = inbox.store(List.of(message)).get(0);
        return new WebhookReceipt(outcome.receiptId(), !outcome.stored());
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.equals("text/json")
                || (type.startsWith("application/") && type.endsWith("+json"));
    }

    /** The answer to STAR: which receipt the message is on, and whether we had it already. */
    public record WebhookReceipt(long receipt, boolean duplicate) {
    }
}
