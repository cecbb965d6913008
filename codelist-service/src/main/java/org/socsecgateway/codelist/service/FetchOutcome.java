package org.socsecgateway.codelist.service;

/** What one fetch of a list came to. */
public enum FetchOutcome {
    /** DFDG's list passed validation and is the new snapshot. */
    ACCEPTED,
    /** DFDG answered with a list that failed validation: the last good snapshot stays, the list is stale. */
    REFUSED,
    /** No list came (DFDG's fault, an error page, no answer): the last good snapshot stays, the list is stale. */
    FAILED,
    /** Not fetched: DFDG answered less than 24 h ago (force it with a reason to fetch anyway). */
    NOT_DUE,
    /** Not fetched: another instance is fetching it right now. */
    BUSY,
    /** Not fetched: a forced refresh within {@code codelist.schedule.forced-min-interval} of the last attempt. */
    THROTTLED
}
