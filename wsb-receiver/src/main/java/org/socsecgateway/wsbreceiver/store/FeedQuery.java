package org.socsecgateway.wsbreceiver.store;

import java.util.Set;

/**
 * A page request on the feed.
 *
 * @param after       the cursor: events with a higher feed number
 * @param limit       at most this many
 * @param types       only these message types; null = all
 * @param authorities only these authorities; null = all
 */
public record FeedQuery(long after, int limit, Set<String> types, Set<String> authorities) {
}
