package org.socsecgateway.codelist.rest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.socsecgateway.codelist.service.CodeListCatalog;
import org.socsecgateway.codelist.service.CodeListFetcher;
import org.socsecgateway.codelist.service.CodeView;
import org.socsecgateway.codelist.service.DanishTime;
import org.socsecgateway.codelist.service.FetchResult;
import org.socsecgateway.codelist.service.FetchScheduler;
import org.socsecgateway.codelist.service.Rendered;
import org.socsecgateway.codelist.service.Snapshot;
import org.socsecgateway.codelist.store.CodeListStore;
import org.socsecgateway.codelist.store.StoreUnavailableException;
import org.socsecgateway.common.auth.CallerSubject;
import org.socsecgateway.common.log.LogSafe;
import org.socsecgateway.common.log.RateLimitedLog;
import org.socsecgateway.common.problem.Problem;
import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;

/**
 * DFDG's code lists for the cluster's apps (DFDG guide §3.6, docs/partners.md): every list, one list as valid at an
 * instant, one code (also expired, to read old data), and what changed. Lookups are answered from memory on the I/O
 * thread, each with a strong {@code ETag} ({@code If-None-Match} gives 304) and {@code Cache-Control} until the answer
 * can next change (the next scheduled fetch, or a code's start or end).
 */
@Path("/v1/codelists")
@Authenticated
@SecurityRequirement(name = "caller")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "codelists", description = "DFDG's code lists, served from memory with validity dates, ETags and cache"
        + " headers")
public class CodeListResource {

    static final int DEFAULT_CHANGES = 1000;
    static final int MAX_CHANGES = 10000;
    static final int MAX_REASON = 500;
    /** Longest max-age given: the lists change at most daily. */
    private static final long MAX_AGE_CAP = Duration.ofDays(1).toSeconds();

    private static final RateLimitedLog DATABASE_WARN = new RateLimitedLog(Logger.getLogger(CodeListResource.class),
            Duration.ofMinutes(15), 4);

    private final CodeListCatalog catalog;
    private final CodeListFetcher fetcher;
    private final FetchScheduler schedule;
    private final CodeListStore store;
    private final CallerPolicy policy;
    private final CallerSubject caller;
    private final Clock clock;

    CodeListResource(CodeListCatalog catalog, CodeListFetcher fetcher, FetchScheduler schedule, CodeListStore store,
                     CallerPolicy policy, CallerSubject caller, Clock clock) {
        this.catalog = catalog;
        this.fetcher = fetcher;
        this.schedule = schedule;
        this.store = store;
        this.policy = policy;
        this.caller = caller;
        this.clock = clock;
    }

    @GET
    @NonBlocking
    @Operation(summary = "Every configured code list: item count, when it was fetched, whether it is stale, the next fetch")
    @APIResponse(responseCode = "200", description = "`{\"lists\":[…]}`")
    @APIResponse(responseCode = "403", description = "Caller may not read code lists (codelist.access.readers)")
    public ListSummary.Page lists() {
        policy.checkRead(caller.get());
        return new ListSummary.Page(catalog.all().stream().map(this::summary).toList());
    }

