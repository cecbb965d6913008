package org.socsecgateway.wsbreceiver.service;

/** How a WSRM sequence ended, as dfdg-poller reports it on its receipt (also the label of the recorded counter). */
public enum SequenceOutcome {
    /** Everything announced was fetched and DFDG accepted TerminateSequence: the queue is drained. */
    TERMINATED,
    /** The poller ended it with CloseSequence after a failure; what was not fetched stays queued for the next sequence. */
    CLOSED,
    /** DFDG refused TerminateSequence (a fault); the messages may come again in a later sequence. */
    TERMINATE_REFUSED,
    /** Neither terminated nor closed (the poller stopped, or DFDG could not be reached); DFDG lets it expire. */
    ABANDONED,
    /** CreateSequence announced no messages: nothing to fetch. */
    EMPTY,
    /**
     * Recorded when the sequence was created, replaced by its outcome when it ends; {@code endedAt} is then the time of
     * that record. One still in progress when the poller starts a drain was left by a poller that stopped: it is
     * closed at DFDG so its messages come again at once.
     */
    IN_PROGRESS;

    /** The names as a regular expression, for the request validation (keep in step with the constants). */
    public static final String PATTERN = "TERMINATED|CLOSED|TERMINATE_REFUSED|ABANDONED|EMPTY|IN_PROGRESS";
}
