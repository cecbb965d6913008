package org.socsecgateway.codelist.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.socsecgateway.codelist.store.ListState;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One list as served from memory: the last good snapshot (items sorted by identifier) and its state. Immutable; each
 * code is rendered once, and the whole list once per validity interval (between two consecutive start or end dates
 * of its codes the answer cannot change), so a lookup is a map read.
 */
public final class Snapshot {

    /** Rendered lists kept per snapshot (the interval of "now" and a few explicit validAt's); beyond it, cleared. */
    private static final int LIST_CACHE_SIZE = 16;

    private final ListState state;
    private final List<CodeListItem> items;
    private final Map<Integer, Rendered> codes;
    private final Instant[] boundaries;
    private final Map<Long, Rendered> lists = new ConcurrentHashMap<>();
    private final ObjectMapper json;
    private volatile Instant nextFetch;

    /** The snapshot of {@code state}'s list with {@code items} (sorted by identifier). */
    public Snapshot(ListState state, List<CodeListItem> items, ObjectMapper json) {
        this.state = state;
        this.items = List.copyOf(items);
        this.json = json;
        Map<Integer, Rendered> rendered = new HashMap<>();
        TreeSet<Instant> instants = new TreeSet<>();
        for (CodeListItem item : items) {
            rendered.put(item.identifier(), render(CodeView.of(item)));
            instants.add(item.startDate());
            if (item.endDate() != null) {
                instants.add(item.endDate());
            }
        }
        this.codes = Map.copyOf(rendered);
        this.boundaries = instants.toArray(Instant[]::new);
    }

    public ListState state() {
        return state;
    }

    public String name() {
        return state.name();
    }

    /** The snapshot's items, sorted by identifier (empty before the first good fetch). */
    public List<CodeListItem> items() {
        return items;
    }

    /** True once a good snapshot exists. */
    public boolean hasSnapshot() {
        return state.fetchedAt() != null;
    }

    /** Stale as the API and metrics show it: the last fetch gave no new good snapshot, or there is none yet. */
    public boolean stale() {
        return state.stale() || !hasSnapshot();
    }

    /** One code rendered as {@link CodeView}; null when the list has no such code. */
    public Rendered code(int identifier) {
        return codes.get(identifier);
    }

    /**
     * The list as valid at {@code at} (start inclusive, end exclusive), with the codes already expired then when
     * {@code includeExpired}: {@code {"name", "stale", "items": [CodeView…]}}. No fetch time in it, so the entity tag
     * changes only when the served codes or the stale flag do (the fetch time is in the list's summary).
     */
    public Rendered list(Instant at, boolean includeExpired) {
        long key = interval(at) * 2L + (includeExpired ? 1 : 0);
        Rendered cached = lists.get(key);
        if (cached != null) {
            return cached;
        }
        List<CodeView> shown = new ArrayList<>();
        for (CodeListItem item : items) {
            if (includeExpired ? item.startedBy(at) : item.validAt(at)) {
                shown.add(CodeView.of(item));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", state.name());
        body.put("stale", state.stale());
        body.put("items", shown);
        Rendered rendered = render(body);
        if (lists.size() >= LIST_CACHE_SIZE) {
            lists.clear();
        }
        lists.put(key, rendered);
        return rendered;
    }

    /** When the schedule fetches this list next: {@code plan} of this snapshot's state, computed once. */
    public Instant nextFetch(Function<ListState, Instant> plan) {
        Instant next = nextFetch;
        if (next == null) {
            next = plan.apply(state);
            nextFetch = next;
        }
        return next;
    }

    /** The first start or end date of a code after {@code at} (when a "valid now" answer changes), or null. */
    public Instant nextBoundaryAfter(Instant at) {
        int next = interval(at);
        return next < boundaries.length ? boundaries[next] : null;
    }

    /** The index of the validity interval holding {@code at}: 0 before the first boundary, i after the i-th. */
    private int interval(Instant at) {
        int found = Arrays.binarySearch(boundaries, at);
        return found >= 0 ? found + 1 : -found - 1;
    }

    private Rendered render(Object body) {
        try {
            return Rendered.of(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A code list is always JSON", e);
        }
    }
}