    @GET
    @Path("{name}")
    @NonBlocking
    @Operation(summary = "One code list: the codes valid at `validAt` (default now; start inclusive, end exclusive),"
            + " with the ones already expired then when includeExpired=true")
    @APIResponse(responseCode = "200", description = "`{\"name\",\"stale\",\"items\":[{\"identifier\","
            + "\"name\",\"description\",\"startDate\",\"endDate\"}]}`; dates ISO-8601 with the Danish offset")
    @APIResponse(responseCode = "304", description = "If-None-Match names the current ETag")
    @APIResponse(responseCode = "400", description = "validAt not a date or date-time, includeExpired not true/false")
    @APIResponse(responseCode = "403", description = "Caller may not read code lists (codelist.access.readers)")
    @APIResponse(responseCode = "404", description = "No such list")
    @APIResponse(responseCode = "503", description = "The list was never fetched yet; retry after Retry-After")
    public Response list(
            @Parameter(description = "list name, e.g. municipalities") @PathParam("name") String name,
            @Parameter(description = "a date (2026-03-29: that day's start in Europe/Copenhagen) or a date-time (with an"
                    + " offset, %2B for +; without one: Danish time); default now") @QueryParam("validAt") String validAt,
            @Parameter(description = "true: also the codes that expired by validAt (to read old data)")
            @QueryParam("includeExpired") String includeExpired,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        policy.checkRead(caller.get());
        Snapshot snapshot = served(name);
        Instant now = clock.instant();
        boolean atNow = validAt == null || validAt.isEmpty();
        Instant at = atNow ? now : instant("validAt", validAt);
        Rendered rendered = snapshot.list(at, bool("includeExpired", includeExpired));
        Instant changesAt = schedule.nextDue(snapshot);
        Instant boundary = atNow ? snapshot.nextBoundaryAfter(now) : null;
        if (boundary != null && boundary.isBefore(changesAt)) {
            changesAt = boundary;
        }
        return answer(rendered, ifNoneMatch, now, changesAt);
    }

    @GET
    @Path("{name}/{code}")
    @NonBlocking
    @Operation(summary = "One code with its validity, also when expired or not yet valid")
    @APIResponse(responseCode = "200", description = "`{\"identifier\",\"name\",\"description\",\"startDate\",\"endDate\"}`",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CodeView.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match names the current ETag")
    @APIResponse(responseCode = "403", description = "Caller may not read code lists (codelist.access.readers)")
    @APIResponse(responseCode = "404", description = "No such list, or no such code in it")
    @APIResponse(responseCode = "503", description = "The list was never fetched yet; retry after Retry-After")
    public Response code(@Parameter(description = "list name") @PathParam("name") String name,
                         @Parameter(description = "the code's Identifier") @PathParam("code") String code,
                         @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        policy.checkRead(caller.get());
        Snapshot snapshot = served(name);
        Rendered rendered = code.matches("-?\\d{1,10}") ? codeOrNull(snapshot, code) : null;
        if (rendered == null) {
            throw new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "List " + name + " has no such code");
        }
        Instant now = clock.instant();
        return answer(rendered, ifNoneMatch, now, schedule.nextDue(snapshot));
    }

    @GET
    @Path("{name}/changes")
    @Blocking
    @Operation(summary = "What accepted fetches changed in the list since a date: codes ADDED, CHANGED, EXPIRED"
            + " (end date set or moved earlier), REMOVED, oldest first")
    @APIResponse(responseCode = "200", description = "`{\"name\",\"changes\":[{\"id\",\"changedAt\",\"identifier\","
            + "\"kind\",\"before\",\"after\"}],\"nextAfter\"}`; nextAfter (when the page is full) gives the next page")
    @APIResponse(responseCode = "400", description = "since not a date or date-time, limit or after out of range")
    @APIResponse(responseCode = "403", description = "Caller may not read code lists (codelist.access.readers)")
    @APIResponse(responseCode = "404", description = "No such list")
    @APIResponse(responseCode = "503", description = "PostgreSQL unavailable; retry after Retry-After")
    public ChangesView changes(@Parameter(description = "list name") @PathParam("name") String name,
                               @Parameter(description = "a date (Europe/Copenhagen) or date-time; default: all history")
                               @QueryParam("since") String since,
                               @Parameter(description = "at most this many changes, 1-10000 (default 1000)")
                               @QueryParam("limit") String limit,
                               @Parameter(description = "the next page: the nextAfter of the previous one")
                               @QueryParam("after") String after) {
        policy.checkRead(caller.get());
        known(name);
        Instant from = since == null || since.isEmpty() ? Instant.EPOCH : instant("since", since);
        int pageSize = limit(limit);
        return ChangesView.of(name, store.changes(name, from, cursor(after), pageSize), pageSize);
    }

