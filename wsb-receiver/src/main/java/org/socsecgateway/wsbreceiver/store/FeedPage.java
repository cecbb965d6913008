package org.socsecgateway.wsbreceiver.store;

import java.util.List;

/**
 * A page of the feed.
 *
 * @param events       the events, in feed order
 * @param next         the cursor to ask from next: past every event this page looked at, matching the filter or not
 * @param head         the last feed number handed out when the page was read (0: nothing yet)
 * @param retainedFrom the lowest feed number still stored ({@code head + 1} when none is): every number below it was
 *                     deleted by the retention purge, since feed numbers are handed out without gaps
 */
public record FeedPage(List<FeedEvent> events, long next, long head, long retainedFrom) {

    /** Whether events after {@code after} were purged before they could be read from it: cursors {@code after+1 .. retainedFrom-1}. */
    public boolean purgedAfter(long after) {
        return retainedFrom > after + 1;
    }
}
