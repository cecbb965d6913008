package org.socsecgateway.dfdgpoller.client;

import java.time.Instant;
import java.util.List;

/**
 * The receipt of one WSRM sequence that DFDG's guide asks to keep for 6 months; stored by wsb-receiver. Holds no
 * message content and no CPR number.
 *
 * @param outcome   TERMINATED, CLOSED, TERMINATE_REFUSED, ABANDONED or EMPTY
 * @param errorCode DFDG's ErrorCode when a fault ended the sequence
 * @param detail    a short fixed reason
 */
public record SequenceReceipt(String sequenceId, Instant startedAt, Instant endedAt, List<Inventory.ServiceItem> inventory,
                              int fetched, int stored, int duplicates, String outcome, Integer errorCode, String detail) {
}