    @POST
    @Path("{name}/refresh")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Fetch the list from DFDG now. Obeys DFDG's once-a-day rule unless forced with a reason (logged"
            + " with the caller)")
    @APIResponse(responseCode = "200", description = "Fetched: outcome ACCEPTED, or REFUSED (DFDG's list failed"
            + " validation; the last good one stays)")
    @APIResponse(responseCode = "400", description = "a body that is not {force: boolean, reason: string}, force without"
            + " a reason, or a reason that is too long or holds a number that could be a CPR number")
    @APIResponse(responseCode = "403", description = "Caller may not refresh (codelist.access.operators)")
    @APIResponse(responseCode = "404", description = "No such list")
    @APIResponse(responseCode = "409", description = "Fetched less than 24 h ago (force with a reason), or another"
            + " instance is fetching it now")
    @APIResponse(responseCode = "429", description = "Forced less than codelist.schedule.forced-min-interval after the"
            + " last attempt; Retry-After")
    @APIResponse(responseCode = "502", description = "DFDG gave no list (its fault with ErrorCode, or no answer); the last"
            + " good one stays")
    @APIResponse(responseCode = "503", description = "PostgreSQL unavailable; retry after Retry-After")
    public Response refresh(@Parameter(description = "list name") @PathParam("name") String name,
                            @RequestBody(content = @Content(schema = @Schema(implementation = RefreshRequest.class)))
                            JsonNode body) {
        String subject = caller.get();
        policy.checkRefresh(subject);
        known(name);
        RefreshRequest request = RefreshRequest.of(body);
        boolean force = request.force();
        String reason = request.reason() == null ? null : request.reason().strip();
        if (force && (reason == null || reason.isEmpty())) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "A forced refresh needs a reason");
        }
        if (reason != null && reason.length() > MAX_REASON) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "reason may have at most " + MAX_REASON + " characters");
        }
        if (reason != null && !reason.matches(LogSafe.NO_CPR_NUMBER)) {
            // the reason is logged and stored with the fetch: never a personal number
            throw new ProblemException(ProblemType.BAD_REQUEST, "reason must not contain a number that could be a CPR number");
        }
        FetchResult result = fetcher.fetch(name, subject, reason == null ? null : LogSafe.escape(reason), force);
        return switch (result.outcome()) {
            case ACCEPTED, REFUSED -> Response.ok(new RefreshView(result.outcome().name(), result.detail(),
                    summary(known(name)))).build();
            case NOT_DUE -> throw new ProblemException(Problem.of(ProblemType.CONFLICT, "DFDG allows one fetch of a list a"
                    + " day and " + name + " was fetched at " + DanishTime.format(result.state().answeredAt())
                    + "; force it with a reason").with("nextFetch", DanishTime.format(schedule.nextDue(result.state()))));
            case BUSY -> throw new ProblemException(ProblemType.CONFLICT, "Another instance is fetching " + name + " now");
            case THROTTLED -> throw new ProblemException(ProblemType.TOO_MANY_REQUESTS, name + " was tried less than "
                    + fetcher.forcedMinInterval().toMinutes() + " minutes ago; a forced refresh waits that long")
                    .retryAfter(fetcher.forcedMinInterval());
            case FAILED -> throw new ProblemException(Problem.of(ProblemType.BAD_GATEWAY, "DFDG gave no list: "
                    + result.detail() + (known(name).hasSnapshot() ? "; the last good snapshot stays" : ""))
                    .with("errorCode", result.errorCode()));
        };
    }

    /**
     * PostgreSQL is down (only {@code changes} and {@code refresh} need it): 503 with Retry-After, one WARN per
     * quarter hour, no stack trace.
     */
    @ServerExceptionMapper
    Response storeUnavailable(StoreUnavailableException e) {
        DATABASE_WARN.warnf("store", "PostgreSQL unavailable for a request: %s", e.getMessage());
        return new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "The code lists' database is unavailable; lookups"
                + " still work, try this again later").retryAfter(Duration.ofSeconds(10)).toResponse();
    }

    /** The list's summary; a fetch already due shows as due now. */
    private ListSummary summary(Snapshot snapshot) {
        Instant now = clock.instant();
        Instant next = schedule.nextDue(snapshot);
        return ListSummary.of(snapshot, next.isBefore(now) ? now : next);
    }

    private Response answer(Rendered rendered, String ifNoneMatch, Instant now, Instant changesAt) {
        long maxAge = Math.min(MAX_AGE_CAP, Math.max(0, Duration.between(now, changesAt).toSeconds()));
        String cacheControl = "private, max-age=" + maxAge;
        if (rendered.matches(ifNoneMatch)) {
            return Response.notModified().header(HttpHeaders.ETAG, rendered.etag())
                    .header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
        }
        return Response.ok(rendered.body(), MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.ETAG, rendered.etag())
                .header(HttpHeaders.CACHE_CONTROL, cacheControl).build();
    }

    private static Rendered codeOrNull(Snapshot snapshot, String code) {
        long value = Long.parseLong(code);
        return value < Integer.MIN_VALUE || value > Integer.MAX_VALUE ? null : snapshot.code((int) value);
    }

    private Snapshot served(String name) {
        Snapshot snapshot = known(name);
        if (!snapshot.hasSnapshot()) {
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "List " + name + " was not fetched from DFDG yet")
                    .retryAfter(Duration.ofMinutes(5));
        }
        return snapshot;
    }

    private Snapshot known(String name) {
        return catalog.get(name).orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "No such code list"));
    }

    private static Instant instant(String parameter, String value) {
        try {
            return DanishTime.parseDateOrDateTime(value);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, parameter + " must be a date (2026-03-29, meaning that day"
                    + " in Europe/Copenhagen) or a date-time (2026-03-29T10:00:00+02:00, a + written %2B; without an offset:"
                    + " Danish time)");
        }
    }

    private static boolean bool(String parameter, String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ProblemException(ProblemType.BAD_REQUEST, parameter + " must be true or false");
        };
    }

    private static long cursor(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        if (!value.matches("\\d{1,18}")) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "after must be the nextAfter of a previous page");
        }
        return Long.parseLong(value);
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_CHANGES;
        }
        if (!value.matches("\\d{1,9}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_CHANGES) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "limit must be a whole number between 1 and " + MAX_CHANGES);
        }
        return Integer.parseInt(value);
    }

    /**
     * The body of {@code POST …/refresh}: {@code {"force": true, "reason": "…"}}, both optional, nothing else; a JSON
     * boolean and a JSON string (no coercion: {@code "force": "yes"} is refused, not read as true).
     */
    public record RefreshRequest(boolean force, String reason) {
        static RefreshRequest of(JsonNode body) {
            if (body == null || body.isNull() || body.isMissingNode()) {
                return new RefreshRequest(false, null);
            }
            if (!body.isObject()) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "The body must be a JSON object {\"force\",\"reason\"}");
            }
            body.fieldNames().forEachRemaining(field -> {
                if (!field.equals("force") && !field.equals("reason")) {
                    throw new ProblemException(ProblemType.BAD_REQUEST, "Unknown member in the body; only force and reason");
                }
            });
            JsonNode force = body.path("force");
            JsonNode reason = body.path("reason");
            if (!force.isMissingNode() && !force.isBoolean()) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "force must be true or false (a JSON boolean)");
            }
            if (!reason.isMissingNode() && !reason.isNull() && !reason.isTextual()) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "reason must be a JSON string");
            }
            return new RefreshRequest(force.asBoolean(false), reason.isTextual() ? reason.asText() : null);
        }
    }

    /** The answer of a refresh that fetched: its outcome, why it was refused, and the list as now served. */
    public record RefreshView(String outcome, String detail, ListSummary list) {
    }
}
