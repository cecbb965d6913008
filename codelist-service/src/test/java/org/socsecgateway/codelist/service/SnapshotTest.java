package org.socsecgateway.codelist.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.socsecgateway.codelist.store.ListState;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Validity (start inclusive, end exclusive, bare dates in Danish time) and the rendered answers. */
class SnapshotTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Ends at midnight Copenhagen in winter: 2026-01-01T00:00+01:00 = 2025-12-31T23:00Z. */
    private static final CodeListItem WINTER = new CodeListItem(1, "winter", "ends at midnight in winter",
            Instant.parse("2007-01-01T00:00:00Z"), DanishTime.parseDateTime("2026-01-01T00:00:00"));
    /** Starts at midnight Copenhagen in summer: 2026-07-01T00:00+02:00 = 2026-06-30T22:00Z, open-ended. */
    private static final CodeListItem SUMMER = new CodeListItem(2, "summer", "starts at midnight in summer",
            DanishTime.parseDateTime("2026-07-01T00:00:00"), null);
    private static final CodeListItem ALWAYS = new CodeListItem(3, "always", "open-ended",
            Instant.parse("2000-01-01T00:00:00Z"), null);

    private final Snapshot snapshot = new Snapshot(new ListState("test", "GetTestCodeList",
            Instant.parse("2026-11-29T02:40:00Z"), null, null, false, null, null, 1), List.of(WINTER, SUMMER, ALWAYS), JSON);

    @Test
    void datesWithoutOffsetAreDanishTimeInWinterAndSummer() {
        assertThat(WINTER.endDate()).isEqualTo(Instant.parse("2025-12-31T23:00:00Z"));
        assertThat(SUMMER.startDate()).isEqualTo(Instant.parse("2026-06-30T22:00:00Z"));
    }

    @Test
    void validityIsStartInclusiveAndEndExclusive() throws Exception {
        assertThat(ids(Instant.parse("2025-12-31T22:59:59.999Z"), false)).containsExactly(1, 3);
        assertThat(ids(Instant.parse("2025-12-31T23:00:00Z"), false)).as("at its end instant the code is expired").containsExactly(3);
        assertThat(ids(Instant.parse("2026-06-30T21:59:59Z"), false)).containsExactly(3);
        assertThat(ids(Instant.parse("2026-06-30T22:00:00Z"), false)).as("at its start instant the code is valid").containsExactly(2, 3);
    }

    @Test
    void aBareDateIsThatDayInCopenhagen() throws Exception {
        // 2026-01-01 starts at 2025-12-31T23:00Z, exactly when WINTER ends
        assertThat(ids(DanishTime.parseDateOrDateTime("2025-12-31"), false)).containsExactly(1, 3);
        assertThat(ids(DanishTime.parseDateOrDateTime("2026-01-01"), false)).containsExactly(3);
        // 2026-07-01 starts at 2026-06-30T22:00Z, exactly when SUMMER starts
        assertThat(ids(DanishTime.parseDateOrDateTime("2026-06-30"), false)).containsExactly(3);
        assertThat(ids(DanishTime.parseDateOrDateTime("2026-07-01"), false)).containsExactly(2, 3);
    }

    @Test
    void includeExpiredAddsTheCodesThatEndedButNotTheFutureOnes() throws Exception {
        assertThat(ids(Instant.parse("2026-03-01T00:00:00Z"), true)).containsExactly(1, 3);
        assertThat(ids(Instant.parse("2026-08-01T00:00:00Z"), true)).containsExactly(1, 2, 3);
    }

    @Test
    void aCodeIsFoundAlsoWhenExpiredWithItsDatesInDanishOffsets() throws Exception {
        JsonNode code = JSON.readTree(snapshot.code(1).body());
        assertThat(code.get("name").asText()).isEqualTo("winter");
        assertThat(code.get("endDate").asText()).isEqualTo("2026-01-01T00:00:00+01:00");
        assertThat(JSON.readTree(snapshot.code(2).body()).get("startDate").asText()).isEqualTo("2026-07-01T00:00:00+02:00");
        assertThat(JSON.readTree(snapshot.code(2).body()).get("endDate").isNull()).isTrue();
        assertThat(snapshot.code(99)).isNull();
    }

    @Test
    void theAnswerIsTheSameObjectWithinAValidityIntervalAndChangesAtABoundary() {
        Rendered before = snapshot.list(Instant.parse("2026-03-01T00:00:00Z"), false);
        assertThat(snapshot.list(Instant.parse("2026-06-30T21:59:59Z"), false)).isSameAs(before);
        Rendered after = snapshot.list(Instant.parse("2026-06-30T22:00:00Z"), false);
        assertThat(after.etag()).isNotEqualTo(before.etag());
        assertThat(snapshot.nextBoundaryAfter(Instant.parse("2026-03-01T00:00:00Z"))).isEqualTo(SUMMER.startDate());
        assertThat(snapshot.nextBoundaryAfter(Instant.parse("2026-08-01T00:00:00Z"))).isNull();
    }

    @Test
    void theEntityTagDependsOnlyOnTheContent() {
        Snapshot again = new Snapshot(snapshot.state(), snapshot.items(), JSON);
        assertThat(again.list(Instant.parse("2026-03-01T00:00:00Z"), false).etag())
                .isEqualTo(snapshot.list(Instant.parse("2026-03-01T00:00:00Z"), false).etag());
        assertThat(again.code(1).etag()).isEqualTo(snapshot.code(1).etag()).isNotEqualTo(snapshot.code(2).etag());
    }

    @Test
    void ifNoneMatchComparesWeaklyAndAcceptsListsAndStar() {
        Rendered code = snapshot.code(1);
        assertThat(code.matches(code.etag())).isTrue();
        assertThat(code.matches("\"other\", " + code.etag())).isTrue();
        assertThat(code.matches("W/" + code.etag())).isTrue();
        assertThat(code.matches("*")).isTrue();
        assertThat(code.matches("\"other\"")).isFalse();
        assertThat(code.matches(null)).isFalse();
    }

    private List<Integer> ids(Instant at, boolean includeExpired) throws Exception {
        JsonNode list = JSON.readTree(new String(snapshot.list(at, includeExpired).body(), StandardCharsets.UTF_8));
        return StreamSupport.stream(list.get("items").spliterator(), false)
                .map(i -> i.get("identifier").asInt()).toList();
    }
}
