package org.socsecgateway.simulators.codelist;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The code lists of a {@link DfdgCodeListSimulator} and how each is served right now (thread-safe): the list with
 * its changes, or an empty list, or the list with one deliberately broken item.
 */
final class CodeLists {

    /** A valid name/description can be at most this long (DFDG guide §3.6, docs/partners.md). */
    static final int MAX_NAME = 100;
    static final int MAX_DESCRIPTION = 500;

    private final Clock clock;
    private final Map<String, List<CodeListItem>> lists = new HashMap<>();
    /** Operations served empty. */
    private final Map<String, Boolean> empty = new HashMap<>();
    /** Operations served with a broken item, and how it is broken. */
    private final Map<String, DfdgCodeListSimulator.Invalid> invalid = new HashMap<>();
    private boolean extraElements;

    CodeLists(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        reset();
    }

    /** The list as it is served now. */
    synchronized List<CodeListItem> served(String operation) {
        List<CodeListItem> list = list(operation);
        if (empty.containsKey(operation)) {
            return List.of();
        }
        DfdgCodeListSimulator.Invalid kind = invalid.get(operation);
        return kind == null ? List.copyOf(list) : broken(list, kind);
    }

    /** The list without the empty/invalid switches, with its changes. */
    synchronized List<CodeListItem> normal(String operation) {
        return List.copyOf(list(operation));
    }

    synchronized boolean extraElements() {
        return extraElements;
    }

    synchronized void extraElements(boolean on) {
        this.extraElements = on;
    }

    /**
     * Applies {@code change} to a copy of the list and keeps it only when the change succeeds and every identifier
     * stays unique (so a failed batch changes nothing).
     *
     * @throws IllegalArgumentException from the change, or for a duplicate identifier
     */
    synchronized void change(String operation, Consumer<List<CodeListItem>> change) {
        List<CodeListItem> copy = new ArrayList<>(list(operation));
        change.accept(copy);
        long distinct = copy.stream().mapToInt(CodeListItem::identifier).distinct().count();
        if (distinct != copy.size()) {
            throw new IllegalArgumentException("identifiers must stay unique in " + operation);
        }
        lists.put(operation, copy);
    }

    synchronized void serveEmpty(String operation) {
        list(operation);
        invalid.remove(operation);
        empty.put(operation, true);
    }

    synchronized void serveInvalid(String operation, DfdgCodeListSimulator.Invalid kind) {
        list(operation);
        empty.remove(operation);
        invalid.put(operation, Objects.requireNonNull(kind, "kind"));
    }

    /** Back to the default list (as generated for the clock's now), without changes or switches. */
    synchronized void restore(String operation) {
        list(operation);
        empty.remove(operation);
        invalid.remove(operation);
        lists.put(operation, new ArrayList<>(DefaultCodeLists.at(clock.instant(), operation)));
    }

    /** Every list back to its default, no extra elements. */
    synchronized void reset() {
        empty.clear();
        invalid.clear();
        extraElements = false;
        DefaultCodeLists.at(clock.instant()).forEach((op, items) -> lists.put(op, new ArrayList<>(items)));
    }

    /** A valid item checked as DFDG's schema would (name, description, start, end after start). */
    static CodeListItem checked(CodeListItem item) {
        Objects.requireNonNull(item, "item");
        if (item.name() == null || item.name().length() > MAX_NAME) {
            throw new IllegalArgumentException("Name must have at most " + MAX_NAME + " characters");
        }
        if (item.description() == null || item.description().isEmpty()
                || item.description().length() > MAX_DESCRIPTION) {
            throw new IllegalArgumentException("Description must have 1 to " + MAX_DESCRIPTION + " characters");
        }
        if (item.startDate() == null || item.endDate() == null) {
            throw new IllegalArgumentException("StartDate and EndDate are required");
        }
        try {
            if (!item.endInstant().isAfter(item.startInstant())) {
                throw new IllegalArgumentException("EndDate must be after StartDate");
            }
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("StartDate and EndDate must be xsd:dateTime: " + e.getMessage());
        }
        return item;
    }

    private List<CodeListItem> list(String operation) {
        List<CodeListItem> list = lists.get(operation);
        if (list == null) {
            throw new IllegalArgumentException("no code list operation " + operation + "; known: "
                    + DfdgCodeListSimulator.OPERATIONS);
        }
        return list;
    }

    /** The list with its first item broken as {@code kind} says (a placeholder item if the list is empty). */
    private List<CodeListItem> broken(List<CodeListItem> list, DfdgCodeListSimulator.Invalid kind) {
        List<CodeListItem> items = new ArrayList<>(list);
        if (items.isEmpty()) {
            items.add(new CodeListItem(1, "Kode 1", "Kode 1", CodeListItem.withOffset(clock.instant()),
                    CodeListItem.OPEN_END));
        }
        CodeListItem first = items.get(0);
        switch (kind) {
            case NAME_TOO_LONG -> items.set(0, first.withName("N".repeat(MAX_NAME + 1)));
            case END_BEFORE_START -> items.set(0, first.withEndDate(
                    CodeListItem.withOffset(first.startInstant().minus(1, ChronoUnit.DAYS))));
            case DUPLICATE_IDENTIFIER -> items.add(new CodeListItem(first.identifier(), first.name() + " (dublet)",
                    first.description(), first.startDate(), first.endDate()));
            case DESCRIPTION_EMPTY -> items.set(0, new CodeListItem(first.identifier(), first.name(), "",
                    first.startDate(), first.endDate()));
            case DESCRIPTION_TOO_LONG -> items.set(0, new CodeListItem(first.identifier(), first.name(),
                    "D".repeat(MAX_DESCRIPTION + 1), first.startDate(), first.endDate()));
            case MISSING_START_DATE -> items.set(0, new CodeListItem(first.identifier(), first.name(),
                    first.description(), null, first.endDate()));
        }
        return List.copyOf(items);
    }

    /** How the list is served now: {@code NORMAL}, {@code EMPTY} or the {@link DfdgCodeListSimulator.Invalid} kind. */
    synchronized String serving(String operation) {
        list(operation);
        DfdgCodeListSimulator.Invalid kind = invalid.get(operation);
        return empty.containsKey(operation) ? "EMPTY" : kind != null ? kind.name() : "NORMAL";
    }
}
