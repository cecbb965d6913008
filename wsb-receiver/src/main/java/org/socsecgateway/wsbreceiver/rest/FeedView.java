package org.socsecgateway.wsbreceiver.rest;

import java.util.List;

/**
 * A page of the feed.
 *
 * @param events in feed order
 * @param next   the cursor to ask with next ({@code after=next}); it moves past filtered-out events too
 */
public record FeedView(List<EventView> events, String next) {
}
