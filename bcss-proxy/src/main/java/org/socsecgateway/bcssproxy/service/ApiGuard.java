package org.socsecgateway.bcssproxy.service;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.vertx.core.Vertx;

/**
 * The fault tolerance of one BCSS API, built on SmallRye Fault Tolerance: a bulkhead (calls in flight at most
 * {@code maxConcurrent}; up to {@code maxQueued} more wait at most {@code maxQueueWait} for a place) and, inside
 * it, a circuit breaker ({@code failureThreshold} consecutive upstream failures open it for {@code openFor}; then
 * one trial call decides).
 * <p>
 * A call is admitted in two steps. {@link #admit} takes a place in the bulkhead for the whole call: the work it
 * runs returns a stage that completes when the call has ended, whatever the path (that releases the place).
 * {@link #exchange} then passes the breaker for the part that talks to BCSS: its stage must complete exceptionally
 * with {@link UpstreamFailure} when BCSS failed (5xx, no connection, timeout, broken answer) and normally on any
 * other end (BCSS answered, even 4xx; the caller went away). Anything a call does before {@link #exchange} (reading
 * a small body, getting a token) never reaches the breaker, so a caller or the token broker cannot open the circuit
 * or hold its trial; and a call refused by the bulkhead never reaches the breaker either.
 */
public final class ApiGuard {

    /** The breaker's states, with the values of the {@code proxy_breaker_state} gauge. */
    public enum State {
        CLOSED(0),
        OPEN(1),
        HALF_OPEN(2);

        private final int gaugeValue;

        State(int gaugeValue) {
            this.gaugeValue = gaugeValue;
        }

        public int gaugeValue() {
            return gaugeValue;
        }
    }

    /** Why a call was not let through, and when the caller may try again. */
    public record Refusal(Reason reason, Duration retryAfter) {

        public enum Reason {
            CONCURRENCY,
            CIRCUIT_OPEN
        }
    }

    /** Completes an exchange's stage exceptionally to count it as a BCSS failure. */
    public static final class UpstreamFailure extends RuntimeException {

        public UpstreamFailure(String what) {
            super(what, null, false, false);
        }
    }

    private static final TypeLiteral<CompletionStage<Void>> STAGE = new TypeLiteral<>() {
    };
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final Vertx vertx;
    private final int maxConcurrent;
    private final Duration maxQueueWait;
    private final Duration openFor;
    private final TypedGuard<CompletionStage<Void>> bulkhead;
    private final TypedGuard<CompletionStage<Void>> breaker;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile State state = State.CLOSED;
    private volatile Instant openedAt = Instant.EPOCH;

    public ApiGuard(String api, Vertx vertx, int maxConcurrent, int maxQueued, Duration maxQueueWait,
            int failureThreshold, Duration openFor) {
        this.vertx = vertx;
        this.maxConcurrent = maxConcurrent;
        this.maxQueueWait = maxQueueWait;
        this.openFor = openFor;
        this.bulkhead = TypedGuard.create(STAGE)
                .withDescription("bcss-proxy " + api + " bulkhead")
                .withBulkhead().limit(maxConcurrent).queueSize(maxQueued).done()
                .withThreadOffload(false)
                .build();
        // Consecutive failures: a rolling window as long as the threshold that must be all failures.
        this.breaker = TypedGuard.create(STAGE)
                .withDescription("bcss-proxy " + api + " circuit breaker")
                .withCircuitBreaker()
                .requestVolumeThreshold(failureThreshold).failureRatio(1.0).successThreshold(1)
                .delay(openFor.toMillis(), ChronoUnit.MILLIS)
                .failOn(UpstreamFailure.class)
                .onStateChange(this::changed)
                .done()
                .withThreadOffload(false)
                .build();
    }

    /**
     * Runs {@code call} once the API has a place for it, at once or after waiting in the queue; the place is held
     * until the returned stage completes. When the queue is full or the wait exceeds {@code maxQueueWait},
     * {@code refused} is told instead and {@code call} never runs. Either callback may run on any thread.
     */
    public void admit(Supplier<CompletionStage<Void>> call, Consumer<Refusal> refused) {
        AtomicBoolean decided = new AtomicBoolean();
        AtomicLong timer = new AtomicLong(-1);
        Refusal full = new Refusal(Refusal.Reason.CONCURRENCY, Duration.ofSeconds(1));
        waiting.incrementAndGet();
        bulkhead.get(() -> {
            if (!decided.compareAndSet(false, true)) {
                return DONE; // waited too long and was answered already: give the place to the next one
            }
            long waitTimer = timer.get();
            if (waitTimer >= 0) {
                vertx.cancelTimer(waitTimer);
            }
            waiting.decrementAndGet();
            inFlight.incrementAndGet();
            CompletionStage<Void> running;
            try {
                running = call.get();
            } catch (RuntimeException e) {
                running = CompletableFuture.failedFuture(e);
            }
            return running.whenComplete((ignored, failure) -> inFlight.decrementAndGet());
        }).whenComplete((ignored, failure) -> {
            if (failure instanceof BulkheadException && decided.compareAndSet(false, true)) {
                waiting.decrementAndGet();
                refused.accept(full);
            }
        });
        if (!decided.get()) { // queued: the clock for its wait starts now
            timer.set(vertx.setTimer(Math.max(1, maxQueueWait.toMillis()), id -> {
                if (decided.compareAndSet(false, true)) {
                    waiting.decrementAndGet();
                    refused.accept(full); // its queue entry stays and is skipped when its turn comes
                }
            }));
        }
    }

    /**
     * Passes the circuit breaker and runs {@code exchange}, whose stage records the outcome when it completes
     * (see the class comment). Returns a stage that fails with {@link CircuitBreakerOpenException} when the
     * circuit refuses the call; then {@code exchange} did not run.
     */
    public CompletionStage<Void> exchange(Supplier<CompletionStage<Void>> exchange) {
        return breaker.get(exchange);
    }

    /** The refusal for a call the breaker did not let through: Retry-After is what is left of the open period. */
    public Refusal circuitOpen() {
        Duration left = Duration.between(Instant.now(), openedAt.plus(openFor));
        return new Refusal(Refusal.Reason.CIRCUIT_OPEN, left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left);
    }

    /** Whether {@code failure} is the breaker's refusal. */
    public static boolean isCircuitOpen(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof CircuitBreakerOpenException)) {
            cause = cause.getCause();
        }
        return cause != null;
    }

    public State state() {
        return state;
    }

    /** Calls holding a place (from admission to their end). */
    public int inFlight() {
        return inFlight.get();
    }

    /** Calls waiting for a place. */
    public int waiting() {
        return waiting.get();
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    private void changed(CircuitBreakerState next) {
        if (next == CircuitBreakerState.OPEN) {
            openedAt = Instant.now();
        }
        state = switch (next) {
            case CLOSED -> State.CLOSED;
            case OPEN -> State.OPEN;
            case HALF_OPEN -> State.HALF_OPEN;
        };
    }
}
