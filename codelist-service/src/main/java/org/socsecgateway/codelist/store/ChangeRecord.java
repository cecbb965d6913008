package org.socsecgateway.codelist.store;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One row of the change history: its id (increasing; the paging cursor), when the fetch saw it, the code, the kind,
 * and the code before and after.
 */
public record ChangeRecord(long id, Instant changedAt, int identifier, String kind, JsonNode before, JsonNode after) {
}
