package org.socsecgateway.codelist.service;

import java.time.Instant;

/**
 * One code of a DFDG code list (DFDG guide §3.6, docs/partners.md): {@code Identifier}, {@code Name} (at most 100
 * characters), {@code Description} (1 to 500), valid from {@code startDate} (inclusive) until {@code endDate}
 * (exclusive; null when DFDG sent none, i.e. open-ended).
 */
public record CodeListItem(int identifier, String name, String description, Instant startDate, Instant endDate) {

    /** Longest {@code Name} DFDG allows. */
    public static final int NAME_MAX = 100;
    /** Longest {@code Description} DFDG allows (and it must not be empty). */
    public static final int DESCRIPTION_MAX = 500;

    /** Valid at {@code instant}: start inclusive, end exclusive. */
    public boolean validAt(Instant instant) {
        return !instant.isBefore(startDate) && (endDate == null || instant.isBefore(endDate));
    }

    /** Started by {@code instant}: valid then or already expired (readable for old data). */
    public boolean startedBy(Instant instant) {
        return !instant.isBefore(startDate);
    }
}
