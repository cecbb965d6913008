package org.socsecgateway.wsbreceiver.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;

/**
 * The long-poll wake-up: a waiter is registered only while it waits. The reported case: a replica that publishes
 * nothing itself (another replica does) ran 1 M long-poll iterations and kept 1 M attachments (~61 MB).
 */
class FeedSignalTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FeedSignal signal = new FeedSignal(meters);

    @Test
    void aMillionIterationsOnAReplicaThatNeverPublishesLeaveNoWaiter() throws Exception {
        int polls = 1_000;
        int max = 0;
        for (int round = 0; round < 1_000; round++) { // 1,000 long-polls waiting at once, 1,000 iterations each
            long seen = signal.publications();
            List<CompletableFuture<Void>> waiting = new ArrayList<>(polls);
            for (int i = 0; i < polls; i++) {
                waiting.add(signal.await(seen, Duration.ofNanos(1)).toCompletableFuture());
            }
            max = Math.max(max, signal.waiters());
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        }
        assertThat(max).as("never more waiters than long-polls").isLessThanOrEqualTo(polls);
        assertThat(signal.waiters()).isZero();
        assertThat(meters.get("wsb.feed.waiters").gauge().value()).isZero();
    }

    @Test
    void aPublicationWakesEveryWaiterAndLeavesNone() throws Exception {
        long seen = signal.publications();
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            waiting.add(signal.await(seen, Duration.ofMinutes(5)).toCompletableFuture());
        }
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        assertThat(meters.get("wsb.feed.waiters").gauge().value()).isEqualTo(100);

        signal.fire();

        CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(signal.waiters()).isZero();
    }

    @Test
    void aPublicationBetweenReadingAndWaitingIsNotMissed() {
        long seen = signal.publications(); // taken before the (empty) read
        signal.fire(); // events published during the read
        CompletableFuture<Void> waiter = signal.await(seen, Duration.ofMinutes(5)).toCompletableFuture();
        assertThat(waiter).isDone();
        assertThat(signal.waiters()).isZero();
    }

    @Test
    void aWaiterThatTimesOutIsRemoved() throws Exception {
        CompletableFuture<Void> waiter = signal.await(signal.publications(), Duration.ofMillis(50)).toCompletableFuture();
        assertThat(signal.waiters()).isOne();
        waiter.get(10, TimeUnit.SECONDS);
        assertThat(signal.waiters()).isZero();
    }

    @Test
    void shutdownWakesEveryWaiterAndLetsNoneWaitAfterwards() throws Exception {
        long seen = signal.publications();
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            waiting.add(signal.await(seen, Duration.ofMinutes(5)).toCompletableFuture());
        }
        assertThat(signal.closing()).isFalse();

        signal.release(new ShutdownDelayInitiatedEvent());

        CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(signal.closing()).isTrue();
        assertThat(signal.waiters()).isZero();
        // with nothing published since: a long-poll that starts now is answered at once, too
        assertThat(signal.await(signal.publications(), Duration.ofMinutes(5)).toCompletableFuture()).isDone();
        assertThat(signal.waiters()).isZero();
    }
}
