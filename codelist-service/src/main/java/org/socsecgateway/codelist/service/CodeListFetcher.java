package org.socsecgateway.codelist.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.socsecgateway.codelist.client.CodeListFetchException;
import org.socsecgateway.codelist.client.DfdgCodeListClient;
import org.socsecgateway.codelist.client.RawItem;
import org.socsecgateway.codelist.config.CodeListConfig;
import org.socsecgateway.codelist.store.CodeListStore;
import org.socsecgateway.codelist.store.ListState;
import org.socsecgateway.codelist.store.StoreUnavailableException;
import org.socsecgateway.common.http.CorrelationIdFilter;
import org.socsecgateway.dfdg.soap.DfdgFault;

/**
 * Fetches one list from DFDG and, when DFDG's list passes validation as a whole ({@link ValidatedList}), makes it the
 * new snapshot with its changes as history. The fetch is first claimed in PostgreSQL, which refuses it when DFDG
 * answered less than 24 h ago (unless forced) or another instance is fetching, so no replica and no restart can
 * fetch a list twice a day. A refused or failed fetch keeps the last good snapshot and marks the list stale; each is
 * logged once, with DFDG's ErrorCode.
 */
@ApplicationScoped
public class CodeListFetcher {

    private static final Logger LOG = Logger.getLogger(CodeListFetcher.class);

    private final DfdgCodeListClient client;
    private final CodeListStore store;
    private final CodeListCatalog catalog;
    private final CodeListMetrics metrics;
    private final Clock clock;
    private final Duration claimTimeout;
    private final Duration forcedMinInterval;
    private final String instance;

    CodeListFetcher(DfdgCodeListClient client, CodeListStore store, CodeListCatalog catalog, CodeListMetrics metrics,
                    Clock clock, CodeListConfig config, InstanceName instance) {
        this.client = client;
        this.store = store;
        this.catalog = catalog;
        this.metrics = metrics;
        this.clock = clock;
        this.claimTimeout = config.schedule().claimTimeout();
        this.forcedMinInterval = config.schedule().forcedMinInterval();
        this.instance = instance.get();
    }

    /** A scheduled fetch: only when DFDG's last answer is at least 24 h old. */
    public FetchResult fetch(String list) {
        return fetch(list, null, null, false);
    }

    /**
     * A fetch of {@code list} ({@code forcedBy}/{@code reason}: an operator's refresh; {@code force} skips the 24 h
     * rule, not the forced minimum interval, and is logged with them).
     *
     * @throws IllegalArgumentException  for a list that is not configured
     * @throws StoreUnavailableException when PostgreSQL fails before DFDG is called
     */
    public FetchResult fetch(String list, String forcedBy, String reason, boolean force) {
        String operation = catalog.operations().get(list);
        if (operation == null) {
            throw new IllegalArgumentException("not a configured list: " + list);
        }
        Instant started = clock.instant();
        if (!store.claim(list, instance, started, started.plus(claimTimeout), force ? forcedMinInterval : null)) {
            // another live claim (busy), or too soon: within 24 h of DFDG's answer, or forced too soon after the last try
            ListState state = state(list);
            FetchOutcome outcome = FetchOutcome.BUSY;
            if (force && state != null && state.attemptedAt() != null
                    && state.attemptedAt().isAfter(started.minus(forcedMinInterval))) {
                outcome = FetchOutcome.THROTTLED;
            } else if (!force && state != null && state.answeredAt() != null
                    && state.answeredAt().isAfter(started.minus(FetchPlan.MIN_INTERVAL))) {
                outcome = FetchOutcome.NOT_DUE;
            }
            metrics.fetched(list, outcome);
            return new FetchResult(list, outcome, null, null, state);
        }
        Object previous = MDC.get(CorrelationIdFilter.MDC_KEY);
        MDC.put(CorrelationIdFilter.MDC_KEY, "codelist-" + list + "-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            if (force) {
                LOG.warnf("Forced fetch of code list %s by %s: %s", list, forcedBy, reason);
            }
            FetchResult result = fetchClaimed(list, operation, started, forcedBy, reason);
            metrics.fetched(list, result.outcome());
            return result;
        } finally {
            if (previous == null) {
                MDC.remove(CorrelationIdFilter.MDC_KEY);
            } else {
                MDC.put(CorrelationIdFilter.MDC_KEY, previous);
            }
        }
    }

    private FetchResult fetchClaimed(String list, String operation, Instant started, String forcedBy, String reason) {
        List<RawItem> raw;
        try {
            raw = client.fetch(operation);
        } catch (CodeListFetchException e) {
            DfdgFault fault = e.fault();
            metrics.fault(list, fault);
            LOG.warnf("Code list %s (%s) not fetched, %s: %s%s", list, operation, kept(list), fault.describe(), fault.configurationProblem() ? " (a configuration problem: certificate,"
                            + " organisation or permissions)" : "");
            return unsuccessful(fetch(list, started, forcedBy, reason), false, null, fault.errorCode(), fault.describe(),
                    FetchOutcome.FAILED);
        }
        List<CodeListItem> current = store.items(list);
        ValidatedList validated = ValidatedList.of(raw, current.size());
        CodeListStore.Fetch fetch = fetch(list, started, forcedBy, reason);
        if (!validated.acceptable()) {
            LOG.warnf("Code list %s (%s) refused, %s: %d items, %s", list, operation, kept(list), raw.size(),
                    validated.summary());
            return unsuccessful(fetch, true, raw.size(), null, "refused: " + validated.summary(), FetchOutcome.REFUSED);
        }
        List<CodeChange> changes = CodeChange.between(current, validated.items());
        store.saveAccepted(fetch, validated.items(), changes);
        Map<ChangeKind, Integer> counts = new EnumMap<>(ChangeKind.class);
        changes.forEach(c -> counts.merge(c.kind(), 1, Integer::sum));
        counts.forEach((kind, count) -> metrics.changed(list, kind, count));
        LOG.infof("Code list %s (%s) fetched: %d codes, changes %s", list, operation, validated.items().size(), counts);
        return new FetchResult(list, FetchOutcome.ACCEPTED, null, null, synced(list));
    }

    /** The forced minimum interval ({@code codelist.schedule.forced-min-interval}). */
    public Duration forcedMinInterval() {
        return forcedMinInterval;
    }

    /** What the API goes on serving, for the log line of an unsuccessful fetch. */
    private String kept(String list) {
        return catalog.get(list).filter(Snapshot::hasSnapshot).isPresent()
                ? "the last good snapshot stays and is marked stale" : "the list has no snapshot yet and is marked stale";
    }

    private FetchResult unsuccessful(CodeListStore.Fetch fetch, boolean answered, Integer itemCount, Integer errorCode,
                                     String detail, FetchOutcome outcome) {
        store.saveUnsuccessful(fetch, answered, itemCount, errorCode, detail);
        return new FetchResult(fetch.list(), outcome, detail, errorCode, synced(fetch.list()));
    }

    private CodeListStore.Fetch fetch(String list, Instant started, String forcedBy, String reason) {
        return new CodeListStore.Fetch(list, instance, started, clock.instant(), forcedBy, reason);
    }

    /** Memory follows the store at once (other replicas follow at their next schedule check). */
    private ListState synced(String list) {
        catalog.sync();
        return catalog.get(list).map(Snapshot::state).orElse(null);
    }

    private ListState state(String list) {
        return store.states().stream().filter(s -> s.name().equals(list)).findFirst().orElse(null);
    }
}
