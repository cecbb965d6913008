package org.socsecgateway.codelist.service;

/**
 * One code as the API shows it (and as the change history keeps it): dates in ISO-8601 with the Danish offset of that
 * instant, {@code endDate} null when open-ended.
 */
public record CodeView(int identifier, String name, String description, String startDate, String endDate) {

    /** The view of {@code item}; null for null. */
    public static CodeView of(CodeListItem item) {
        return item == null ? null : new CodeView(item.identifier(), item.name(), item.description(),
                DanishTime.format(item.startDate()), DanishTime.format(item.endDate()));
    }
}
