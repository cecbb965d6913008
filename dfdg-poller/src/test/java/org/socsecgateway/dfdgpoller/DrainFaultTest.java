package org.socsecgateway.dfdgpoller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.LogCapture;
import org.socsecgateway.dfdgpoller.client.Inventory;
import org.socsecgateway.dfdgpoller.client.SequenceReceipt;
import org.socsecgateway.dfdgpoller.client.WsbReceiverClient;
import org.socsecgateway.dfdgpoller.client.WsrmClient;
import org.socsecgateway.dfdgpoller.service.DrainReport;
import org.socsecgateway.dfdgpoller.service.Drainer;
import org.socsecgateway.dfdgpoller.service.SequenceOutcome;
import org.socsecgateway.simulators.soap.SoapExchange;
import org.socsecgateway.simulators.wsrm.DfdgWsrmSimulator;
import org.socsecgateway.simulators.wsrm.MessageService;
import org.socsecgateway.simulators.wsrm.QueuedMessage;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A fault at each step of a sequence: nothing lost, nothing doubled, CloseSequence sent where the
 * protocol needs it, each fault logged once with its code, and the next drain recovers without a restart.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatedDfdg.class, restrictToAnnotatedClass = true)
class DrainFaultTest {

    private static final String CREATE = "CreateSequence";
    private static final String CLOSE = "CloseSequence";
    private static final String TERMINATE = "TerminateSequence";
    private static final String INDKALDELSE = MessageService.INDKALDELSE.serviceName();
    private static final String CONTACT_GROUP = MessageService.CONTACT_GROUP.serviceName();

    @SimulatedDfdg.InjectDfdg
    Dfdg dfdg;

    @Inject
    Drainer drainer;

    @Inject
    MeterRegistry meters;

    @Inject
    WsrmClient wsrm;

    @Inject
    WsbReceiverClient receiver;

    private final LogCapture log = new LogCapture();
    private Map<String, QueuedMessage> queued;

    @BeforeEach
    void queueMessages() {
        dfdg.wsrm().faults().clear();
        dfdg.wsrm().overrideInventoryEndpoint(null);
        dfdg.wsrm().announceUnknownService(null, 0);
        assertThat(drainer.drain().succeeded()).as("the queue starts empty").isTrue();
        List<QueuedMessage> messages = new ArrayList<>();
        messages.addAll(dfdg.wsrm().queue().enqueue(SimulatedDfdg.SUBSCRIBER, MessageService.INDKALDELSE, 620, 100, 11));
        messages.addAll(dfdg.wsrm().queue().enqueue(SimulatedDfdg.SUBSCRIBER, MessageService.CONTACT_GROUP, 120, 100, 12));
        messages.addAll(dfdg.wsrm().queue().enqueue(SimulatedDfdg.SUBSCRIBER, MessageService.INTERVIEW_DEADLINE, 60, 100, 13));
        queued = messages.stream().collect(Collectors.toMap(QueuedMessage::messageIdentifier, Function.identity()));
        dfdg.wsrm().stats().reset();
        log.start();
    }

    @AfterEach
    void stopCapture() {
        log.stop();
        dfdg.wsrm().faults().clear();
    }

