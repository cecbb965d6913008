package org.socsecgateway.wsbreceiver.rest;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.socsecgateway.common.auth.CallerSubject;
import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;
import org.socsecgateway.wsbreceiver.service.ReaderPolicy;
import org.socsecgateway.wsbreceiver.service.SequenceOutcome;
import org.socsecgateway.wsbreceiver.service.SequenceReceiptService;
import org.socsecgateway.wsbreceiver.store.SequenceReceipt;

import io.quarkus.security.Authenticated;

/**
 * Receipts of the WSRM sequences dfdg-poller drained from DFDG's queue (docs/partners.md: kept 6 months, then deleted).
 * dfdg-poller records one per sequence after it ended; operators read them. Internal listener only.
 */
@Path("/v1/wsrm/sequences")
@Authenticated
@SecurityRequirement(name = "caller")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "wsrm-receipts", description = "Receipts of the WSRM sequences dfdg-poller drained, kept 6 months")
public class WsrmSequenceResource {

    /** DFDG's sequence Identifier: a GUID, 8-4-4-4-12 hex digits (docs/partners.md). */
    private static final Pattern GUID = Pattern.compile("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** Times outside this range are refused: no sequence ran then, and PostgreSQL could not store all of them. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final SequenceReceiptService receipts;
    private final ReaderPolicy policy;
    private final CallerSubject caller;
    private final Validator validator;

    WsrmSequenceResource(SequenceReceiptService receipts, ReaderPolicy policy, CallerSubject caller, Validator validator) {
        this.receipts = receipts;
        this.policy = policy;
        this.caller = caller;
        this.validator = validator;
    }

    @PUT
    @Path("{sequenceId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record the receipt of a WSRM sequence after it ended (idempotent: sending it again replaces it,"
            + " keeping recordedAt)")
    @APIResponse(responseCode = "201", description = "Recorded; the body is the receipt as kept")
    @APIResponse(responseCode = "200", description = "Recorded again: the receipt of this sequence was replaced (recordedAt kept)")
    @APIResponse(responseCode = "400", description = "sequenceId not a GUID, malformed or invalid receipt, or a value the"
            + " database refuses; nothing stored, sending it again will not help")
    @APIResponse(responseCode = "403", description = "Caller may not record receipts (not in wsb.ingest.callers)")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @APIResponse(responseCode = "503", description = "Database unavailable; nothing stored; retry after Retry-After")
    public RestResponse<SequenceReceiptView> record(
            @Parameter(description = "DFDG's sequence Identifier (GUID, 8-4-4-4-12 hex; case ignored, kept in lower case)")
            @PathParam("sequenceId") String sequenceId,
            SequenceReceiptRequest request) {
        String subject = caller.get();
        policy.checkReceiptWrite(subject);
        String id = sequenceId(sequenceId);
        if (request == null) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "A JSON body is required");
        }
        Set<ConstraintViolation<SequenceReceiptRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        inRange("startedAt", request.startedAt());
        inRange("endedAt", request.endedAt());
        if (request.endedAt().isBefore(request.startedAt())) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "endedAt must not be before startedAt");
        }
        SequenceReceipt.Recorded recorded = receipts.record(new SequenceReceipt(id, request.authority(),
                request.startedAt(), request.endedAt(),
                request.inventory().stream().map(i -> new SequenceReceipt.InventoryItem(i.serviceName(), i.messageCount())).toList(),
                request.fetched(), request.stored(), request.duplicates(), request.outcome(), request.errorCode(),
                request.detail(), subject, null, null));
        SequenceReceiptView view = SequenceReceiptView.of(recorded.receipt());
        if (!recorded.created()) {
            return RestResponse.ok(view);
        }
        return RestResponse.ResponseBuilder.<SequenceReceiptView>created(URI.create("/v1/wsrm/sequences/" + id))
                .entity(view).build();
    }

    @GET
    @Path("{sequenceId}")
    @Operation(summary = "The receipt of one WSRM sequence")
    @APIResponse(responseCode = "200", description = "The receipt as kept")
    @APIResponse(responseCode = "400", description = "sequenceId not a GUID")
    @APIResponse(responseCode = "403", description = "Caller may not read receipts (neither in wsb.ingest.callers nor in"
            + " wsb.wsrm.receipt-readers)")
    @APIResponse(responseCode = "404", description = "No receipt of this sequence is kept")
    @APIResponse(responseCode = "503", description = "Database unavailable; retry after Retry-After")
    public SequenceReceiptView get(
            @Parameter(description = "DFDG's sequence Identifier (GUID, case ignored)") @PathParam("sequenceId") String sequenceId) {
        policy.checkReceiptRead(caller.get());
        return SequenceReceiptView.of(receipts.find(sequenceId(sequenceId)));
    }

    @GET
    @Operation(summary = "Receipts of WSRM sequences that ended at or after `since` (optionally with one outcome), newest"
            + " (latest endedAt) first")
    @APIResponse(responseCode = "200", description = "`{\"sequences\":[…]}`, possibly empty")
    @APIResponse(responseCode = "400", description = "Malformed parameter")
    @APIResponse(responseCode = "403", description = "Caller may not read receipts (neither in wsb.ingest.callers nor in"
            + " wsb.wsrm.receipt-readers)")
    @APIResponse(responseCode = "503", description = "Database unavailable; retry after Retry-After")
    public SequenceReceiptView.Page list(
            @Parameter(description = "RFC 3339 date-time with an offset, e.g. 2026-11-01T00:00:00Z (a + in the offset written"
                    + " %2B); absent = any") @QueryParam("since") String since,
            @Parameter(description = "only this outcome, e.g. IN_PROGRESS; absent = any") @QueryParam("outcome") String outcome,
            @Parameter(description = "at most this many receipts, 1-1000 (default 100)") @QueryParam("limit") String limit) {
        policy.checkReceiptRead(caller.get());
        return new SequenceReceiptView.Page(receipts.list(since(since), outcome(outcome), limit(limit)).stream()
                .map(SequenceReceiptView::of).toList());
    }

    private static SequenceOutcome outcome(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!value.matches(SequenceOutcome.PATTERN)) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "outcome must be one of " + SequenceOutcome.PATTERN);
        }
        return SequenceOutcome.valueOf(value);
    }

    private static String sequenceId(String value) {
        if (value == null || !GUID.matcher(value).matches()) {
            throw new ProblemException(ProblemType.BAD_REQUEST,
                    "sequenceId must be DFDG's sequence Identifier, a GUID of 8-4-4-4-12 hexadecimal digits");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private static void inRange(String name, OffsetDateTime time) {
        Instant instant = time.toInstant();
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new ProblemException(ProblemType.BAD_REQUEST, name + " must be between the years 1970 and 9999 (UTC)");
        }
    }

    private static OffsetDateTime since(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            OffsetDateTime since = OffsetDateTime.parse(value);
            inRange("since", since);
            return since.withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "since must be an RFC 3339 date-time with an offset, e.g."
                    + " 2026-11-01T00:00:00Z (write a + in the offset as %2B)");
        }
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        if (!value.matches("\\d{1,9}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_LIMIT) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "limit must be a whole number between 1 and " + MAX_LIMIT);
        }
        return Integer.parseInt(value);
    }
}
