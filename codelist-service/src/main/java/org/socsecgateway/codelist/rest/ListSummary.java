package org.socsecgateway.codelist.rest;

import java.time.Instant;
import java.util.List;

import org.socsecgateway.codelist.service.DanishTime;
import org.socsecgateway.codelist.service.Snapshot;

/**
 * One list in {@code GET /v1/codelists}: its name and DFDG operation, the snapshot's item count (all codes, expired
 * and future included) and fetch time, DFDG's last answer, whether the last fetch failed or was refused (stale, with
 * why and DFDG's ErrorCode), and when the schedule fetches it next. Times ISO-8601 with the Danish offset.
 */
public record ListSummary(String name, String operation, int items, String fetchedAt, String answeredAt, boolean stale,
                          String staleReason, Integer errorCode, String nextFetch) {

    static ListSummary of(Snapshot snapshot, Instant nextFetch) {
        return new ListSummary(snapshot.name(), snapshot.state().operation(), snapshot.items().size(),
                DanishTime.format(snapshot.state().fetchedAt()), DanishTime.format(snapshot.state().answeredAt()),
                snapshot.stale(), snapshot.state().staleReason(),
                snapshot.state().errorCode(), DanishTime.format(nextFetch));
    }

    /** {@code {"lists": […]}}. */
    public record Page(List<ListSummary> lists) {
    }
}
