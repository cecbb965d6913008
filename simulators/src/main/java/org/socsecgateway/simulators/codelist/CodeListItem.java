package org.socsecgateway.simulators.codelist;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One code-list item as DFDG serves it (DFDG guide §3.6, docs/partners.md; {@code cb:CodeListItemType}):
 * {@code Identifier}, {@code Name} (at most 100), {@code Description} (1 to 500), {@code StartDate} and
 * {@code EndDate}. The dates are kept as the lexical {@code xsd:dateTime} that goes on the wire, because DFDG sends
 * some with an offset ({@code 2007-01-01T00:00:00+01:00}) and some without ({@code 2007-01-01T00:00:00}, local Danish
 * time); read them with {@link #startInstant()} / {@link #endInstant()}. Validity is start inclusive, end exclusive.
 * <p>
 * Nothing is checked here: the simulator must be able to hold the broken items it serves on purpose.
 *
 * @param startDate lexical xsd:dateTime, null only in a deliberately broken answer (no StartDate element)
 * @param endDate   lexical xsd:dateTime; {@link #OPEN_END} for a code without end
 */
public record CodeListItem(int identifier, String name, String description, String startDate, String endDate) {

    /** DFDG's time zone: a dateTime without offset is local time here. */
    public static final ZoneId COPENHAGEN = ZoneId.of("Europe/Copenhagen");
    /** The EndDate of a code without end, as DFDG writes it (no offset). */
    public static final String OPEN_END = "9999-12-31T23:59:59";

    private static final Pattern HAS_OFFSET = Pattern.compile(".*T.*(Z|[+-]\\d{2}:\\d{2})$");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    /** The start as an instant (no offset = Copenhagen time); null when the item has no StartDate. */
    public Instant startInstant() {
        return startDate == null ? null : instant(startDate);
    }

    /** The end as an instant (no offset = Copenhagen time). */
    public Instant endInstant() {
        return endDate == null ? null : instant(endDate);
    }

    /** Whether the code is valid at {@code at}: start inclusive, end exclusive. */
    public boolean validAt(Instant at) {
        Instant start = startInstant();
        Instant end = endInstant();
        return start != null && !at.isBefore(start) && (end == null || at.isBefore(end));
    }

    /** The same item with another name. */
    public CodeListItem withName(String newName) {
        return new CodeListItem(identifier, newName, description, startDate, endDate);
    }

    /** The same item with another lexical EndDate. */
    public CodeListItem withEndDate(String newEndDate) {
        return new CodeListItem(identifier, name, description, startDate, newEndDate);
    }

    /**
     * Reads an xsd:dateTime: with an offset ({@code Z}, {@code +01:00}) as given, without one as local time in
     * Copenhagen (in the autumn's repeated hour, the earlier one).
     *
     * @throws DateTimeParseException when it is no dateTime of that form
     */
    public static Instant instant(String lexical) {
        Objects.requireNonNull(lexical, "lexical");
        if (HAS_OFFSET.matcher(lexical).matches()) {
            return OffsetDateTime.parse(lexical).toInstant();
        }
        return LocalDateTime.parse(lexical).atZone(COPENHAGEN).toInstant();
    }

    /** {@code at} as Copenhagen time with its offset, e.g. {@code 2007-01-01T00:00:00+01:00} (whole seconds). */
    public static String withOffset(Instant at) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(at.truncatedTo(ChronoUnit.SECONDS).atZone(COPENHAGEN));
    }

    /** {@code at} as Copenhagen local time without offset, e.g. {@code 2007-01-01T00:00:00} (whole seconds). */
    public static String withoutOffset(Instant at) {
        return LOCAL.format(at.atZone(COPENHAGEN));
    }
}
