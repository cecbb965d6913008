package org.socsecgateway.wsbreceiver.store;

import java.time.OffsetDateTime;

/** One event as the feed hands it out; {@code raw} is the JSON as received. */
public record FeedEvent(long seq, String channel, String authority, String type, String typeName, String messageId,
                        String externalId, String version, Integer changeType, Integer subjectType, String subject,
                        OffsetDateTime eventTime, OffsetDateTime receivedAt, String raw) {

    @Override
    public String toString() {
        return "FeedEvent[seq=" + seq + ", type=" + type + ", authority=" + authority + "]"; // no subject, no content
    }
}
