package org.socsecgateway.codelist.service;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.socsecgateway.codelist.client.RawItem;

/**
 * A list as DFDG sent it, checked as a whole before it may replace the last good snapshot (DFDG guide §3.6,
 * docs/partners.md): every Identifier an int and unique, Name at most 100 characters, Description 1 to 500, StartDate a
 * dateTime, EndDate (when present) a dateTime not before StartDate, and not empty when the last snapshot had items.
 * Problems name the rule and the Identifier, never the text, so they can be logged and shown.
 *
 * @param items    the parsed items, sorted by identifier (complete only when {@code problems} is empty)
 * @param problems at most {@value #MAX_PROBLEMS} descriptions, empty when the list is acceptable
 */
public record ValidatedList(List<CodeListItem> items, List<String> problems) {

    static final int MAX_PROBLEMS = 10;

    /** Parses and checks {@code raw}; {@code lastCount} is the item count of the last good snapshot (0 if none). */
    public static ValidatedList of(List<RawItem> raw, int lastCount) {
        List<String> problems = new ArrayList<>();
        List<CodeListItem> items = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        if (raw.isEmpty() && lastCount > 0) {
            problems.add("the list is empty, the last good one had " + lastCount + " items");
        }
        int position = 0;
        for (RawItem r : raw) {
            position++;
            Integer id = integer(r.identifier());
            String where = id == null ? "item " + position : "Identifier " + id;
            if (id == null) {
                problems.add(where + ": Identifier is not an int");
            } else if (!seen.add(id)) {
                problems.add(where + ": duplicate Identifier");
            }
            if (r.name() == null) {
                problems.add(where + ": no Name");
            } else if (r.name().length() > CodeListItem.NAME_MAX) {
                problems.add(where + ": Name longer than " + CodeListItem.NAME_MAX + " characters");
            }
            if (r.description() == null || r.description().isEmpty()) {
                problems.add(where + ": no Description");
            } else if (r.description().length() > CodeListItem.DESCRIPTION_MAX) {
                problems.add(where + ": Description longer than " + CodeListItem.DESCRIPTION_MAX + " characters");
            }
            Instant start = dateTime(r.startDate());
            Instant end = r.endDate() == null || r.endDate().isEmpty() ? null : dateTime(r.endDate());
            if (r.startDate() == null) {
                problems.add(where + ": no StartDate");
            } else if (start == null) {
                problems.add(where + ": StartDate is not an xsd:dateTime");
            }
            if (r.endDate() != null && !r.endDate().isEmpty() && end == null) {
                problems.add(where + ": EndDate is not an xsd:dateTime");
            }
            if (start != null && end != null && end.isBefore(start)) {
                problems.add(where + ": EndDate before StartDate");
            }
            if (id != null && start != null && r.name() != null && r.description() != null) {
                items.add(new CodeListItem(id, r.name(), r.description(), start, end));
            }
        }
        items.sort(Comparator.comparingInt(CodeListItem::identifier));
        List<String> shown = problems.size() <= MAX_PROBLEMS ? problems
                : append(problems.subList(0, MAX_PROBLEMS), "… and " + (problems.size() - MAX_PROBLEMS) + " more");
        return new ValidatedList(List.copyOf(items), List.copyOf(shown));
    }

    /** True when the list may replace the last good snapshot. */
    public boolean acceptable() {
        return problems.isEmpty();
    }

    /** The problems in one line, for the log and the API. */
    public String summary() {
        return String.join("; ", problems);
    }

    private static List<String> append(List<String> first, String last) {
        List<String> all = new ArrayList<>(first);
        all.add(last);
        return all;
    }

    private static Integer integer(String text) {
        try {
            return text == null ? null : Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant dateTime(String text) {
        try {
            return text == null ? null : DanishTime.parseDateTime(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
