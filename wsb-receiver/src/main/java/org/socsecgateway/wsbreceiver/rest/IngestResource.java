package org.socsecgateway.wsbreceiver.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.socsecgateway.common.auth.CallerSubject;
import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;
import org.socsecgateway.wsbreceiver.config.ReceiverConfig;
import org.socsecgateway.wsbreceiver.service.Channel;
import org.socsecgateway.wsbreceiver.service.InboxService;
import org.socsecgateway.wsbreceiver.service.IncomingMessage;
import org.socsecgateway.wsbreceiver.service.MessageFields;
import org.socsecgateway.wsbreceiver.service.ReaderPolicy;
import org.socsecgateway.wsbreceiver.service.TolerantParser;
import org.socsecgateway.wsbreceiver.store.StoreOutcome;

import io.quarkus.security.Authenticated;

/** The inbox's door for dfdg-poller: WSRM messages join the same feed as the webhook's. */
@Path("/v1/ingest")
@Authenticated
@SecurityRequirement(name = "caller")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "ingest", description = "dfdg-poller hands over the messages it drained from DFDG's WSRM queue"
        + " (wsb.ingest.callers)")
public class IngestResource {

    private final InboxService inbox;
    private final TolerantParser parser;
    private final ReaderPolicy policy;
    private final CallerSubject caller;
    private final Validator validator;
    private final int maxBatch;

    IngestResource(InboxService inbox, TolerantParser parser, ReaderPolicy policy, CallerSubject caller, Validator validator,
                   ReceiverConfig config) {
        this.inbox = inbox;
        this.validator = validator;
        this.parser = parser;
        this.policy = policy;
        this.caller = caller;
        this.maxBatch = config.ingest().maxBatch();
    }

    @POST
    @Operation(summary = "Store a batch of WSRM messages (idempotent by messageId; 2xx only after commit)")
    @APIResponse(responseCode = "200", description = "All stored, or already stored")
    @APIResponse(responseCode = "400", description = "Malformed batch (not UTF-8, not JSON, a bad item), or a value the"
            + " database refuses; nothing stored, sending it again will not help")
    @APIResponse(responseCode = "403", description = "Caller may not hand over messages")
    @APIResponse(responseCode = "413", description = "More events than wsb.ingest.max-batch")
    @APIResponse(responseCode = "503", description = "Database unavailable; nothing stored; retry after Retry-After")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = IngestRequest.class)))
    public IngestResult ingest(byte[] body) {
        String subject = caller.get();
        policy.checkIngest(subject);
        if (body == null || body.length == 0) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "A JSON body is required");
        }
        // Read here rather than by the JSON provider: each message is stored as the exact text the poller sent
        // (strict UTF-8 and JSON, as on the webhook), not as Jackson would write the parsed tree again.
        TolerantParser.Batch batch = parser.parseBatch(body);
        IngestRequest request = parser.convert(batch.root(), IngestRequest.class);
        Set<ConstraintViolation<IngestRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        if (request.events().size() > maxBatch) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "At most " + maxBatch + " events per batch");
        }
        List<IncomingMessage> messages = new ArrayList<>(request.events().size());
        for (int i = 0; i < request.events().size(); i++) {
            IngestRequest.Item item = request.events().get(i);
            MessageFields found = parser.fields(item.message());
            MessageFields fields = new MessageFields(item.messageId(), found.type(), found.typeName(), found.externalId(),
                    found.version(), found.changeType(), found.subjectType(), found.subject(), found.eventTime());
            messages.add(new IncomingMessage(Channel.WSRM, item.authority(), fields, batch.messages().get(i), subject));
        }
        List<StoreOutcome> outcomes = inbox.store(messages);
        int stored = (int) outcomes.stream().filter(StoreOutcome::stored).count();
        return new IngestResult(stored, outcomes.size() - stored);
    }

    /** How many of the batch were new, and how many the inbox had already. */
    public record IngestResult(int stored, int duplicates) {
    }
}
