package org.socsecgateway.codelist.service;

import org.socsecgateway.codelist.store.ListState;

/**
 * The result of one fetch: its outcome, a log-safe detail (why refused or failed), DFDG's ErrorCode if any, and the
 * list's state afterwards (null when PostgreSQL could not be read).
 */
public record FetchResult(String list, FetchOutcome outcome, String detail, Integer errorCode, ListState state) {
}
