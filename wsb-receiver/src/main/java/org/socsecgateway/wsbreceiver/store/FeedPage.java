package org.socsecgateway.wsbreceiver.store;

import java.util.List;

/**
 * A page of the feed.
 *
 * @param events the events, in feed order
 * @param next   the cursor to ask from next: past every event this page looked at, matching the filter or not
 */
public record FeedPage(List<FeedEvent> events, long next) {
}
