package org.socsecgateway.codelist.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.socsecgateway.codelist.config.CodeListConfig;
import org.socsecgateway.codelist.store.ListState;
import org.socsecgateway.codelist.store.StoreUnavailableException;
import org.socsecgateway.common.log.RateLimitedLog;

import io.quarkus.scheduler.Scheduled;

/**
 * The daily fetch ({@link FetchPlan}): every {@code codelist.schedule.check-every} each replica reloads the lists
 * another replica fetched, and fetches the lists that are due. The first check runs right after start
 * ({@link CodeListStartup}), so a list whose snapshot is missing or older than 24 h is fetched then, and only then.
 */
@ApplicationScoped
public class FetchScheduler {

    private static final Logger LOG = Logger.getLogger(FetchScheduler.class);
    private static final RateLimitedLog WARN = new RateLimitedLog(LOG, Duration.ofMinutes(15), 16);

    private final CodeListCatalog catalog;
    private final CodeListFetcher fetcher;
    private final FetchPlan plan;
    private final boolean enabled;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();

    FetchScheduler(CodeListCatalog catalog, CodeListFetcher fetcher, CodeListConfig config, Clock clock) {
        this.catalog = catalog;
        this.fetcher = fetcher;
        this.plan = new FetchPlan(config.schedule());
        this.enabled = config.schedule().enabled();
        this.clock = clock;
    }

    /** Runs {@link #check()} every {@code codelist.schedule.check-every}; the first check is started at start-up. */
    @Scheduled(identity = "codelist-schedule", every = "${codelist.schedule.check-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        check();
    }

    /**
     * One check: reload the lists another replica fetched, fetch the due ones. Never throws for PostgreSQL trouble;
     * returns at once while another check runs.
     */
    public void check() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            catalog.sync();
            if (!enabled) {
                return;
            }
            for (String list : catalog.names()) {
                Optional<ListState> state = catalog.get(list).map(Snapshot::state);
                if (state.isPresent() && !clock.instant().isBefore(nextDue(state.get()))) {
                    fetcher.fetch(list);
                }
            }
        } catch (StoreUnavailableException e) {
            WARN.warnf("store", "PostgreSQL unavailable, lists are served from memory and fetched when it is back: %s",
                    e.getMessage());
        } finally {
            running.set(false);
        }
    }

    /** When {@code snapshot}'s list is fetched next by the schedule (computed once per snapshot). */
    public Instant nextDue(Snapshot snapshot) {
        return snapshot.nextFetch(this::nextDue);
    }

    /** When {@code state}'s list is fetched next by the schedule. */
    public Instant nextDue(ListState state) {
        return plan.nextDue(state.name(), state.answeredAt(), state.attemptedAt());
    }
}
