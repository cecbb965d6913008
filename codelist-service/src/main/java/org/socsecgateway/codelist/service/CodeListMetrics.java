package org.socsecgateway.codelist.service;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.socsecgateway.dfdg.soap.DfdgFault;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The service's metrics (README "Metrics"). Label values are bounded: {@code list} is a configured list name,
 * {@code outcome} and {@code kind} are enum values, {@code code} is DFDG's ErrorCode or a failure kind.
 */
@Singleton
public class CodeListMetrics {

    private final MeterRegistry registry;
    private final List<Gauge> gauges = new ArrayList<>();

    CodeListMetrics(MeterRegistry registry, CodeListCatalog catalog, Clock clock) {
        this.registry = registry;
        for (String list : catalog.names()) {
            gauges.add(Gauge.builder("codelist_snapshot_age_seconds", catalog,
                            c -> c.get(list).filter(Snapshot::hasSnapshot)
                                    .map(s -> (double) Duration.between(s.state().fetchedAt(), clock.instant()).toSeconds())
                                    .orElse(Double.NaN))
                    .description("Age of the list's last good snapshot (NaN before the first)").tag("list", list)
                    .register(registry));
            gauges.add(Gauge.builder("codelist_items", catalog, c -> c.get(list).map(s -> s.items().size()).orElse(0))
                    .description("Codes in the list's snapshot, expired and future ones included").tag("list", list)
                    .register(registry));
            gauges.add(Gauge.builder("codelist_stale", catalog,
                            c -> c.get(list).map(s -> s.stale() ? 1 : 0).orElse(1))
                    .description("1 when the last fetch gave no new good snapshot (or none exists yet)").tag("list", list)
                    .register(registry));
            for (FetchOutcome outcome : FetchOutcome.values()) {
                fetches(list, outcome);
            }
        }
        gauges.add(Gauge.builder("codelist_stale_lists", catalog,
                        c -> c.names().stream().filter(n -> c.get(n).map(Snapshot::stale).orElse(true)).count())
                .description("Lists whose last fetch gave no new good snapshot").register(registry));
    }

    /** A gauge reads this instance's state: a registry that outlives it (tests restart the application) must not keep it. */
    @PreDestroy
    void removeGauges() {
        gauges.forEach(registry::remove);
    }

    /** One fetch of {@code list} ended with {@code outcome}. */
    void fetched(String list, FetchOutcome outcome) {
        fetches(list, outcome).increment();
    }

    /** A failed CodeListService call of {@code list}, by DFDG's ErrorCode or the failure kind. */
    void fault(String list, DfdgFault fault) {
        Counter.builder("codelist.dfdg.faults").description("Failed CodeListService calls by list and ErrorCode or kind")
                .tag("list", list).tag("code", fault.codeLabel()).register(registry).increment();
    }

    /** Codes an accepted fetch changed, by kind. */
    void changed(String list, ChangeKind kind, int count) {
        Counter.builder("codelist.changes").description("Codes changed by accepted fetches, by kind")
                .tag("list", list).tag("kind", kind.name().toLowerCase(Locale.ROOT)).register(registry)
                .increment(count);
    }

    private Counter fetches(String list, FetchOutcome outcome) {
        return Counter.builder("codelist.fetches").description("Fetches by list and outcome")
                .tag("list", list).tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry);
    }
}
