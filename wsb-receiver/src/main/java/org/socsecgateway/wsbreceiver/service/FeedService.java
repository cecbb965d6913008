package org.socsecgateway.wsbreceiver.service;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;
import org.socsecgateway.wsbreceiver.config.ReceiverConfig;
import org.socsecgateway.wsbreceiver.store.DatabaseUnavailableException;
import org.socsecgateway.wsbreceiver.store.FeedPage;
import org.socsecgateway.wsbreceiver.store.FeedQuery;
import org.socsecgateway.wsbreceiver.store.FeedStore;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Reads the feed, waiting (long-poll) up to the asked time for events when there are none yet. A waiting caller
 * holds no thread: it is woken by this replica's publisher, or looks again every poll interval for events that
 * another replica published.
 */
@ApplicationScoped
public class FeedService {

    private final FeedStore store;
    private final FeedSignal signal;
    private final Duration pollInterval;
    private final Duration retryAfter;

    FeedService(FeedStore store, FeedSignal signal, ReceiverConfig config) {
        this.store = store;
        this.signal = signal;
        this.pollInterval = config.feed().pollInterval();
        this.retryAfter = config.databaseRetryAfter();
    }

    public Uni<FeedPage> read(String caller, FeedQuery query, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        CompletableFuture<Void> published = signal.next();
        return blocking(() -> {
            store.recordPosition(caller, query.after());
            return store.read(query);
        }).flatMap(page -> waitIfEmpty(page, published, query, deadline));
    }

    /** {@code published} was taken before {@code page} was read, so a publication during the read is not missed. */
    private Uni<FeedPage> waitIfEmpty(FeedPage page, CompletableFuture<Void> published, FeedQuery query, long deadline) {
        long remaining = deadline - System.nanoTime();
        if (!page.events().isEmpty() || remaining <= 0) {
            return Uni.createFrom().item(page);
        }
        CompletableFuture<Void> wakeUp = published.copy()
                .completeOnTimeout(null, Math.min(remaining, pollInterval.toNanos()), TimeUnit.NANOSECONDS);
        return Uni.createFrom().completionStage(wakeUp).flatMap(ignored -> {
            CompletableFuture<Void> nextPublication = signal.next();
            return blocking(() -> store.read(query)).flatMap(next -> waitIfEmpty(next, nextPublication, query, deadline));
        });
    }

    private Uni<FeedPage> blocking(Supplier<FeedPage> read) {
        return Uni.createFrom().item(read)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(DatabaseUnavailableException.class)
                .transform(e -> new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "The event feed cannot be read right now")
                        .retryAfter(retryAfter));
    }
}
