package org.socsecgateway.codelist.store;

import java.time.Instant;

/**
 * A list's row in {@code code_list}: its snapshot's fetch time, DFDG's last answer and attempt, the stale flag and
 * its reason, and a version that changes with every change of the row or its items.
 */
public record ListState(String name, String operation, Instant fetchedAt, Instant answeredAt, Instant attemptedAt,
                        boolean stale, String staleReason, Integer errorCode, long version) {
}
