package org.socsecgateway.tokenbroker.service;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/** A normalised set of scopes (order and duplicates do not matter); empty means the client's default scopes. */
public record ScopeSet(SortedSet<String> values) {

    public ScopeSet {
        values = Collections.unmodifiableSortedSet(new TreeSet<>(values));
    }

    public static ScopeSet of(Collection<String> scopes) {
        return new ScopeSet(scopes == null ? new TreeSet<>() : new TreeSet<>(scopes));
    }

    public boolean isDefault() {
        return values.isEmpty();
    }

    public String joined() {
        return String.join(" ", values);
    }

    @Override
    public String toString() {
        return isDefault() ? "(default scopes)" : joined();
    }
}
