package org.socsecgateway.simulators.wsb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.socsecgateway.simulators.TestWsbReceiver;
import org.socsecgateway.simulators.TestWsbReceiver.Arrival;
import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.simulators.wsb.DeliveryReport.Delivery;
import org.socsecgateway.simulators.wsb.DeliveryReport.Outcome;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StarWsbSenderTest {

    @TempDir
    static Path dir;

    static LocalPki pki;
    static TestWsbReceiver receiver;

    @BeforeAll
    static void start() {
        pki = LocalPki.create(dir.resolve("pki"));
        // like a real receiver: requires and pins STAR's client certificate
        receiver = TestWsbReceiver.start(pki.serverCert(), pki.serverKey(), pki.starClientCert());
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @BeforeEach
    void reset() {
        receiver.reset();
    }

    static StarWsbSender.Builder sender() {
        return StarWsbSender.builder()
                .clientIdentity(pki.starClientCert(), pki.starClientKey())
                .trust(pki.serverCert())
                .target(receiver.baseUrl())
                .retryBaseDelay(Duration.ofMillis(10));
    }

    @Test
    void deliversOnAny2xxPresentingTheStarClientCertificate() {
        List<WsbMessage> messages = new WsbMessages(1, 3).next(3);
        Map<String, Integer> statuses = Map.of(messages.get(0).meddelelseId(), 200, messages.get(1).meddelelseId(), 202,
                messages.get(2).meddelelseId(), 204);
        receiver.policy((id, attempt) -> statuses.get(id));

        DeliveryReport report;
        try (StarWsbSender sender = sender().build()) {
            report = sender.sendAll("/akasse", messages);
        }

        assertThat(report.allDelivered()).isTrue();
        assertThat(report.sent()).isEqualTo(3);
        assertThat(report.duplicates()).isZero();
        assertThat(report.attempts()).isEqualTo(3);
        for (WsbMessage message : messages) {
            Delivery delivery = report.delivery(message.meddelelseId());
            assertThat(delivery.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(delivery.attempts()).isEqualTo(1);
            assertThat(delivery.lastStatus()).isEqualTo(statuses.get(message.meddelelseId()));
            assertThat(delivery.cpr()).isEqualTo(message.cpr());
        }
        assertThat(receiver.arrivals()).hasSize(3).allSatisfy(arrival -> {
            assertThat(arrival.path()).isEqualTo("/wsb/akasse");
            assertThat(arrival.contentType()).isEqualTo("application/json");
            assertThat(arrival.clientSubject()).contains("CN=sys-org-star-test");
            assertThat(arrival.body().get("EntitetId").isInt()).isTrue();
        });
    }

    @Test
    void retriesServerErrorsWithGrowingDelays() {
        receiver.policy((id, attempt) -> attempt <= 3 ? 503 : 200);
        WsbMessage message = new WsbMessages(2, 1).next();

        DeliveryReport report;
        try (StarWsbSender sender = sender().retryBaseDelay(Duration.ofMillis(50)).build()) {
            report = sender.send("", message);
        }

        Delivery delivery = report.delivery(message.meddelelseId());
        assertThat(delivery.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(delivery.attempts()).isEqualTo(4);
        assertThat(delivery.statuses()).containsExactly(503, 503, 503, 200);
        List<Arrival> arrivals = receiver.arrivals(message.meddelelseId());
        assertThat(arrivals).hasSize(4);
        List<Long> gapsMs = new ArrayList<>();
        for (int i = 1; i < arrivals.size(); i++) {
            gapsMs.add((arrivals.get(i).nanos() - arrivals.get(i - 1).nanos()) / 1_000_000);
        }
        // (2^n - 1) x 50 ms: 50, 150, 350 ms (a timer may fire a millisecond early on some systems; the steps are
        // 100 ms apart or more, so a busy build machine's scheduling delay cannot reorder them)
        assertThat(gapsMs.get(0)).isGreaterThanOrEqualTo(49);
        assertThat(gapsMs.get(1)).isGreaterThanOrEqualTo(149).isGreaterThan(gapsMs.get(0));
        assertThat(gapsMs.get(2)).isGreaterThanOrEqualTo(349).isGreaterThan(gapsMs.get(1));
    }

    @Test
    void givesUpAfterMaxAttempts() {
        receiver.policy((id, attempt) -> 500);
        WsbMessage message = new WsbMessages(3, 1).next();

        DeliveryReport report;
        try (StarWsbSender sender = sender().retryBaseDelay(Duration.ofMillis(1)).maxAttempts(3).build()) {
            report = sender.send("", message);
        }

        Delivery delivery = report.delivery(message.meddelelseId());
        assertThat(delivery.outcome()).isEqualTo(Outcome.GAVE_UP);
        assertThat(delivery.attempts()).isEqualTo(3);
        assertThat(delivery.lastStatus()).isEqualTo(500);
        assertThat(report.allDelivered()).isFalse();
        assertThat(report.notDelivered()).containsExactly(message.meddelelseId());
        assertThat(receiver.arrivals()).hasSize(3);
    }

    @Test
    void clientErrorsArePermanentByDefault() {
        receiver.policy((id, attempt) -> 400);
        WsbMessage message = new WsbMessages(4, 1).next();

        DeliveryReport report;
        try (StarWsbSender sender = sender().build()) {
            report = sender.send("", message);
        }

        Delivery delivery = report.delivery(message.meddelelseId());
        assertThat(delivery.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(delivery.attempts()).isEqualTo(1);
        assertThat(delivery.lastStatus()).isEqualTo(400);
        assertThat(report.rejected()).isEqualTo(1);
        assertThat(receiver.arrivals()).hasSize(1);
    }

    @Test
    void clientErrorsAreRetriedWhenSwitchedOn() {
        receiver.policy((id, attempt) -> attempt <= 2 ? 400 : 200);
        WsbMessage message = new WsbMessages(5, 1).next();

        DeliveryReport report;
        try (StarWsbSender sender = sender().retryClientErrors(true).build()) {
            report = sender.send("", message);
        }

        assertThat(report.delivery(message.meddelelseId()).statuses()).containsExactly(400, 400, 200);
        assertThat(report.allDelivered()).isTrue();
    }

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = {1, 4})
    void laterMessagesOfAFailingCitizenWaitWhileOtherCitizensGoOn(int concurrency) {
        WsbMessages generator = new WsbMessages(6, 2);
        String a = generator.citizens().get(0);
        String b = generator.citizens().get(1);
        List<WsbMessage> messages = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            messages.add(generator.next(a));
            messages.add(generator.next(b));
        }
        String a1 = messages.get(0).meddelelseId();
        receiver.policy((id, attempt) -> id.equals(a1) && attempt <= 2 ? 503 : 200);

        DeliveryReport report;
        try (StarWsbSender sender = sender().retryBaseDelay(Duration.ofMillis(100)).concurrency(concurrency).build()) {
            report = sender.sendAll("/kontakt", messages);
        }

        assertThat(report.allDelivered()).isTrue();
        assertThat(report.delivery(a1).attempts()).isEqualTo(3);
        List<Arrival> arrivals = receiver.arrivals();
        List<String> orderOfA = arrivals.stream().filter(x -> x.cpr().equals(a)).map(Arrival::messageId).toList();
        assertThat(orderOfA).containsExactly(a1, a1, a1, messages.get(2).meddelelseId(), messages.get(4).meddelelseId());
        List<String> orderOfB = arrivals.stream().filter(x -> x.cpr().equals(b)).map(Arrival::messageId).toList();
        assertThat(orderOfB).containsExactly(messages.get(1).meddelelseId(), messages.get(3).meddelelseId(),
                messages.get(5).meddelelseId());
        // b's messages were all delivered while a1 was still waiting for its retries
        int a1Delivered = indexOf(arrivals, x -> x.messageId().equals(a1) && x.delivered());
        int lastOfB = indexOf(arrivals, x -> x.messageId().equals(messages.get(5).meddelelseId()));
        assertThat(lastOfB).isLessThan(a1Delivered);
    }

    @Test
    void loadWithDuplicatesDeliversEveryMessage() {
        // every 7th message fails once: retries interleave with the rest
        receiver.policy((id, attempt) -> Math.floorMod(id.hashCode(), 7) == 0 && attempt == 1 ? 503 : 200);
        LoadSpec spec = new LoadSpec("/load", 400, 8, 0.25, 11);

        DeliveryReport report;
        try (StarWsbSender sender = sender().retryBaseDelay(Duration.ofMillis(5)).build()) {
            report = sender.load(spec);
        }

        List<WsbMessage> expected = new WsbMessages(11, spec.citizens()).next(400);
        Set<String> expectedIds = expected.stream().map(WsbMessage::meddelelseId).collect(Collectors.toSet());
        assertThat(report.allDelivered()).isTrue();
        assertThat(report.messageIds()).isEqualTo(expectedIds);
        assertThat(report.duplicates()).isBetween(60, 140);
        assertThat(report.sent()).isEqualTo(400 + report.duplicates());
        assertThat(report.attempts()).isGreaterThan(report.sent());
        long sentTwice = report.byMessageId().values().stream().filter(d -> d.size() == 2).count();
        assertThat(sentTwice).isEqualTo(report.duplicates());

        List<Arrival> delivered = receiver.arrivals().stream().filter(Arrival::delivered).toList();
        assertThat(delivered).hasSize(report.sent());
        Map<String, Long> deliveriesById = delivered.stream()
                .collect(Collectors.groupingBy(Arrival::messageId, Collectors.counting()));
        assertThat(deliveriesById.keySet()).isEqualTo(expectedIds);
        assertThat(deliveriesById.values().stream().filter(n -> n == 2).count()).isEqualTo(report.duplicates());
        // per citizen, messages were delivered in the order STAR generated them (timestamps only increase)
        Map<String, OffsetDateTime> lastByCitizen = new HashMap<>();
        for (Arrival arrival : delivered) {
            OffsetDateTime at = OffsetDateTime.parse(arrival.tidspunkt());
            OffsetDateTime previous = lastByCitizen.put(arrival.cpr(), at);
            if (previous != null) {
                assertThat(at).as("citizen %s", arrival.cpr()).isAfterOrEqualTo(previous);
            }
        }
        assertThat(report.summary()).containsEntry("allDelivered", true).containsEntry("messages", 400);
    }

    @Test
    void refusesAReceiverWhoseCertificateItDoesNotTrust() {
        LocalPki other = LocalPki.create(dir.resolve("other-pki"));
        try (TestWsbReceiver impostor = TestWsbReceiver.start(other.serverCert(), other.serverKey(), pki.starClientCert());
             StarWsbSender sender = sender().target(impostor.baseUrl()).maxAttempts(2).build()) {
            WsbMessage message = new WsbMessages(8, 1).next();

            Delivery delivery = sender.send("", message).delivery(message.meddelelseId());

            assertThat(delivery.outcome()).isEqualTo(Outcome.GAVE_UP);
            assertThat(delivery.statuses()).containsExactly(0, 0);
            assertThat(delivery.lastError()).contains("PKIX");
            assertThat(impostor.arrivals()).isEmpty();
        }
    }

    @Test
    void theReceiverRefusesAnotherClientCertificate() {
        try (StarWsbSender notStar = sender().clientIdentity(pki.signingCert(), pki.signingKey()).maxAttempts(1).build()) {
            WsbMessage message = new WsbMessages(9, 1).next();

            Delivery delivery = notStar.send("", message).delivery(message.meddelelseId());

            assertThat(delivery.outcome()).isEqualTo(Outcome.GAVE_UP);
            assertThat(delivery.lastStatus()).isZero();
            assertThat(delivery.lastError()).contains("bad_certificate");
            assertThat(receiver.arrivals()).isEmpty();
        }
    }

    @Test
    void closingTheSenderEndsARunThatIsWaitingForARetry() throws Exception {
        receiver.policy((id, attempt) -> 503);
        StarWsbSender sender = sender().retryBaseDelay(Duration.ofSeconds(60)).build();
        java.util.concurrent.CompletableFuture<DeliveryReport> run =
                sender.sendAllAsync("", List.of(new WsbMessages(10, 1).next())).toCompletableFuture();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (receiver.arrivals().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        sender.close();

        assertThat(receiver.arrivals()).hasSize(1);
        assertThat(run).isCompletedExceptionally();
    }

    @Test
    void retryDelayFollowsStarsFormula() {
        try (StarWsbSender star = sender().retryBaseDelay(Duration.ofSeconds(1)).build();
             StarWsbSender scaled = sender().retryBaseDelay(Duration.ofMillis(10)).build()) {
            assertThat(List.of(1, 2, 3, 4, 13).stream().map(n -> star.retryDelay(n).toSeconds()).toList())
                    .containsExactly(1L, 3L, 7L, 15L, 8191L);
            assertThat(star.retryDelay(14)).isEqualTo(Duration.ofSeconds(10_800));
            assertThat(star.retryDelay(100)).isEqualTo(Duration.ofSeconds(10_800));
            assertThat(scaled.retryDelay(3)).isEqualTo(Duration.ofMillis(70));
        }
    }

    @Test
    void builderRefusesIncompleteOrPlainHttpSettings() {
        assertThatThrownBy(() -> sender().target("http://localhost:1/wsb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StarWsbSender.builder().trust(pki.serverCert()).target("https://localhost/").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("clientIdentity");
        assertThatThrownBy(() -> sender().concurrency(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoadSpec("", LoadSpec.MAX_COUNT + 1, 1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(StarWsbSender.join("https://h/wsb/", "/a")).isEqualTo("https://h/wsb/a");
        assertThat(StarWsbSender.join("https://h/wsb", "a")).isEqualTo("https://h/wsb/a");
        assertThat(StarWsbSender.join("https://h/wsb", "")).isEqualTo("https://h/wsb");
    }

    private static int indexOf(List<Arrival> arrivals, java.util.function.Predicate<Arrival> match) {
        for (int i = 0; i < arrivals.size(); i++) {
            if (match.test(arrivals.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such arrival");
    }
}
