package org.socsecgateway.dfdgpoller.service;

import java.util.Locale;

/** How a WSRM sequence ended; the names are the receipt's {@code outcome}. */
public enum SequenceOutcome {
    /** Everything ingested and DFDG answered TerminateSequenceCorrect=true: DFDG deleted the messages. */
    TERMINATED,
    /** The inventory was empty: DFDG closed the sequence itself. */
    EMPTY,
    /** Something failed before DFDG confirmed: CloseSequence sent, the messages come again. */
    CLOSED,
    /** DFDG answered TerminateSequenceCorrect=false: CloseSequence sent, the messages come again. */
    TERMINATE_REFUSED,
    /** Neither Terminate nor Close got an answer: DFDG returns the messages when the sequence expires. */
    ABANDONED,
    /** CreateSequence itself failed: no sequence. */
    NOT_CREATED;

    /** The metric label. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
