package org.socsecgateway.codelist.rest;

import java.util.List;

import org.socsecgateway.codelist.service.DanishTime;
import org.socsecgateway.codelist.store.ChangeRecord;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code GET /v1/codelists/{name}/changes}: the list's name and its changes, oldest first. */
public record ChangesView(String name, List<Change> changes) {

    /** One code's change, seen by the fetch at {@code changedAt}; {@code before}/{@code after} are codes or null. */
    public record Change(String changedAt, int identifier, String kind, JsonNode before, JsonNode after) {
        static Change of(ChangeRecord record) {
            return new Change(DanishTime.format(record.changedAt()), record.identifier(), record.kind(), record.before(),
                    record.after());
        }
    }
}
