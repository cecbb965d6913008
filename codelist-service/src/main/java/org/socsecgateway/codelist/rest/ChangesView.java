package org.socsecgateway.codelist.rest;

import java.util.List;

import org.socsecgateway.codelist.service.DanishTime;
import org.socsecgateway.codelist.store.ChangeRecord;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code GET /v1/codelists/{name}/changes}: the list's name, its changes oldest first, and {@code nextAfter} — the
 * {@code after} of the next page when this one is full (null when there is no more).
 */
public record ChangesView(String name, List<Change> changes, Long nextAfter) {

    /** The page of {@code records}, asked with {@code limit}. */
    static ChangesView of(String name, List<ChangeRecord> records, int limit) {
        return new ChangesView(name, records.stream().map(Change::of).toList(),
                records.size() == limit ? records.get(records.size() - 1).id() : null);
    }

    /**
     * One code's change (its {@code id} increases with every change recorded), seen by the fetch at {@code changedAt};
     * {@code before}/{@code after} are codes or null.
     */
    public record Change(long id, String changedAt, int identifier, String kind, JsonNode before, JsonNode after) {
        static Change of(ChangeRecord record) {
            return new Change(record.id(), DanishTime.format(record.changedAt()), record.identifier(), record.kind(),
                    record.before(), record.after());
        }
    }
}
