package org.socsecgateway.wsbreceiver.service;

import java.time.Duration;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.socsecgateway.common.problem.Problem;
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
 * another replica published. Once shutdown has begun ({@link FeedSignal#closing()}), it answers with what it has.
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

    /**
     * A page after {@code query.after()}, waiting up to {@code wait} while there is none.
     *
     * @throws ProblemException 409 when the cursor is beyond the head (never handed out by this feed); 503 while the
     *                          database cannot be reached
     */
    public Uni<FeedPage> read(String caller, FeedQuery query, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        long seen = signal.publications();
        return blocking(() -> {
            FeedPage page = store.read(query);
            if (query.after() > page.head()) {
                throw new ProblemException(Problem.of(ProblemType.CONFLICT, "after=" + query.after()
                        + " is beyond the end of this feed (" + page.head() + "): it was not handed out by this feed"
                        + " (another feed or a restored database?). Continue from the head, or from 0 to read all"
                        + " that is still kept").with("head", Long.toString(page.head())));
            }
            store.recordPosition(caller, query.after());
            return page;
        }).flatMap(page -> waitIfEmpty(page, seen, query, deadline));
    }

    /** {@code seen} was taken before {@code page} was read, so a publication during the read is not missed. */
    private Uni<FeedPage> waitIfEmpty(FeedPage page, long seen, FeedQuery query, long deadline) {
        long remaining = deadline - System.nanoTime();
        if (!page.events().isEmpty() || remaining <= 0 || signal.closing()) {
            return Uni.createFrom().item(page);
        }
        Duration pause = Duration.ofNanos(Math.min(remaining, pollInterval.toNanos()));
        return Uni.createFrom().completionStage(() -> signal.await(seen, pause)).flatMap(ignored -> {
            long next = signal.publications();
            return blocking(() -> store.read(query)).flatMap(again -> waitIfEmpty(again, next, query, deadline));
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
