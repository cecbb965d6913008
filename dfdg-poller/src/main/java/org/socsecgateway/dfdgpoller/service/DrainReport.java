package org.socsecgateway.dfdgpoller.service;

import java.util.List;

/**
 * What one drain did: each sequence's receipt-level summary, and whether it ended with the queue empty (success).
 */
public record DrainReport(List<SequenceSummary> sequences, boolean succeeded) {

    /** One sequence: its id (null when CreateSequence failed), outcome, messages fetched, stored and duplicates. */
    public record SequenceSummary(String sequenceId, SequenceOutcome outcome, int fetched, int stored, int duplicates) {
    }

    public int fetched() {
        return sequences.stream().mapToInt(SequenceSummary::fetched).sum();
    }

    public int stored() {
        return sequences.stream().mapToInt(SequenceSummary::stored).sum();
    }
}
