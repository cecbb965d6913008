package org.socsecgateway.wsbreceiver.rest;

import java.io.IOException;
import java.time.OffsetDateTime;

import org.socsecgateway.wsbreceiver.store.FeedEvent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * One event of the feed. {@code message} is the JSON exactly as STAR sent it (or as dfdg-poller handed it over).
 * A row that is not valid JSON (only rows stored before the receiver checked this: a leading byte order mark is
 * dropped, anything else is handed out as a JSON string) never makes the page unreadable.
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
                event.receivedAt(), message(event.raw()));
    }

    private static final JsonFactory STRICT = JsonFactory.builder().build();

    /** {@code raw} if the page can embed it as it is, else a JSON string literal holding it. */
    static String message(String raw) {
        String json = raw.startsWith("\uFEFF") ? raw.substring(1) : raw;
        try (JsonParser parser = STRICT.createParser(json)) {
            if (parser.nextToken() != null) {
                parser.skipChildren();
                if (parser.nextToken() == null) {
                    return json;
                }
            }
        } catch (IOException e) {
            // not JSON: quoted below
        }
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(json)) + '"';
    }
}
