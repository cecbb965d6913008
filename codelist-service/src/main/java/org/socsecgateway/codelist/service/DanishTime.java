package org.socsecgateway.codelist.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/**
 * DFDG's time: code-list dates are xsd:dateTime with or without an offset (docs/partners.md "Code lists"); one
 * without an offset is Danish local time, as is a bare date in the API ("that day in Europe/Copenhagen").
 */
public final class DanishTime {

    /** The zone of DFDG's local times and of the API's bare dates. */
    public static final ZoneId ZONE = ZoneId.of("Europe/Copenhagen");
    /** The first instant {@link #parseDateOrDateTime} accepts (what PostgreSQL and the API can both show). */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    /** The last instant it accepts. */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private DanishTime() {
    }

    /**
     * An xsd:dateTime ({@code 2007-01-01T00:00:00+01:00}, {@code …Z} or {@code 2007-01-01T00:00:00} = Danish time).
     *
     * @throws DateTimeParseException when it is not one
     */
    public static Instant parseDateTime(String text) {
        TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(text.trim(), OffsetDateTime::from,
                LocalDateTime::from);
        return parsed instanceof OffsetDateTime offset ? offset.toInstant()
                : ((LocalDateTime) parsed).atZone(ZONE).toInstant();
    }

    /**
     * A date ({@code 2026-03-29}: that day's first instant in Danish time) or a date-time as {@link #parseDateTime},
     * in the years 1 to 9999.
     *
     * @throws DateTimeParseException when it is neither, or outside those years
     */
    public static Instant parseDateOrDateTime(String text) {
        String trimmed = text.trim();
        Instant instant = trimmed.length() == 10 ? LocalDate.parse(trimmed).atStartOfDay(ZONE).toInstant()
                : parseDateTime(trimmed);
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new DateTimeParseException("outside the years 1 to 9999", text, 0);
        }
        return instant;
    }

    /** ISO-8601 with the Danish offset of that instant, seconds always shown: {@code 2007-01-01T00:00:00+01:00}. */
    public static String format(Instant instant) {
        return instant == null ? null
                : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(ZONE).toOffsetDateTime());
    }
}
