package org.socsecgateway.wsbreceiver.store;

/** What storing one message did: {@code stored} for a new message, else it was a duplicate of {@code receiptId}. */
public record StoreOutcome(long receiptId, boolean stored) {
}
