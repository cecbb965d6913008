package org.socsecgateway.wsbreceiver.service;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Group commit: the messages of concurrent requests share one database transaction, and so one commit (one WAL
 * fsync), instead of one each.
 * <p>
 * A request hands its messages to {@link #submit} and waits for the answer. Each committer thread takes everything
 * that queued while it was busy — no timer, it never waits for more to arrive — up to {@code maxMessages} (but always
 * at least one whole submission, so an ingest batch is never split), stores all of it with {@code storeAll} in one
 * transaction, and only after that returned (committed) completes each submission's future with its own outcomes:
 * an answer never comes before the commit of its own messages. When the group's transaction fails, nothing of it was
 * stored, and
 * <ul>
 * <li>if {@code isolate} says the error may be one member's fault (a value the database refuses), each submission is
 * stored again alone, so the bad one gets its own error and the others their outcomes, exactly as without grouping;</li>
 * <li>otherwise (database unavailable) every member gets that error: retrying them one by one would only make each
 * wait for the same outage.</li>
 * </ul>
 * {@link #close} refuses new submissions ({@code closedError}) and returns once everything already queued has been
 * committed (or has failed), so a shutdown loses no message it accepted.
 *
 * @param <T> a message
 * @param <R> its outcome; {@code storeAll} returns one per message, in order
 */
public final class GroupCommit<T, R> implements AutoCloseable {

    private final Function<List<T>, List<R>> storeAll;
    private final Predicate<RuntimeException> isolate;
    private final Supplier<RuntimeException> closedError;
    private final IntConsumer committed;
    private final int maxMessages;
    private final List<Thread> committers = new ArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition submitted = lock.newCondition();
    private final ArrayDeque<Submission<T, R>> queue = new ArrayDeque<>(); // guarded by lock
    private boolean closed; // guarded by lock
    private volatile int pending; // messages submitted and not answered yet (queued or in a transaction)

    /**
     * Starts {@code committers} threads named {@code name-1}, {@code name-2}, ...
     *
     * @param storeAll    stores the messages in one transaction and returns once it is committed; throws when nothing
     *                    of them was stored
     * @param isolate     whether a failure of a group is worth storing its submissions one by one
     * @param closedError the error of a submission after {@link #close}
     * @param committed   told the number of messages of each committed transaction (metrics)
     */
    public GroupCommit(String name, int committers, int maxMessages, Function<List<T>, List<R>> storeAll,
                       Predicate<RuntimeException> isolate, Supplier<RuntimeException> closedError, IntConsumer committed) {
        if (committers < 1 || maxMessages < 1) {
            throw new IllegalArgumentException("committers and maxMessages must be at least 1");
        }
        this.storeAll = storeAll;
        this.isolate = isolate;
        this.closedError = closedError;
        this.committed = committed;
        this.maxMessages = maxMessages;
        for (int i = 1; i <= committers; i++) {
            Thread thread = new Thread(this::run, name + "-" + i);
            thread.setDaemon(true); // a JVM that exits without close() answers nobody: nothing was promised
            this.committers.add(thread);
            thread.start();
        }
    }

    /** Queues the messages for the next transaction; the future completes after their commit, or with the error. */
    public CompletableFuture<List<R>> submit(List<T> messages) {
        Submission<T, R> submission = new Submission<>(List.copyOf(messages), new CompletableFuture<>());
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(closedError.get());
            }
            queue.add(submission);
            pending += messages.size();
            submitted.signal();
        } finally {
            lock.unlock();
        }
        return submission.result();
    }

    /** Messages submitted and not answered yet: queued, or in a transaction now. */
    public int pending() {
        return pending;
    }

    /** Refuses new submissions and waits (at most {@code timeout}) until the queued ones are committed. */
    public void close(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            closed = true;
            submitted.signalAll();
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : committers) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(30));
    }

    private void run() {
        List<Submission<T, R>> group;
        while ((group = next()) != null) {
            try {
                commit(group);
            } catch (RuntimeException | Error e) {
                // a bug (e.g. storeAll returned too few outcomes), not the database: nobody may wait forever
                group.stream().filter(submission -> !submission.result().isDone()).forEach(submission -> answer(submission, null, e));
                if (e instanceof Error error) {
                    throw error;
                }
            }
        }
    }

    /** What queued since the last take, up to maxMessages (at least one submission); null once closed and empty. */
    private List<Submission<T, R>> next() {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                submitted.awaitUninterruptibly(); // close() wakes it; queued messages are always committed first
            }
            List<Submission<T, R>> group = new ArrayList<>();
            int size = 0;
            while (!queue.isEmpty() && (group.isEmpty() || size + queue.peek().messages().size() <= maxMessages)) {
                Submission<T, R> submission = queue.poll();
                group.add(submission);
                size += submission.messages().size();
            }
            return group;
        } finally {
            lock.unlock();
        }
    }

    private void commit(List<Submission<T, R>> group) {
        List<T> all = new ArrayList<>();
        group.forEach(submission -> all.addAll(submission.messages()));
        List<R> outcomes;
        try {
            outcomes = storeAll.apply(all);
        } catch (RuntimeException e) {
            if (group.size() > 1 && isolate.test(e)) {
                group.forEach(submission -> commit(List.of(submission)));
            } else {
                group.forEach(submission -> answer(submission, null, e));
            }
            return;
        }
        int from = 0;
        for (Submission<T, R> submission : group) {
            int to = from + submission.messages().size();
            answer(submission, List.copyOf(outcomes.subList(from, to)), null);
            from = to;
        }
        committed.accept(all.size()); // after the answers: bookkeeping never holds one back
    }

    private void answer(Submission<T, R> submission, List<R> outcomes, Throwable error) {
        lock.lock();
        try {
            pending -= submission.messages().size();
        } finally {
            lock.unlock();
        }
        if (error == null) {
            submission.result().complete(outcomes);
        } else {
            submission.result().completeExceptionally(error);
        }
    }

    private record Submission<T, R>(List<T> messages, CompletableFuture<List<R>> result) {
    }
}
