package org.socsecgateway.tokenbroker.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.socsecgateway.tokenbroker.client.UpstreamUnavailableException;
import org.socsecgateway.tokenbroker.config.BrokerConfig;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * One cached token per scope set.
 * <ul>
 * <li>Single flight: however many callers find no valid token, one upstream request is made and all wait on it.</li>
 * <li>Refresh ahead: a token near its end is replaced in the background while it is still handed out, so in
 * steady state nobody waits on Smals.</li>
 * <li>Outage: a cached token is handed out until it really expires; after a failure new attempts back off
 * exponentially, and callers that cannot be served are told when to come back.</li>
 * </ul>
 */
@ApplicationScoped
public class TokenCache {

    private static final Logger LOG = Logger.getLogger(TokenCache.class);
    private static final int FETCH_THREADS = 4;
    /** Scheduler identity of the background refresh (liveness watches it). */
    public static final String SWEEP_JOB = "token-cache-sweep";

    /** Where a served token came from. */
    public enum Source {
        CACHE,
        UPSTREAM
    }

    public record Served(AccessToken token, Source source) {
    }

    private final UpstreamTokenFetcher fetcher;
    private final ExecutorService executor;
    private final Clock clock;
    private final BrokerConfig.Cache cacheConfig;
    private final BrokerConfig.Upstream upstreamConfig;
    private final Map<ScopeSet, Entry> entries = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Gauge entriesGauge;
    private volatile Instant lastSweep;

