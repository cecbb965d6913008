package org.socsecgateway.wsbreceiver.rest;

import java.time.OffsetDateTime;

import org.socsecgateway.wsbreceiver.store.FeedEvent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One event of the feed. {@code message} is the JSON exactly as STAR sent it (or as dfdg-poller handed it over).
 *
 * @param cursor give it as {@code after} to continue after this event
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventView(String cursor, String channel, String authority, String type, String typeName, String messageId,
                        String externalId, String version, Integer changeType, Subject subject, OffsetDateTime eventTime,
                        OffsetDateTime receivedAt, @JsonRawValue String message) {

    /** The citizen the event is about (identification type 1 = CPR number). */
    public record Subject(Integer type, String id) {
    }

    static EventView of(FeedEvent event) {
        Subject subject = event.subject() == null && event.subjectType() == null ? null : new Subject(event.subjectType(), event.subject());
        return new EventView(Long.toString(event.seq()), event.channel(), event.authority(), event.type(), event.typeName(),
                event.messageId(), event.externalId(), event.version(), event.changeType(), subject, event.eventTime(),
                event.receivedAt(), event.raw());
    }
}
