package org.socsecgateway.wsbreceiver.rest;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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
import org.socsecgateway.wsbreceiver.config.ReceiverConfig;
import org.socsecgateway.wsbreceiver.service.FeedService;
import org.socsecgateway.wsbreceiver.service.ReaderPolicy;
import org.socsecgateway.wsbreceiver.store.FeedPage;
import org.socsecgateway.wsbreceiver.store.FeedQuery;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** The event feed for line-of-business apps: ordered, cursor-based, long-poll, filtered by what the caller may read. */
@Path("/v1/events")
@Authenticated
@SecurityRequirement(name = "caller")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "feed", description = "The ordered event feed of STAR's webhooks and DFDG's WSRM messages, for the readers"
        + " in wsb.readers (long-poll)")
public class EventsResource {

    /** Header naming the purged cursors {@code from-to}, for readers that look only at headers. */
    static final String GAP_HEADER = "Feed-Gap";

    private final FeedService feed;
    private final ReaderPolicy policy;
    private final CallerSubject caller;
    private final ReceiverConfig.Feed config;

    EventsResource(FeedService feed, ReaderPolicy policy, CallerSubject caller, ReceiverConfig config) {
        this.feed = feed;
        this.policy = policy;
        this.caller = caller;
        this.config = config.feed();
    }

    @GET
    @Operation(summary = "Events after a cursor, oldest first; waits up to `wait` seconds when there are none yet")
    @APIResponse(responseCode = "200", description = "A page (possibly empty); continue with after=next. With a `gap` member"
            + " and a Feed-Gap header when events after the cursor were purged (retention) before they were read")
    @APIResponse(responseCode = "400", description = "Malformed parameter")
    @APIResponse(responseCode = "409", description = "The cursor is beyond the end of the feed (never handed out by it); `head` says where the feed ends")
    @APIResponse(responseCode = "403", description = "Caller may not read the feed, or these types/authorities")
    @APIResponse(responseCode = "503", description = "Database unavailable; retry after Retry-After")
    public Uni<RestResponse<FeedView>> read(
            @Parameter(description = "cursor from a previous page's next (or an event's cursor); absent = from the start")
            @QueryParam("after") String after,
            @Parameter(description = "at most this many events (default 100)") @QueryParam("limit") String limit,
            @Parameter(description = "comma-separated message types (EntitetId)") @QueryParam("types") String types,
            @Parameter(description = "comma-separated authorities") @QueryParam("authorities") String authorities,
            @Parameter(description = "seconds to wait for events when there are none (long-poll)") @QueryParam("wait") String wait) {
        String subject = caller.get();
        ReaderPolicy.Filter filter = policy.filterFor(subject, list("types", types), list("authorities", authorities));
        FeedQuery query = new FeedQuery(cursor(after), limit(limit), filter.types(), filter.authorities());
        return feed.read(subject, query, waitTime(wait)).map(page -> view(query.after(), page));
    }

    private static RestResponse<FeedView> view(long after, FeedPage page) {
        List<EventView> events = page.events().stream().map(EventView::of).toList();
        if (!page.purgedAfter(after)) {
            return RestResponse.ok(new FeedView(events, Long.toString(page.next()), null));
        }
        FeedView.Gap gap = new FeedView.Gap(Long.toString(after + 1), Long.toString(page.retainedFrom() - 1), "retention");
        return RestResponse.ResponseBuilder.ok(new FeedView(events, Long.toString(page.next()), gap))
                .header(GAP_HEADER, gap.from() + "-" + gap.to()).build();
    }

    private static long cursor(String after) {
        if (after == null || after.isEmpty()) {
            return 0;
        }
        if (!after.matches("\\d{1,40}")) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "after must be a cursor returned by this feed");
        }
        // A number past any feed's reach is still a cursor beyond the head (409 naming the head), not a malformed one.
        return after.replaceFirst("^0+(?=\\d)", "").length() > 18 ? Long.MAX_VALUE : Long.parseLong(after);
    }

    private int limit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return config.defaultLimit();
        }
        int value = number("limit", limit);
        if (value < 1 || value > config.maxLimit()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "limit must be between 1 and " + config.maxLimit());
        }
        return value;
    }

    private Duration waitTime(String wait) {
        if (wait == null || wait.isEmpty()) {
            return Duration.ZERO;
        }
        int seconds = number("wait", wait.endsWith("s") ? wait.substring(0, wait.length() - 1) : wait);
        if (seconds < 0 || seconds > config.maxWait().toSeconds()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "wait must be between 0 and " + config.maxWait().toSeconds() + " seconds");
        }
        return Duration.ofSeconds(seconds);
    }

    private static int number(String name, String value) {
        if (!value.matches("\\d{1,9}")) {
            throw new ProblemException(ProblemType.BAD_REQUEST, name + " must be a whole number");
        }
        return Integer.parseInt(value);
    }

    private static Set<String> list(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Set<String> values = new LinkedHashSet<>();
        for (String item : Arrays.asList(value.split(","))) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                continue; // "types=,," names no type: the same as no filter, never a filter that matches nothing
            }
            if (!trimmed.matches("[A-Za-z0-9._:-]{1,64}")) {
                throw new ProblemException(ProblemType.BAD_REQUEST, name + " must be a comma-separated list of names");
            }
            values.add(trimmed);
        }
        return values.isEmpty() ? null : values;
    }
}
