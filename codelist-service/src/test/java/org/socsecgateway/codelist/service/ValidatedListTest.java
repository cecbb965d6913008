package org.socsecgateway.codelist.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.socsecgateway.codelist.client.RawItem;

class ValidatedListTest {

    private static RawItem item(String id) {
        return new RawItem(id, "Name " + id, "Description " + id, "2007-01-01T00:00:00", "9999-12-31T23:59:59");
    }

    @Test
    void aGoodListIsAcceptedSortedWithDatesInDanishTimeWhenTheyHaveNoOffset() {
        ValidatedList list = ValidatedList.of(List.of(item("2"), item("1"),
                new RawItem("3", "x".repeat(100), "d".repeat(500), "2026-03-29T00:00:00+01:00", null)), 0);
        assertThat(list.acceptable()).isTrue();
        assertThat(list.items()).extracting(CodeListItem::identifier).containsExactly(1, 2, 3);
        assertThat(list.items().get(0).startDate()).isEqualTo(Instant.parse("2006-12-31T23:00:00Z"));
        assertThat(list.items().get(2).endDate()).as("no EndDate: open-ended").isNull();
    }

    @Test
    void everyBrokenRuleRefusesTheWholeListAndIsNamedWithItsIdentifier() {
        List<RawItem> raw = new ArrayList<>(List.of(item("1"), item("2")));
        raw.add(new RawItem("3", "n".repeat(101), "d", "2007-01-01T00:00:00", null));
        raw.add(new RawItem("4", "n", "", "2007-01-01T00:00:00", null));
        raw.add(new RawItem("5", "n", "d".repeat(501), "2007-01-01T00:00:00", null));
        raw.add(new RawItem("6", "n", "d", "2008-01-01T00:00:00", "2007-12-31T23:59:59"));
        raw.add(new RawItem("1", "n", "d", "2007-01-01T00:00:00", null));
        raw.add(new RawItem("x", "n", "d", "2007-01-01T00:00:00", null));
        raw.add(new RawItem("8", "n", "d", "1st of January", null));
        raw.add(new RawItem("9", null, "d", "2007-01-01T00:00:00", "someday"));
        raw.add(new RawItem("10", "n", "d", null, null));
        ValidatedList list = ValidatedList.of(raw, 2);
        assertThat(list.acceptable()).isFalse();
        assertThat(list.problems()).containsExactly(
                "Identifier 3: Name longer than 100 characters",
                "Identifier 4: no Description",
                "Identifier 5: Description longer than 500 characters",
                "Identifier 6: EndDate before StartDate",
                "Identifier 1: duplicate Identifier",
                "item 8: Identifier is not an int",
                "Identifier 8: StartDate is not an xsd:dateTime",
                "Identifier 9: no Name",
                "Identifier 9: EndDate is not an xsd:dateTime",
                "Identifier 10: no StartDate");
    }

    @Test
    void anEmptyListIsRefusedOnlyWhenTheLastOneHadItems() {
        assertThat(ValidatedList.of(List.of(), 3).problems()).containsExactly("the list is empty, the last good one had 3 items");
        assertThat(ValidatedList.of(List.of(), 0).acceptable()).isTrue();
    }

    @Test
    void endEqualToStartIsAcceptedAsAnEmptyValidity() {
        assertThat(ValidatedList.of(List.of(new RawItem("1", "n", "d", "2007-01-01T00:00:00Z", "2007-01-01T00:00:00Z")), 0)
                .acceptable()).isTrue();
    }

    @Test
    void manyProblemsAreCutToTenAndACount() {
        List<RawItem> raw = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            raw.add(new RawItem("1", "n", "d", "2007-01-01T00:00:00Z", null));
        }
        ValidatedList list = ValidatedList.of(raw, 0);
        assertThat(list.problems()).hasSize(11).last().isEqualTo("… and 14 more");
    }
}