    @Test
    void aFaultOnCreateSequenceIsLoggedOnceWithItsCodeAndTheNextDrainRecovers() {
        double before = faults(CREATE, "1013");
        dfdg.wsrm().faults().faultDetails(CREATE, 1013, "Insufficient permissions", 1);

        DrainReport failed = drainer.drain();

        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.sequences()).extracting(DrainReport.SequenceSummary::outcome).containsExactly(SequenceOutcome.NOT_CREATED);
        assertThat(linesWith("ErrorCode=1013")).hasSize(1);
        assertThat(faults(CREATE, "1013")).isEqualTo(before + 1);
        assertThat(dfdg.wsrm().stats().calls(CLOSE)).as("no sequence, nothing to close").isZero();
        recoversWithEveryMessageOnce();
    }

    @Test
    void aFaultOnTheSecondGetClosesTheSequenceAndNothingIsStoredTwice() {
        dfdg.wsrm().faults().faultDetailsOnCall(INDKALDELSE, 2, 1014, "Validation failed");

        DrainReport failed = drainer.drain();

        assertThat(failed.sequences()).extracting(DrainReport.SequenceSummary::outcome).containsExactly(SequenceOutcome.CLOSED);
        assertThat(dfdg.wsrm().stats().calls(CLOSE)).isEqualTo(1);
        assertThat(dfdg.wsrm().stats().calls(TERMINATE)).isZero();
        assertThat(linesWith("ErrorCode=1014")).hasSize(1);
        assertThat(inFeed()).isEmpty();
        recoversWithEveryMessageOnce();
    }

    @Test
    void anHtml503AnEmptyAnswerAndADroppedConnectionEachCloseTheSequence() {
        dfdg.wsrm().faults().serviceUnavailable(CONTACT_GROUP, 1);
        DrainReport html = drainer.drain();
        assertThat(html.sequences().get(0).outcome()).isEqualTo(SequenceOutcome.CLOSED);
        assertThat(linesWith("status=503")).hasSize(1);

        dfdg.wsrm().faults().emptyAnswers(INDKALDELSE, 1);
        assertThat(drainer.drain().sequences().get(0).outcome()).isEqualTo(SequenceOutcome.CLOSED);
        assertThat(linesWith("EMPTY_ANSWER")).hasSize(1);

        // the Get took effect at DFDG but its answer was lost: those messages were handed out and never stored
        dfdg.wsrm().faults().dropAnswers(INDKALDELSE, 1);
        assertThat(drainer.drain().sequences().get(0).outcome()).isEqualTo(SequenceOutcome.CLOSED);
        dfdg.wsrm().faults().dropConnections(CREATE, 1);
        assertThat(drainer.drain().sequences().get(0).outcome()).isEqualTo(SequenceOutcome.NOT_CREATED);

        assertThat(dfdg.wsrm().stats().calls(CLOSE)).isEqualTo(3);
        assertThat(dfdg.wsrm().queue().deletedIds()).doesNotContainAnyElementsOf(queued.keySet());
        recoversWithEveryMessageOnce();
    }

    @Test
    void wsbReceiverUnavailableClosesTheSequenceAfterItsRetriesAndTheNextDrainStoresEachOnce() {
        dfdg.postgres().stop();
        DrainReport failed;
        try {
            failed = drainer.drain();
        } finally {
            dfdg.postgres().restart();
        }
        // CLOSED, or ABANDONED when DFDG expired the idle sequence during the retries (10 s here): either way nothing
        // was deleted and the messages come again
        assertThat(failed.sequences().get(0).outcome()).isIn(SequenceOutcome.CLOSED, SequenceOutcome.ABANDONED);
        assertThat(dfdg.wsrm().stats().calls(CLOSE)).isEqualTo(1);
        assertThat(dfdg.wsrm().stats().calls(TERMINATE)).isZero();
        assertThat(dfdg.wsrm().queue().deletedIds()).doesNotContainAnyElementsOf(queued.keySet());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> drainer.drain().succeeded());
        assertEveryMessageInTheFeedOnce();
    }

    @Test
    void aTerminateWhoseAnswerIsLostLosesNothing() {
        // DFDG deleted the messages, the poller never heard: its CloseSequence finds no sequence (logged), the feed
        // already holds every message
        dfdg.wsrm().faults().dropAnswers(TERMINATE, 1);
        DrainReport report = drainer.drain();
        assertThat(report.sequences().get(0).outcome()).isEqualTo(SequenceOutcome.ABANDONED);
        assertThat(linesWith("ErrorCode=" + DfdgWsrmSimulator.UNKNOWN_SEQUENCE)).hasSize(1);
        assertEveryMessageInTheFeedOnce();
        assertThat(dfdg.wsrm().queue().deletedIds()).containsAll(queued.keySet());
        assertThat(drainer.drain().succeeded()).isTrue();
    }

    @Test
    void stoppedBetweenIngestAndTerminateTheNextDrainGetsTheSameMessagesAndTheFeedIsUnchanged() {
        // As if DFDG became unreachable after the ingest committed: neither Terminate nor Close arrive, the sequence
        // stays open at DFDG. The next drain closes it first, then gets the same messages again.
        dfdg.wsrm().faults().dropConnections(TERMINATE, 1);
        dfdg.wsrm().faults().dropConnections(CLOSE, 3);
        DrainReport report = drainer.drain();
        assertThat(report.sequences().get(0).outcome()).isEqualTo(SequenceOutcome.ABANDONED);
        List<JsonNode> feed = inFeed();
        assertThat(feed).hasSize(queued.size());
        assertThat(dfdg.wsrm().queue().deletedIds()).doesNotContainAnyElementsOf(queued.keySet());

        DrainReport next = drainer.drain();
        assertThat(next.succeeded()).as("no wait for DFDG's expiry").isTrue();
        assertThat(dfdg.wsrm().stats().calls(CLOSE)).as("3 unanswered, then the next drain's").isEqualTo(4);
        assertThat(dfdg.wsrm().stats().recent(CREATE)).extracting(SoapExchange::errorCode).containsOnlyNulls();
        assertThat(dfdg.wsrm().queue().deliveryAttempts(queued.keySet().iterator().next())).isGreaterThanOrEqualTo(2);
        assertThat(inFeed()).extracting(e -> e.path("cursor").asText())
                .isEqualTo(feed.stream().map(e -> e.path("cursor").asText()).toList());
        assertThat(dfdg.wsrm().queue().deletedIds()).containsAll(queued.keySet());
    }

    @Test
    void aSequenceLeftOpenByAStoppedPollerIsClosedByTheNextDrain() throws Exception {
        // what a poller killed after CreateSequence leaves behind: an open sequence at DFDG, its receipt IN_PROGRESS
        Inventory left = wsrm.createSequence();
        receiver.recordSequence(new SequenceReceipt(left.sequenceId(), Instant.now(), Instant.now(), left.services(), 0, 0, 0,
                WsbReceiverClient.IN_PROGRESS, null, null));

        recoversWithEveryMessageOnce();

        assertThat(dfdg.wsrm().stats().recent(CLOSE)).hasSize(1).first().extracting(SoapExchange::status).isEqualTo(200);
        assertThat(dfdg.wsrm().stats().recent(CREATE)).extracting(SoapExchange::errorCode)
                .as("never refused for the open sequence").containsOnlyNulls();
        boolean found = false;
        for (JsonNode r : dfdg.receipts().path("sequences")) {
            if (r.path("sequenceId").asText().equalsIgnoreCase(left.sequenceId())) {
                assertThat(r.path("outcome").asText()).isEqualTo("CLOSED");
                assertThat(r.path("detail").asText()).contains("left open");
                found = true;
            }
        }
        assertThat(found).as("the receipt of the sequence left open").isTrue();
    }

    @Test
    void aShutdownDuringTheFetchClosesTheSequenceSoItsMessagesComeAgainAtOnce() throws Exception {
        for (String get : List.of(INDKALDELSE, CONTACT_GROUP, MessageService.INTERVIEW_DEADLINE.serviceName())) {
            dfdg.wsrm().faults().latency(get, Duration.ofMillis(700), -1);
        }
        CompletableFuture<DrainReport> running = CompletableFuture.supplyAsync(drainer::drain);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> dfdg.wsrm().stats().recent().stream()
                .anyMatch(e -> e.operation() != null && e.operation().startsWith("Get")));
        try {
            assertThat(drainer.interrupt(Duration.ofSeconds(20))).isTrue();
            DrainReport report = running.get(30, TimeUnit.SECONDS);
            assertThat(report.sequences().get(0).outcome()).isEqualTo(SequenceOutcome.CLOSED);
            assertThat(dfdg.wsrm().stats().calls(CLOSE)).isEqualTo(1);
            assertThat(dfdg.wsrm().stats().calls(TERMINATE)).isZero();
            assertThat(drainer.drain().sequences()).as("no drain starts while shutting down").isEmpty();
        } finally {
            drainer.resume();
        }
        recoversWithEveryMessageOnce();
    }

    @Test
    void anOperationTheWsdlLacksClosesTheSequenceUnreadAndRaisesTheAlertMetric() {
        double before = counter("dfdg.wsrm.inventory.refused", "reason", "unknown_operation");
        dfdg.wsrm().announceUnknownService("GetNewThingVersion1", 3);
        DrainReport report = drainer.drain();
        assertThat(report.sequences().get(0).outcome()).isEqualTo(SequenceOutcome.CLOSED);
        assertThat(dfdg.wsrm().stats().calls(CLOSE)).isEqualTo(1);
        assertThat(dfdg.wsrm().stats().calls(TERMINATE)).as("terminating would delete unread messages").isZero();
        assertThat(dfdg.wsrm().stats().calls(INDKALDELSE)).as("closed before any Get").isZero();
        assertThat(counter("dfdg.wsrm.inventory.refused", "reason", "unknown_operation")).isEqualTo(before + 1);
        assertThat(inFeed()).isEmpty();
        dfdg.wsrm().announceUnknownService(null, 0);
        recoversWithEveryMessageOnce();
    }

    @Test
    void anEndpointOffTheDfdgHostsIsNeverCalled() {
        dfdg.wsrm().overrideInventoryEndpoint("https://dfdg.example.org/PjakTassWCFtService/1/WsrmMessageService.svc");
        DrainReport report = drainer.drain();
        assertThat(report.sequences().get(0).outcome()).isEqualTo(SequenceOutcome.CLOSED);
        assertThat(counter("dfdg.wsrm.inventory.refused", "reason", "endpoint_not_allowed")).isPositive();
        assertThat(linesWith("dfdg.example.org")).hasSize(1);
        dfdg.wsrm().overrideInventoryEndpoint(null);
        recoversWithEveryMessageOnce();
    }

    @Test
    void theEndpointPathIsMatchedWhateverItsCase() {
        dfdg.wsrm().overrideInventoryEndpoint(dfdg.wsrm().messageServiceUrl().replace("PjakTassWCFtService", "PjaktassWCFTservice"));
        recoversWithEveryMessageOnce();
    }

    @Test
    void aServerCertificateTheTrustStoreDoesNotKnowIsRefused() {
        try (DfdgWsrmSimulator rogue = DfdgWsrmSimulator.builder()
                .tls(dfdg.rogueServer().cert(), dfdg.rogueServer().key())
                .port(0).bindHost("127.0.0.1").host("localhost").build().start()) {
            dfdg.wsrm().overrideInventoryEndpoint(rogue.messageServiceUrl());
            DrainReport report = drainer.drain();
            assertThat(report.sequences().get(0).outcome()).isEqualTo(SequenceOutcome.CLOSED);
            assertThat(rogue.stats().requests()).as("no request got through the handshake").isZero();
            assertThat(linesWith("TRANSPORT")).hasSize(1);
        }
        dfdg.wsrm().overrideInventoryEndpoint(null);
        recoversWithEveryMessageOnce();
    }

    @Test
    void theSoapActionIsQuotedAndTheHeadersCarryTheConfiguredValues() {
        recoversWithEveryMessageOnce();
        List<SoapExchange> calls = dfdg.wsrm().stats().recent();
        assertThat(calls).extracting(SoapExchange::operation).contains(CREATE, INDKALDELSE, "SequenceAcknowledgement", TERMINATE);
        for (SoapExchange call : calls) {
            assertThat(call.soapAction()).isEqualTo("\"" + dfdg.wsrm().soapAction(call.operation()) + "\"");
            assertThat(call.activeOrganisation()).containsEntry("OrganisationTypeIdentifier", "8")
                    .containsEntry("OrganisationCode", "101");
            assertThat(call.requestUserMetadata())
                    .containsEntry("RequestUserStructure/UserIdentifier", SimulatedDfdg.USER_IDENTIFIER)
                    .containsEntry("RequestUserStructure/RequestUserTypeIdentifier/CodeListItemIdentifier", "3")
                    .containsKey("RegistrationDateTime");
            assertThat(call.clientSubject()).contains("CVR:12345678-UUID:");
            assertThat(call.status()).isEqualTo(200);
        }
    }

    private void recoversWithEveryMessageOnce() {
        dfdg.wsrm().faults().clear();
        DrainReport report = drainer.drain();
        assertThat(report.succeeded()).as("recovered: %s", report).isTrue();
        assertEveryMessageInTheFeedOnce();
        assertThat(dfdg.wsrm().queue().deletedIds()).containsAll(queued.keySet());
        assertThat(dfdg.wsrm().queue().queued(SimulatedDfdg.SUBSCRIBER)).isZero();
    }

    private void assertEveryMessageInTheFeedOnce() {
        List<JsonNode> feed = inFeed();
        assertThat(feed).hasSize(queued.size());
        Set<String> ids = feed.stream().map(e -> e.path("messageId").asText()).collect(Collectors.toSet());
        assertThat(ids).isEqualTo(queued.keySet());
    }

    private List<JsonNode> inFeed() {
        return dfdg.feed().stream().filter(e -> queued.containsKey(e.path("messageId").asText())).toList();
    }

    private List<String> linesWith(String text) {
        return log.lines().stream().filter(l -> l.contains(text)).toList();
    }

    private double faults(String operation, String code) {
        return counter("dfdg.soap.faults", "operation", operation, "code", code);
    }

    private double counter(String name, String... tags) {
        Counter counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