    TokenCache(UpstreamTokenFetcher fetcher, Clock clock, BrokerConfig config, MeterRegistry meters) {
        this.fetcher = fetcher;
        // Upstream calls block; they get threads of their own so that neither callers nor a slow Smals can take
        // them all. Single flight keeps this to one call per scope set.
        this.executor = Executors.newFixedThreadPool(FETCH_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "token-fetch");
            thread.setDaemon(true);
            return thread;
        });
        this.clock = clock;
        this.cacheConfig = config.cache();
        this.upstreamConfig = config.upstream();
        this.lastSweep = clock.instant();
        this.meters = meters;
        this.entriesGauge = Gauge.builder("broker.token.cache.entries", entries, Map::size)
                .description("Scope sets with a cache entry").register(meters);
    }

    @PreDestroy
    void stop() {
        meters.remove(entriesGauge);
        executor.shutdownNow();
    }

    /**
     * The token for a scope set. Callers that must wait for Smals hold no thread while they wait: a burst of cold
     * callers larger than the worker pool must not starve the one request that serves them all.
     */
    public Uni<Served> get(ScopeSet scopes) {
        Entry entry = entries.computeIfAbsent(scopes, Entry::new);
        Instant now = clock.instant();
        entry.lastUsed = now;
        AccessToken cached = entry.token;
        if (servable(cached, now)) {
            if (!now.isBefore(cached.refreshAt())) {
                entry.refreshInBackground(now);
            }
            return Uni.createFrom().item(new Served(cached, Source.CACHE));
        }
        Duration limit = upstreamConfig.connectTimeout().plus(upstreamConfig.readTimeout()).plusSeconds(1);
        // A copy, so that one caller giving up never cancels the request the others are waiting for.
        return Uni.createFrom().completionStage(entry.fetch(now).copy())
                .map(token -> new Served(token, Source.UPSTREAM))
                .ifNoItem().after(limit).failWith(() -> {
                    LOG.warnf("No token for %s within %s", scopes, limit);
                    return new UpstreamUnavailableException("No answer from the authorization server within " + limit, null);
                })
                .onFailure(CompletionException.class).transform(Throwable::getCause);
    }

    /** What a report of a rejected token did: see {@link #reject}. */
    public enum ReportOutcome {
        /** The current token of a scope set the reporter may use: dropped, the next request fetches a fresh one. */
        DROPPED,
        /** The current token, but another report replaced a token of its scope set less than {@code broker.cache.report-min-interval} ago: kept. */
        TOO_RECENT,
        /** Not a current token of a scope set the reporter may use (already replaced, or unknown): nothing changed. */
        UNKNOWN
    }

    /**
     * Forgets a token the upstream refused, so the next request fetches a fresh one. Only the current token of an
     * entry is dropped, and at most once per scope set per {@code broker.cache.report-min-interval}: reports of an older
     * token (already replaced) change nothing, and reports cannot make the broker ask Smals more than once per scope
     * set per interval.
     *
     * @param reporterMayUse whether the reporter may use a scope set: nobody can drop a token they could not have
     */
    public ReportOutcome reject(String reportedToken, Predicate<ScopeSet> reporterMayUse) {
        Instant now = clock.instant();
        for (Entry entry : entries.values()) {
            if (reporterMayUse.test(entry.scopes)) {
                ReportOutcome outcome = entry.dropIfCurrent(reportedToken, now, cacheConfig.reportMinInterval());
                if (outcome == ReportOutcome.DROPPED) {
                    LOG.infof("Dropped a token for %s reported as rejected by the upstream", entry.scopes);
                }
                if (outcome != ReportOutcome.UNKNOWN) {
                    return outcome;
                }
            }
        }
        return ReportOutcome.UNKNOWN;
    }

    /** Starts due refreshes for scope sets in use and forgets idle ones. */
    @Scheduled(identity = SWEEP_JOB, every = "${broker.cache.sweep-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        Instant now = clock.instant();
        lastSweep = now;
        Instant idleSince = now.minus(cacheConfig.idleAfter());
        entries.values().removeIf(entry -> entry.lastUsed.isBefore(idleSince) && !servable(entry.token, now));
        for (Entry entry : entries.values()) {
            AccessToken token = entry.token;
            // Only tokens that exist are refreshed ahead; a scope set that failed waits for its next caller.
            if (token != null && !now.isBefore(token.refreshAt()) && entry.lastUsed.isAfter(idleSince)) {
                entry.refreshInBackground(now);
            }
        }
    }

    public Instant lastSweep() {
        return lastSweep;
    }

    private boolean servable(AccessToken token, Instant now) {
        return token != null && now.isBefore(token.expiresAt().minus(cacheConfig.minRemaining()));
    }

    /**
     * The failure of a token request, as callers see it: the reason, and how long new attempts for the scope set are
     * held back (by backoff or the server's {@code Retry-After}).
     */
    public static final class BackingOff extends RuntimeException {
        private final transient RuntimeException lastFailure;
        private final Duration retryAfter;

        BackingOff(RuntimeException lastFailure, Duration retryAfter) {
            super("Backing off after an upstream failure", null, false, false);
            this.lastFailure = lastFailure;
            this.retryAfter = retryAfter;
        }

        public RuntimeException lastFailure() {
            return lastFailure;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** A fetch ended with something no caller or partner causes (an {@link Error}, a checked exception). */
    public static final class UnexpectedFailure extends RuntimeException {
        UnexpectedFailure(Throwable cause) {
            super("The token request failed unexpectedly: " + cause.getClass().getName(), cause, false, false);
        }
    }

    /** The state for one scope set. Fields change under the entry's lock; reads of the token need none. */
    private final class Entry {
        /** When a report last dropped this scope set's token (null: never). */
        private Instant lastDroppedOnReport;
        final ScopeSet scopes;
        volatile AccessToken token;
        volatile Instant lastUsed;
        private CompletableFuture<AccessToken> inFlight;
        private RuntimeException lastFailure;
        private Instant nextAttemptAt = Instant.EPOCH;
        private Duration backoff = Duration.ZERO;

        Entry(ScopeSet scopes) {
            this.scopes = scopes;
            this.lastUsed = clock.instant();
        }

        synchronized CompletableFuture<AccessToken> fetch(Instant now) {
            if (inFlight != null) {
                return inFlight;
            }
            if (now.isBefore(nextAttemptAt)) {
                return CompletableFuture.failedFuture(new BackingOff(lastFailure, Duration.between(now, nextAttemptAt)));
            }
            CompletableFuture<AccessToken> started = new CompletableFuture<>();
            inFlight = started;
            try {
                // supplyAsync catches every Throwable of the fetch, Errors included, and whenComplete always runs:
                // the in-flight marker cannot outlive the request, whatever it ends with.
                CompletableFuture.supplyAsync(() -> fetcher.fetch(scopes), executor)
                        .whenComplete((fresh, failure) -> settle(started, fresh, failure));
            } catch (RejectedExecutionException e) { // only while the application stops
                inFlight = null;
                return CompletableFuture.failedFuture(new UpstreamUnavailableException("The token broker is stopping", e));
            }
            return started;
        }

        void refreshInBackground(Instant now) {
            fetch(now); // joining an in-flight request or respecting the backoff is exactly right here too
        }

        synchronized ReportOutcome dropIfCurrent(String reported, Instant now, Duration minInterval) {
            AccessToken current = token;
            if (current == null || !current.sameAs(reported)) {
                return ReportOutcome.UNKNOWN;
            }
            if (lastDroppedOnReport != null && now.isBefore(lastDroppedOnReport.plus(minInterval))) {
                return ReportOutcome.TOO_RECENT;
            }
            token = null;
            lastDroppedOnReport = now;
            return ReportOutcome.DROPPED;
        }

        /** Records how the request for {@code result} ended, then completes it (outside the lock). */
        private void settle(CompletableFuture<AccessToken> result, AccessToken fresh, Throwable failure) {
            if (failure == null) {
                succeeded(result, fresh);
                result.complete(fresh);
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            result.completeExceptionally(failed(result, cause));
        }

        private synchronized void succeeded(CompletableFuture<AccessToken> result, AccessToken fresh) {
            token = fresh;
            clearInFlight(result);
            lastFailure = null;
            backoff = Duration.ZERO;
            nextAttemptAt = Instant.EPOCH;
        }

        /**
         * Backs off exponentially; an authorization server that said {@code Retry-After} (already bounded by
         * {@code broker.upstream.max-retry-after}) is not asked again before then.
         */
        private synchronized BackingOff failed(CompletableFuture<AccessToken> result, Throwable cause) {
            clearInFlight(result);
            RuntimeException reason = cause instanceof RuntimeException runtime ? runtime : new UnexpectedFailure(cause);
            lastFailure = reason;
            Duration max = upstreamConfig.maxBackoff();
            Duration doubled = backoff.isZero() ? upstreamConfig.initialBackoff() : backoff.multipliedBy(2);
            backoff = doubled.compareTo(max) > 0 ? max : doubled;
            Duration wait = backoff;
            if (reason instanceof UpstreamUnavailableException unavailable && unavailable.retryAfter().isPresent()
                    && unavailable.retryAfter().get().compareTo(wait) > 0) {
                wait = unavailable.retryAfter().get();
            }
            nextAttemptAt = clock.instant().plus(wait);
            if (reason instanceof UnexpectedFailure) {
                // not caused by a caller or by Smals: a defect, logged with its stack trace
                LOG.errorf(cause, "Token request for %s failed unexpectedly; next attempt in %s", scopes, wait);
            } else {
                LOG.warnf("Token request for %s failed (%s); next attempt in %s", scopes, reason.getMessage(), wait);
            }
            return new BackingOff(reason, wait);
        }

        private void clearInFlight(CompletableFuture<AccessToken> result) {
            if (inFlight == result) {
                inFlight = null;
            }
        }
    }
}
