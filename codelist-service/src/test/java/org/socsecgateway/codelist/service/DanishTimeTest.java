package org.socsecgateway.codelist.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.api.Test;

class DanishTimeTest {

    @Test
    void xsdDateTimesWithAndWithoutOffset() {
        assertThat(DanishTime.parseDateTime("2026-11-29T10:00:00Z")).isEqualTo(Instant.parse("2026-11-29T10:00:00Z"));
        assertThat(DanishTime.parseDateTime("2026-11-29T10:00:00+01:00")).isEqualTo(Instant.parse("2026-11-29T09:00:00Z"));
        assertThat(DanishTime.parseDateTime("2026-11-29T10:00:00")).isEqualTo(Instant.parse("2026-11-29T09:00:00Z"));
        assertThat(DanishTime.parseDateTime("2026-07-01T10:00:00")).isEqualTo(Instant.parse("2026-07-01T08:00:00Z"));
        assertThat(DanishTime.parseDateTime(" 2026-07-01T10:00:00.5 ")).isEqualTo(Instant.parse("2026-07-01T08:00:00.5Z"));
    }

    @Test
    void bareDatesAreTheDaysStartInCopenhagen() {
        assertThat(DanishTime.parseDateOrDateTime("2026-11-29")).isEqualTo(Instant.parse("2026-11-28T23:00:00Z"));
        assertThat(DanishTime.parseDateOrDateTime("2026-07-01")).isEqualTo(Instant.parse("2026-06-30T22:00:00Z"));
        // the days the clocks change
        assertThat(DanishTime.parseDateOrDateTime("2026-03-29")).isEqualTo(Instant.parse("2026-03-28T23:00:00Z"));
        assertThat(DanishTime.parseDateOrDateTime("2026-10-25")).isEqualTo(Instant.parse("2026-10-24T22:00:00Z"));
    }

    @Test
    void anythingElseIsRefused() {
        for (String bad : new String[] {"", "2026-13-01", "2026-02-30", "29-11-2026", "2026-11-29T25:00", "now", "1700000000"}) {
            assertThatThrownBy(() -> DanishTime.parseDateOrDateTime(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
    }

    @Test
    void formatShowsTheDanishOffsetAndSeconds() {
        assertThat(DanishTime.format(Instant.parse("2006-12-31T23:00:00Z"))).isEqualTo("2007-01-01T00:00:00+01:00");
        assertThat(DanishTime.format(Instant.parse("2026-06-30T22:00:00Z"))).isEqualTo("2026-07-01T00:00:00+02:00");
        assertThat(DanishTime.format(null)).isNull();
    }
}
