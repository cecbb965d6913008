package org.socsecgateway.codelist.service;

/** How a code differs between two accepted snapshots of its list. */
public enum ChangeKind {
    /** New in the list. */
    ADDED,
    /** Its {@code EndDate} was set or moved earlier, nothing else changed: the code expires (or has expired). */
    EXPIRED,
    /** Anything else about it changed (name, description, start date, a later end date). */
    CHANGED,
    /** No longer in the list (DFDG normally keeps expired codes; this is worth a look). */
    REMOVED
}
