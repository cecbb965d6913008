package org.socsecgateway.bcssproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.socsecgateway.bcssproxy.service.ApiGuard;
import org.socsecgateway.bcssproxy.service.ApiGuard.Refusal;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

/**
 * {@link ApiGuard} on its own (in the application, where SmallRye Fault Tolerance runs): the order of bulkhead and
 * breaker and the accounting of a half-open trial.
 */
@QuarkusTest
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ApiGuardTest {

    @Inject
    Vertx vertx;

    private final List<Refusal> refusals = new CopyOnWriteArrayList<>();

    /** One place, one waiting, 200 ms of wait; one failure opens for 300 ms. */
    private ApiGuard guard() {
        return new ApiGuard("test", vertx, 1, 1, Duration.ofMillis(200), 1, Duration.ofMillis(300));
    }

    /** Admits a call that passes the breaker and ends when {@code end} completes; returns whether it ran. */
    private CompletableFuture<Boolean> call(ApiGuard guard, CompletableFuture<Void> end) {
        CompletableFuture<Boolean> ran = new CompletableFuture<>();
        guard.admit(() -> {
            CompletionStage<Void> exchange = guard.exchange(() -> {
                ran.complete(true);
                return end;
            });
            CompletableFuture<Void> released = new CompletableFuture<>();
            exchange.whenComplete((ignored, failure) -> {
                if (ApiGuard.isCircuitOpen(failure)) {
                    refusals.add(guard.circuitOpen());
                    ran.complete(false);
                }
                released.complete(null);
            });
            return released;
        }, refusal -> {
            refusals.add(refusal);
            ran.complete(false);
        });
        return ran;
    }

    @Test
    void aCallRefusedForConcurrencyNeverTakesTheHalfOpenTrial() throws Exception {
        ApiGuard guard = guard();
        call(guard, CompletableFuture.failedFuture(new ApiGuard.UpstreamFailure("test"))).get(5, TimeUnit.SECONDS);
        assertThat(guard.state()).isEqualTo(ApiGuard.State.OPEN);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> guard.state() == ApiGuard.State.HALF_OPEN);

        CompletableFuture<Void> trialEnd = new CompletableFuture<>();
        assertThat(call(guard, trialEnd).get(5, TimeUnit.SECONDS)).as("the trial runs").isTrue();
        // The only place is taken by the trial: this one waits 200 ms, is refused, and leaves the breaker alone.
        assertThat(call(guard, CompletableFuture.completedFuture(null)).get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(refusals).extracting(Refusal::reason).containsExactly(Refusal.Reason.CONCURRENCY);
        assertThat(guard.state()).isEqualTo(ApiGuard.State.HALF_OPEN);

        trialEnd.complete(null);
        assertThat(guard.state()).isEqualTo(ApiGuard.State.CLOSED);
        assertThat(call(guard, CompletableFuture.completedFuture(null)).get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(guard.inFlight()).isZero();
    }

    @Test
    void onlyUpstreamFailuresCountAndConsecutiveOnesOpen() throws Exception {
        ApiGuard guard = new ApiGuard("test", vertx, 4, 1, Duration.ofMillis(200), 2, Duration.ofSeconds(30));
        call(guard, CompletableFuture.failedFuture(new ApiGuard.UpstreamFailure("test"))).get(5, TimeUnit.SECONDS);
        call(guard, CompletableFuture.failedFuture(new IllegalStateException("the caller went away"))).get(5, TimeUnit.SECONDS);
        call(guard, CompletableFuture.failedFuture(new ApiGuard.UpstreamFailure("test"))).get(5, TimeUnit.SECONDS);
        assertThat(guard.state()).as("not consecutive").isEqualTo(ApiGuard.State.CLOSED);
        call(guard, CompletableFuture.failedFuture(new ApiGuard.UpstreamFailure("test"))).get(5, TimeUnit.SECONDS);
        assertThat(guard.state()).isEqualTo(ApiGuard.State.OPEN);
        assertThat(call(guard, CompletableFuture.completedFuture(null)).get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(refusals).extracting(Refusal::reason).containsExactly(Refusal.Reason.CIRCUIT_OPEN);
        assertThat(refusals.get(0).retryAfter()).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30));
    }

    @Test
    void aWaitingCallRunsWhenThePlaceComesFreeInTime() throws Exception {
        ApiGuard guard = new ApiGuard("test", vertx, 1, 1, Duration.ofSeconds(30), 1, Duration.ofSeconds(30));
        CompletableFuture<Void> firstEnd = new CompletableFuture<>();
        assertThat(call(guard, firstEnd).get(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> second = call(guard, CompletableFuture.completedFuture(null));
        CompletableFuture<Boolean> third = call(guard, CompletableFuture.completedFuture(null));
        assertThat(third.get(5, TimeUnit.SECONDS)).as("the queue holds one").isFalse();
        assertThat(guard.waiting()).isEqualTo(1);
        assertThat(second).isNotDone();

        firstEnd.complete(null);
        assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(guard.waiting()).isZero();
        assertThat(guard.inFlight()).isZero();
    }
}
