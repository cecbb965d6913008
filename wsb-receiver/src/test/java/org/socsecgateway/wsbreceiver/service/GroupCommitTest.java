package org.socsecgateway.wsbreceiver.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GroupCommit} with a stand-in store whose "commit" the test holds back: answers only after the commit,
 * shared transactions, a failing member, an outage, shutdown. The same with PostgreSQL: {@code GroupCommitIntegrationTest}.
 */
class GroupCommitTest {

    /** A store that records each transaction and waits for the test's go before it "commits". */
    static final class HeldStore implements Function<List<String>, List<String>> {
        final List<List<String>> transactions = new CopyOnWriteArrayList<>();
        final AtomicInteger started = new AtomicInteger();
        volatile CountDownLatch go = new CountDownLatch(1);
        volatile String refused; // a message this store refuses (as the database refuses a value)
        volatile boolean down;

        @Override
        public List<String> apply(List<String> messages) {
            started.incrementAndGet();
            try {
                if (!go.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never let the commit go");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (down) {
                throw new Unavailable();
            }
            if (refused != null && messages.contains(refused)) {
                throw new Refused();
            }
            transactions.add(List.copyOf(messages));
            return messages.stream().map(m -> "stored " + m).toList();
        }

        List<String> stored() {
            return transactions.stream().flatMap(List::stream).toList();
        }
    }

    static final class Refused extends RuntimeException {
    }

    static final class Unavailable extends RuntimeException {
    }

    static final class Closed extends RuntimeException {
    }

    final HeldStore store = new HeldStore();
    final List<Integer> committedSizes = new CopyOnWriteArrayList<>();
    GroupCommit<String, String> groupCommit;

    GroupCommit<String, String> start(int committers, int maxMessages) {
        groupCommit = new GroupCommit<>("test-commit", committers, maxMessages, store, e -> e instanceof Refused, Closed::new,
                committedSizes::add);
        return groupCommit;
    }

    @AfterEach
    void stop() throws InterruptedException {
        store.go.countDown();
        if (groupCommit != null) {
            groupCommit.close(Duration.ofSeconds(10));
        }
    }

    private List<CompletableFuture<List<String>>> submitEach(int from, int to) {
        List<CompletableFuture<List<String>>> answers = new ArrayList<>();
        IntStream.range(from, to).forEach(i -> answers.add(groupCommit.submit(List.of("m" + i))));
        return answers;
    }

    @Test
    void noAnswerBeforeTheCommitAndWhatQueuedMeanwhileSharesTheNextTransaction() throws Exception {
        start(1, 100);
        CompletableFuture<List<String>> first = groupCommit.submit(List.of("m0"));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.started.get() == 1); // m0's transaction is running
        List<CompletableFuture<List<String>>> later = submitEach(1, 21);
        assertThat(groupCommit.pending()).isEqualTo(21);
        assertThat(first).as("held commit: no answer").isNotDone();
        assertThat(later).noneMatch(CompletableFuture::isDone);

        store.go.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly("stored m0");
        for (int i = 0; i < later.size(); i++) {
            assertThat(later.get(i).get(10, TimeUnit.SECONDS)).as("each gets its own outcome").containsExactly("stored m" + (i + 1));
        }
        assertThat(store.transactions).hasSize(2);
        assertThat(store.transactions.get(1)).hasSize(20).first().isEqualTo("m1");
        // the group size is recorded after the answers (GroupCommit: bookkeeping never holds an answer back)
        await().atMost(Duration.ofSeconds(10)).until(() -> committedSizes.size() == 2);
        assertThat(committedSizes).containsExactly(1, 20);
        assertThat(groupCommit.pending()).isZero();
    }

