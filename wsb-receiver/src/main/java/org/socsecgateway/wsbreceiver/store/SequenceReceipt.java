package org.socsecgateway.wsbreceiver.store;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The receipt of one WSRM sequence that dfdg-poller drained from DFDG's queue (table {@code wsrm_sequence_receipt}):
 * what was announced, what came and how it ended. Counts and a fixed reason only, never message content.
 *
 * @param sequenceId DFDG's sequence Identifier (a GUID, lower case)
 * @param authority  the authority the queue was drained for
 * @param startedAt  when CreateSequence was sent
 * @param endedAt    when the sequence ended (terminated, closed or given up)
 * @param inventory  CreateSequence's inventory: messages waiting per service
 * @param fetched    messages the Get calls returned
 * @param stored     of those, new in the inbox
 * @param duplicates of those, already in the inbox
 * @param outcome    one of {@link org.socsecgateway.wsbreceiver.service.SequenceOutcome}
 * @param errorCode  DFDG's error code when a fault ended it, else null
 * @param detail     a short fixed reason, else null
 * @param recordedBy the caller subject that recorded it (last)
 * @param recordedAt when it was first recorded (retention counts from here)
 * @param updatedAt  when it was last recorded
 */
public record SequenceReceipt(String sequenceId, String authority, OffsetDateTime startedAt, OffsetDateTime endedAt,
                              List<InventoryItem> inventory, int fetched, int stored, int duplicates, String outcome,
                              Integer errorCode, String detail, String recordedBy, OffsetDateTime recordedAt,
                              OffsetDateTime updatedAt) {

    /** One service of CreateSequence's inventory and how many of its messages were waiting. */
    public record InventoryItem(String serviceName, int messageCount) {
    }

    /** A receipt as just recorded, and whether it was new ({@code false}: an earlier one was replaced). */
    /**
     * @param previousOutcome the outcome the receipt had before this recording; null when it is new
     */
    public record Recorded(SequenceReceipt receipt, boolean created, String previousOutcome) {

        /**
         * True when this recording gives the sequence its end: the first outcome other than {@code IN_PROGRESS}
         * (a receipt sent again with its end, or replaced by another end, is not a new end).
         */
        public boolean ended() {
            return !IN_PROGRESS.equals(receipt.outcome()) && (previousOutcome == null || IN_PROGRESS.equals(previousOutcome));
        }
    }

    /** The outcome of a sequence not ended yet (the store does not depend on the service layer's enum). */
    static final String IN_PROGRESS = "IN_PROGRESS";
}
