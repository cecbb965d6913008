package org.socsecgateway.codelist.service;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.groups.Tuple.tuple;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class CodeChangeTest {

    private static final Instant START = Instant.parse("2006-12-31T23:00:00Z");
    private static final Instant END = Instant.parse("2026-12-31T23:00:00Z");

    private static CodeListItem code(int id, String name, Instant end) {
        return new CodeListItem(id, name, "d" + id, START, end);
    }

    @Test
    void addedChangedExpiredAndRemovedCodesAreToldApart() {
        List<CodeListItem> before = List.of(code(1, "one", null), code(2, "two", null), code(3, "three", END),
                code(4, "four", null), code(5, "five", END));
        List<CodeListItem> after = List.of(code(1, "one", null), code(2, "TWO", null), code(3, "three", END.minusSeconds(3600)),
                code(5, "five", END.plusSeconds(3600)), code(6, "six", null));
        assertThat(CodeChange.between(before, after)).extracting(CodeChange::identifier, CodeChange::kind).containsExactly(
                tuple(2, ChangeKind.CHANGED),
                tuple(3, ChangeKind.EXPIRED),
                tuple(4, ChangeKind.REMOVED),
                tuple(5, ChangeKind.CHANGED),
                tuple(6, ChangeKind.ADDED));
    }

    @Test
    void anEndDateSetOnAnOpenCodeIsAnExpiryAndKeepsBothVersions() {
        CodeChange change = CodeChange.between(List.of(code(1, "one", null)), List.of(code(1, "one", END))).get(0);
        assertThat(change.kind()).isEqualTo(ChangeKind.EXPIRED);
        assertThat(change.before().endDate()).isNull();
        assertThat(change.after().endDate()).isEqualTo(END);
    }

    @Test
    void theSameListHasNoChanges() {
        assertThat(CodeChange.between(List.of(code(1, "one", END)), List.of(code(1, "one", END)))).isEmpty();
    }
}
