package org.socsecgateway.codelist.client;

/**
 * One item of DFDG's answer as text, before validation: each field is null when its element is missing.
 */
public record RawItem(String identifier, String name, String description, String startDate, String endDate) {
}