    @Test
    void aGroupIsBoundedButNeverSplitsASubmission() throws Exception {
        start(1, 5);
        groupCommit.submit(List.of("m0"));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.started.get() == 1);
        List<CompletableFuture<List<String>>> answers = new ArrayList<>(submitEach(1, 4)); // 3 messages
        CompletableFuture<List<String>> batch = groupCommit.submit(List.of("b0", "b1", "b2", "b3", "b4", "b5", "b6")); // 7 > 5
        answers.addAll(submitEach(4, 6));
        store.go.countDown();
        assertThat(batch.get(10, TimeUnit.SECONDS)).hasSize(7);
        for (CompletableFuture<List<String>> answer : answers) {
            answer.get(10, TimeUnit.SECONDS);
        }
        assertThat(store.transactions).extracting(List::size).containsExactly(1, 3, 7, 2);
        assertThat(store.transactions.get(2)).containsExactly("b0", "b1", "b2", "b3", "b4", "b5", "b6");
    }

    @Test
    void aMemberTheDatabaseRefusesFailsAloneAndTheOthersAreStoredOnce() throws Exception {
        start(1, 100);
        groupCommit.submit(List.of("m0"));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.started.get() == 1);
        store.refused = "bad";
        List<CompletableFuture<List<String>>> good = submitEach(1, 4);
        CompletableFuture<List<String>> bad = groupCommit.submit(List.of("x", "bad")); // an ingest batch with a bad item
        good.addAll(submitEach(4, 7));
        store.go.countDown();
        assertThat(bad).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(Refused.class);
        for (int i = 0; i < good.size(); i++) {
            assertThat(good.get(i).get(10, TimeUnit.SECONDS)).containsExactly("stored m" + (i + 1));
        }
        // the group failed whole (nothing stored), then each submission alone: the bad batch stored nothing, not even "x"
        assertThat(store.stored()).containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4", "m5", "m6");
        assertThat(store.transactions).hasSize(7);
    }

    @Test
    void anOutageFailsEveryMemberOnceWithoutRetryingThemOneByOne() throws Exception {
        start(1, 100);
        CompletableFuture<List<String>> first = groupCommit.submit(List.of("m0"));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.started.get() == 1);
        List<CompletableFuture<List<String>>> answers = submitEach(1, 11);
        store.down = true;
        store.go.countDown();
        assertThat(first).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(Unavailable.class);
        for (CompletableFuture<List<String>> answer : answers) {
            assertThat(answer).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(Unavailable.class);
        }
        assertThat(store.started.get()).as("one attempt for m0, one for the group of 10").isEqualTo(2);
        assertThat(store.stored()).isEmpty();
        assertThat(committedSizes).isEmpty();
        assertThat(groupCommit.pending()).isZero();
    }

    @Test
    void aStoreThatBreaksItsContractLeavesNobodyWaitingAndTheCommitterGoesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        groupCommit = new GroupCommit<>("test-commit", 1, 100, messages -> calls.incrementAndGet() == 1
                ? List.of("only one") // too few outcomes: a bug, not the database
                : messages.stream().map(m -> "stored " + m).toList(), e -> false, Closed::new, committedSizes::add);
        CompletableFuture<List<String>> answer = groupCommit.submit(List.of("a", "b"));
        assertThat(answer).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IndexOutOfBoundsException.class);
        assertThat(groupCommit.submit(List.of("c")).get(10, TimeUnit.SECONDS)).containsExactly("stored c");
        assertThat(groupCommit.pending()).isZero();
    }

    @Test
    void closeCommitsEverythingAlreadyQueuedAndRefusesWhatComesAfter() throws Exception {
        start(2, 3);
        List<CompletableFuture<List<String>>> answers = submitEach(0, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.started.get() >= 1);
        answers.addAll(submitEach(2, 12));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
            try {
                groupCommit.close(Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // submissions until the first refused one: those accepted before close() took effect must be committed too
        List<String> accepted = new ArrayList<>(IntStream.range(0, 12).mapToObj(i -> "m" + i).toList());
        CompletableFuture<List<String>> refused = null;
        for (int k = 0; refused == null; k++) {
            assertThat(k).as("close() takes effect").isLessThan(100_000);
            CompletableFuture<List<String>> answer = groupCommit.submit(List.of("late" + k));
            if (answer.isCompletedExceptionally()) {
                refused = answer;
            } else {
                answers.add(answer);
                accepted.add("late" + k);
            }
        }
        assertThat(refused).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class).withCauseInstanceOf(Closed.class);
        assertThat(closing).as("close waits for the queued messages").isNotDone();
        store.go.countDown();
        closing.get(20, TimeUnit.SECONDS);
        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i)).as("accepted before the shutdown: committed")
                    .isCompletedWithValue(List.of("stored " + accepted.get(i)));
        }
        assertThat(store.stored()).containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(groupCommit.submit(List.of("later"))).isCompletedExceptionally();
    }
}
