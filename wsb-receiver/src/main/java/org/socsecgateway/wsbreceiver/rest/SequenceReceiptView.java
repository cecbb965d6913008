package org.socsecgateway.wsbreceiver.rest;

import java.time.OffsetDateTime;
import java.util.List;

import org.socsecgateway.wsbreceiver.store.SequenceReceipt;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A WSRM sequence receipt as kept: the request's fields (times in UTC), plus who recorded it and when.
 * {@code errorCode} and {@code detail} are left out when absent.
 *
 * @param sequenceId DFDG's sequence Identifier, lower case
 * @param recordedBy the caller subject that recorded it last
 * @param recordedAt when it was first recorded (kept when it is sent again; the 6-month retention counts from here)
 * @param updatedAt  when it was last recorded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SequenceReceiptView(String sequenceId, String authority, OffsetDateTime startedAt, OffsetDateTime endedAt,
                                  List<SequenceReceipt.InventoryItem> inventory, int fetched, int stored, int duplicates,
                                  String outcome, Integer errorCode, String detail, String recordedBy,
                                  OffsetDateTime recordedAt, OffsetDateTime updatedAt) {

    static SequenceReceiptView of(SequenceReceipt receipt) {
        return new SequenceReceiptView(receipt.sequenceId(), receipt.authority(), receipt.startedAt(), receipt.endedAt(),
                receipt.inventory(), receipt.fetched(), receipt.stored(), receipt.duplicates(), receipt.outcome(),
                receipt.errorCode(), receipt.detail(), receipt.recordedBy(), receipt.recordedAt(), receipt.updatedAt());
    }

    /** A page of receipts, newest first. */
    public record Page(List<SequenceReceiptView> sequences) {
    }
}
