package org.socsecgateway.codelist.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One code's change between two snapshots: {@code before} is null when ADDED, {@code after} null when REMOVED. */
public record CodeChange(ChangeKind kind, int identifier, CodeListItem before, CodeListItem after) {

    /**
     * The changes from {@code before} to {@code after} (each sorted by identifier, no duplicates), ordered by
     * identifier.
     */
    public static List<CodeChange> between(List<CodeListItem> before, List<CodeListItem> after) {
        Map<Integer, CodeListItem> old = new HashMap<>();
        before.forEach(item -> old.put(item.identifier(), item));
        List<CodeChange> changes = new ArrayList<>();
        for (CodeListItem now : after) {
            CodeListItem was = old.remove(now.identifier());
            if (was == null) {
                changes.add(new CodeChange(ChangeKind.ADDED, now.identifier(), null, now));
            } else if (!was.equals(now)) {
                changes.add(new CodeChange(expires(was, now) ? ChangeKind.EXPIRED : ChangeKind.CHANGED, now.identifier(), was, now));
            }
        }
        old.values().forEach(was -> changes.add(new CodeChange(ChangeKind.REMOVED, was.identifier(), was, null)));
        changes.sort(Comparator.comparingInt(CodeChange::identifier));
        return changes;
    }

    private static boolean expires(CodeListItem was, CodeListItem now) {
        boolean sameOtherwise = was.name().equals(now.name()) && was.description().equals(now.description())
                && was.startDate().equals(now.startDate());
        boolean endEarlier = now.endDate() != null && (was.endDate() == null || now.endDate().isBefore(was.endDate()));
        return sameOtherwise && endEarlier;
    }
}
