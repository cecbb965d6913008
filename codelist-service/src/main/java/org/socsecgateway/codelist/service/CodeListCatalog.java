package org.socsecgateway.codelist.service;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.socsecgateway.codelist.config.CodeListConfig;
import org.socsecgateway.codelist.store.CodeListStore;
import org.socsecgateway.codelist.store.ListState;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The configured code lists as served from memory: one {@link Snapshot} per list, loaded from PostgreSQL at start
 * (no DFDG call needed to serve after a restart) and again whenever a list's row changed (a fetch by this or another
 * replica).
 */
@ApplicationScoped
public class CodeListCatalog {

    private final CodeListStore store;
    private final ObjectMapper json;
    private final Map<String, String> operations;
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();

    CodeListCatalog(CodeListStore store, ObjectMapper json, CodeListConfig config) {
        this.store = store;
        this.json = json;
        Map<String, String> ops = new TreeMap<>();
        config.lists().forEach((name, list) -> ops.put(name, list.operation()));
        this.operations = Map.copyOf(ops);
    }

    /** Configured list name → its {@code Get<Xxx>CodeList} operation. */
    public Map<String, String> operations() {
        return operations;
    }

    /** The configured list names, sorted. */
    public List<String> names() {
        return operations.keySet().stream().sorted().toList();
    }

    /** The list as served now; empty for a name that is not configured or not loaded yet. */
    public Optional<Snapshot> get(String name) {
        return Optional.ofNullable(snapshots.get(name));
    }

    /** Every loaded list, sorted by name. */
    public Collection<Snapshot> all() {
        return new TreeMap<>(snapshots).values();
    }

    /**
     * Reads every list's row and reloads the lists whose version changed.
     *
     * @throws org.socsecgateway.codelist.store.StoreUnavailableException when PostgreSQL fails (memory is kept)
     */
    public void sync() {
        for (ListState state : store.states()) {
            if (!operations.containsKey(state.name())) {
                continue;
            }
            Snapshot current = snapshots.get(state.name());
            if (current == null || current.state().version() != state.version()) {
                snapshots.put(state.name(), new Snapshot(state, store.items(state.name()), json));
            }
        }
    }
}
