package org.socsecgateway.wsbreceiver.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A page of the feed.
 *
 * @param events in feed order
 * @param next   the cursor to ask with next ({@code after=next}); it moves past filtered-out events too
 * @param gap    present when events after the asked cursor were deleted by the retention purge before they were read
 *               from it: they are lost to this reader (the page goes on with the oldest event still kept)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedView(List<EventView> events, String next, Gap gap) {

    /**
     * Feed numbers that were purged (retention) before this reader got to them.
     *
     * @param from   first purged cursor (the asked {@code after} + 1)
     * @param to     last purged cursor (the oldest event still kept is {@code to + 1})
     * @param reason {@code retention}
     */
    public record Gap(String from, String to, String reason) {
    }
}
