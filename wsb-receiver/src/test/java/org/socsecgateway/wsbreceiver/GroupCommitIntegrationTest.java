package org.socsecgateway.wsbreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE;
import static org.socsecgateway.wsbreceiver.SimulatedStar.AKASSE_PATH;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.wsb.WsbMessage;
import org.socsecgateway.simulators.wsb.WsbMessages;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Group commit against PostgreSQL: the test holds every transaction of the receiver <em>in its COMMIT</em> (a deferred
 * constraint trigger waits for an advisory lock the test holds), sends messages concurrently, and only then lets the
 * commits go. With the default 1 committer, at most 2 transactions store what was sent together (at most 3 with 2 committers).
 */
@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class GroupCommitIntegrationTest {

    private static final long COMMIT_LOCK = 20_261_129L;

    @SimulatedStar.InjectStar
    Star star;

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    @Inject
    MeterRegistry meters;

    private double pending() {
        return meters.get("wsb.ingest.pending.messages").gauge().value();
    }

    private double transactions() {
        return meters.get("wsb.ingest.transactions").counter().count();
    }

    private CompletableFuture<HttpResponse<String>> send(HttpClient client, String json) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("https://localhost:" + webhook.getPort() + AKASSE_PATH))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends {@code n} messages at once and waits for their answers, so that the client holds {@code n} open
     * connections: the held round then needs no TLS handshake, which on a loaded machine can take long enough for the
     * server to give up on it.
     */
    private void openConnections(HttpClient client, int n) {
        List<CompletableFuture<HttpResponse<String>>> warmUp = new WsbMessages(System.nanoTime(), n).next(n).stream()
                .map(message -> send(client, message.toJson())).toList();
        warmUp.forEach(answer -> assertThat(answer.join().statusCode()).isEqualTo(200));
    }

    /** Waits until {@code n} messages are received and waiting for their commit; fails at once if one was answered. */
    private void awaitPending(int n, List<CompletableFuture<HttpResponse<String>>> mustWait) {
        await().atMost(Duration.ofSeconds(60)).until(() -> pending() == n || mustWait.stream().anyMatch(CompletableFuture::isDone));
        assertThat(mustWait).as("answered before its commit").noneMatch(CompletableFuture::isDone);
    }

    /** Holds each commit of inbox_event rows until {@link CommitHold#close}; the messages are sent meanwhile. */
    private final class CommitHold implements AutoCloseable {
        private final Connection holder;

        CommitHold() throws Exception {
            holder = star.connect();
            try (Statement statement = holder.createStatement()) {
                statement.execute("select pg_advisory_lock(" + COMMIT_LOCK + ")");
                statement.execute("create or replace function group_commit_test_hold() returns trigger language plpgsql as"
                        + " $$ begin perform pg_advisory_xact_lock(" + COMMIT_LOCK + "); return null; end $$");
                statement.execute("create constraint trigger group_commit_test_hold after insert on inbox_event"
                        + " deferrable initially deferred for each row execute function group_commit_test_hold()");
            }
        }

        /** Lets the held commits go. */
        void release() throws Exception {
            try (Statement statement = holder.createStatement()) {
                statement.execute("select pg_advisory_unlock(" + COMMIT_LOCK + ")");
            }
        }

        @Override
        public void close() throws Exception {
            try (holder; Statement statement = holder.createStatement()) {
                statement.execute("select pg_advisory_unlock_all()");
                statement.execute("drop trigger if exists group_commit_test_hold on inbox_event");
            }
        }
    }

    @Test
    void concurrentMessagesShareTransactionsAndNoneIsAnsweredBeforeItsCommit() throws Exception {
        int n = 24;
        List<WsbMessage> messages = new ArrayList<>(new WsbMessages(System.nanoTime(), n - 1).next(n - 1));
        messages.add(messages.get(n / 2)); // sent twice: most likely both in the same transaction
        int distinct = n - 1;
        HttpClient client = star.tlsClient(star.pki().starClientKeystoreP12());
        openConnections(client, n);
        double transactionsBefore = transactions();
        long eventsBefore = star.count("select count(*) from inbox_event where authority = ?", AKASSE);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        try (CommitHold hold = new CommitHold()) {
            messages.forEach(message -> answers.add(send(client, message.toJson())));
            // every message is received, its transaction is in COMMIT or queued: nobody has an answer yet
            awaitPending(n, answers);
            assertThat(star.count("select count(*) from inbox_event where authority = ?", AKASSE))
                    .as("nothing committed yet").isEqualTo(eventsBefore);
            hold.release();
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        }
        List<JsonPath> bodies = answers.stream().map(a -> JsonPath.from(a.join().body())).toList();
        assertThat(bodies).filteredOn(body -> body.getBoolean("duplicate")).hasSize(1);
        assertThat(bodies.get(n / 2).getLong("receipt")).isEqualTo(bodies.get(n - 1).getLong("receipt"));
        assertThat(star.count("select deliveries from receipt where id = ?", bodies.get(n - 1).getLong("receipt"))).isEqualTo(2);
        String ids = bodies.stream().map(body -> String.valueOf(body.getLong("receipt"))).distinct().collect(Collectors.joining(","));
        assertThat(star.count("select count(*) from receipt where id in (" + ids + ")")).isEqualTo(distinct);
        assertThat(star.count("select count(*) from inbox_event where receipt_id in (" + ids + ")")).as("stored once each").isEqualTo(distinct);
        // rows written by one transaction share its id (xmin): the held one(s), then one for all that queued meanwhile
        // (events: written once, with their feed number; a receipt sent twice is updated by the later transaction)
        long writtenBy = star.count("select count(distinct xmin::text) from inbox_event where receipt_id in (" + ids + ")");
        assertThat(writtenBy).isBetween(1L, 3L);
        assertThat(transactions() - transactionsBefore).isEqualTo((double) writtenBy);
        assertThat(pending()).isZero();
    }

    @Test
    void aMessageTheDatabaseRefusesFailsAloneTheOthersOfItsGroupAreStoredAndADuplicateStaysADuplicate() throws Exception {
        String run = Long.toString(System.nanoTime());
        List<WsbMessage> good = new WsbMessages(System.nanoTime(), 6).next(6);
        String twice = new WsbMessages(System.nanoTime() + 1, 1).next().toJson();
        String bad = "{\"MeddelelseId\":\"" + run + "-bad\",\"note\":\"refused-by-group-commit-test\"}";
        HttpClient client = star.tlsClient(star.pki().starClientKeystoreP12());
        openConnections(client, 9);
        long receiptsBefore = star.count("select count(*) from receipt");
        long eventsBefore = star.count("select count(*) from inbox_event");
        try (Connection connection = star.connect(); Statement statement = connection.createStatement()) {
            statement.execute("alter table inbox_event add constraint group_commit_test_refused"
                    + " check (raw not like '%refused-by-group-commit-test%')");
        }
        try (CommitHold hold = new CommitHold()) {
            List<CompletableFuture<HttpResponse<String>>> goodAnswers = new ArrayList<>();
            good.subList(0, 3).forEach(m -> goodAnswers.add(send(client, m.toJson())));
            CompletableFuture<HttpResponse<String>> first = send(client, twice);
            CompletableFuture<HttpResponse<String>> refused = send(client, bad);
            CompletableFuture<HttpResponse<String>> second = send(client, twice);
            good.subList(3, 6).forEach(m -> goodAnswers.add(send(client, m.toJson())));
            // the refused one may already be answered: alone, or its group failed and was split up
            List<CompletableFuture<HttpResponse<String>>> mustWait = new ArrayList<>(goodAnswers);
            mustWait.addAll(List.of(first, second));
            await().atMost(Duration.ofSeconds(60)).until(() -> pending() + (refused.isDone() ? 1 : 0) == 9
                    || mustWait.stream().anyMatch(CompletableFuture::isDone));
            assertThat(mustWait).as("answered before its commit").noneMatch(CompletableFuture::isDone);
            hold.release();

            HttpResponse<String> refusal = refused.get(60, TimeUnit.SECONDS);
            WebhookTest.assertProblem(refusal, 400);
            assertThat(JsonPath.from(refusal.body()).getString("detail")).contains("23514");
            for (CompletableFuture<HttpResponse<String>> answer : goodAnswers) {
                HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(JsonPath.from(response.body()).getBoolean("duplicate")).isFalse();
            }
            JsonPath a = JsonPath.from(first.get(60, TimeUnit.SECONDS).body());
            JsonPath b = JsonPath.from(second.get(60, TimeUnit.SECONDS).body());
            assertThat(List.of(a.getBoolean("duplicate"), b.getBoolean("duplicate"))).containsExactlyInAnyOrder(false, true);
            assertThat(a.getLong("receipt")).isEqualTo(b.getLong("receipt"));
            assertThat(star.count("select deliveries from receipt where id = ?", a.getLong("receipt"))).isEqualTo(2);
        } finally {
            try (Connection connection = star.connect(); Statement statement = connection.createStatement()) {
                statement.execute("alter table inbox_event drop constraint group_commit_test_refused");
            }
        }
        // 6 good + the one sent twice; of the refused message nothing, not even its receipt
        assertThat(star.count("select count(*) from receipt")).isEqualTo(receiptsBefore + 7);
        assertThat(star.count("select count(*) from inbox_event")).isEqualTo(eventsBefore + 7);
        assertThat(star.count("select count(*) from inbox_event where raw like '%refused-by-group-commit-test%'")).isZero();
        for (WsbMessage message : good) {
            assertThat(star.rawOf(message.meddelelseId())).isEqualTo(message.toJson());
        }
    }
}
