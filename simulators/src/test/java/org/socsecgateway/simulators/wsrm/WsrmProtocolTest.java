package org.socsecgateway.simulators.wsrm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.pki.LocalPki;

import javax.xml.namespace.QName;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.simulators.wsrm.SoapWireRulesTest.assertActionNotSupported;
import static org.socsecgateway.simulators.wsrm.SoapWireRulesTest.assertFaultDetails;
import static org.socsecgateway.simulators.wsrm.WsrmCalls.inventory;
import static org.socsecgateway.simulators.wsrm.WsrmCalls.messageIds;
import static org.socsecgateway.simulators.wsrm.WsrmCalls.messageNumber;
import static org.socsecgateway.simulators.wsrm.WsrmCalls.missingRanges;

/** DFDG's WSRM rules (DFDG guide §2.3.2, docs/partners.md), as a poller meets them on the wire. */
class WsrmProtocolTest {

    static LocalPki pki;
    static HttpClient client;
    private final List<DfdgWsrmSimulator> started = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        pki = RawSoap.pki();
        client = RawSoap.focesClient(pki);
    }


    @AfterEach
    void stop() {
        started.forEach(DfdgWsrmSimulator::close);
    }

    private DfdgWsrmSimulator start(Function<DfdgWsrmSimulator.Builder, DfdgWsrmSimulator.Builder> settings) {
        DfdgWsrmSimulator sim = settings.apply(RawSoap.simulator(pki)).build().start();
        started.add(sim);
        return sim;
    }

    @Test
    void moreThan500MessagesComeInPagesOf500WithMessageNumbersAndAreDeletedByACorrectTerminate() throws Exception {
        DfdgWsrmSimulator sim = start(b -> b);
        List<QueuedMessage> enqueued = sim.queue().enqueue("8:123", MessageService.INDKALDELSE, 1201, 50, 7);
        WsrmCalls calls = new WsrmCalls(client, sim, "8:123");

        RawSoap.Answer created = calls.create();
        String id = created.text("Identifier").orElseThrow();

        assertThat(inventory(created)).containsExactly(Map.entry("GetIndkaldelseVersion1", 1201));
        assertThat(created.text("ServiceEndpoint")).hasValue(sim.messageServiceUrl());
        assertThat(sim.queue().queued()).isZero();
        assertThat(sim.queue().inFlight()).isEqualTo(1201);
        List<String> fetched = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            RawSoap.Answer answer = calls.get(MessageService.INDKALDELSE, id);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(messageNumber(answer)).isEqualTo(page);
            assertThat(answer.elements("AckRequested")).singleElement()
                    .satisfies(e -> assertThat(WsrmCalls.child(e, "Identifier")).isEqualTo(id));
            assertThat(messageIds(answer)).hasSize(page < 3 ? 500 : 201);
            fetched.addAll(messageIds(answer));
        }
        assertThat(fetched).containsExactlyElementsOf(enqueued.stream().map(QueuedMessage::messageIdentifier).toList());
        RawSoap.Answer ack = calls.ack(id, new long[] {1, 3});
        assertThat(ack.text("AckCorrect")).hasValue("true");

        RawSoap.Answer terminated = calls.terminate(id);

        assertThat(terminated.text("TerminateSequenceCorrect")).hasValue("true");
        assertThat(terminated.text("Identifier")).hasValue(id);
        assertThat(sim.queue().deletedCount()).isEqualTo(1201);
        assertThat(sim.queue().deletedIds()).containsExactlyInAnyOrderElementsOf(fetched);
        assertThat(sim.queue().sequences()).isEmpty();
        assertThat(inventory(calls.create())).isEmpty();
    }

    @Test
    void itemsCarryTheirEventDatesUnsortedAndTheirPayload() throws Exception {
        DfdgWsrmSimulator sim = start(b -> b);
        List<QueuedMessage> enqueued = sim.queue().enqueue("8:123", MessageService.CONTACT_GROUP, 40, 5, 3);
        WsrmCalls calls = new WsrmCalls(client, sim, "8:123");
        String id = calls.open();

        RawSoap.Answer answer = calls.get(MessageService.CONTACT_GROUP, id);

        List<OffsetDateTime> dates = answer.elements("EventDate").stream()
                .map(e -> OffsetDateTime.parse(e.getTextContent().trim())).toList();
        assertThat(dates).containsExactlyElementsOf(enqueued.stream().map(QueuedMessage::eventDate).toList());
        assertThat(dates).isNotEqualTo(dates.stream().sorted().toList());
        assertThat(answer.elements("ContactGroup")).hasSize(40);
        assertThat(answer.elements("PersonCivilRegistrationIdentifier"))
                .allSatisfy(e -> assertThat(e.getTextContent()).matches("[0-9]{10}"));
        assertThat(answer.elements("DeliveryAttempt")).allSatisfy(e -> assertThat(e.getTextContent()).isEqualTo("1"));
        assertThat(answer.elements("ServiceName")).allSatisfy(e -> assertThat(e.getTextContent()).isEqualTo("GetContactGroupVersion4"));
    }

    @Test
    void severalServicesAreInventoriedAndEachGetAnswersOnlyItsOwn() throws Exception {
        DfdgWsrmSimulator sim = start(b -> b.maxInventory(900));
        List<QueuedMessage> enqueued = sim.queue().fill(WsrmLoad.allServices("8:123", 1000, 20, 11));
        sim.queue().enqueue("8:999", MessageService.INDKALDELSE, 5, 2, 1); // another subscriber's queue
        WsrmCalls calls = new WsrmCalls(client, sim, "8:123");

        RawSoap.Answer created = calls.create();

        Map<String, Integer> inventory = inventory(created);
        assertThat(inventory.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(900);
        assertThat(inventory).hasSize(5);
        assertThat(sim.queue().queued("8:123")).isEqualTo(100);
        assertThat(sim.queue().queued("8:999")).isEqualTo(5);
        String id = created.text("Identifier").orElseThrow();
        List<String> inSequence = enqueued.subList(0, 900).stream()
                .filter(m -> m.service() == MessageService.INTERVIEW_DEADLINE).map(QueuedMessage::messageIdentifier).toList();
        RawSoap.Answer deadlines = calls.get(MessageService.INTERVIEW_DEADLINE, id);
        assertThat(messageIds(deadlines)).containsExactlyElementsOf(inSequence);
        assertThat(deadlines.elements("PersonCivilRegistrationIdentifier")).isEmpty();
        assertThat(deadlines.elements("CaseIdentifier")).hasSize(inSequence.size());
    }

    @Test
    void terminateBeforeEverythingIsFetchedIsFalseAndDeletesNothing() throws Exception {
        DfdgWsrmSimulator sim = start(b -> b);
        sim.queue().enqueue("8:123", MessageService.INDKALDELSE, 1200, 50, 7);
        WsrmCalls calls = new WsrmCalls(client, sim, "8:123");
        String id = calls.open();
        calls.get(MessageService.INDKALDELSE, id);
        calls.get(MessageService.INDKALDELSE, id);

        RawSoap.Answer early = calls.terminate(id);

        assertThat(early.status()).isEqualTo(200);
        assertThat(early.text("TerminateSequenceCorrect")).hasValue("false");
        assertThat(missingRanges(early)).containsExactly(new long[] {1, 2});
        assertThat(sim.queue().deletedCount()).isZero();
        assertThat(sim.queue().sequences()).singleElement().satisfies(s -> {
            assertThat(s.fetched()).isEqualTo(1000);
            assertThat(s.messageNumbers()).isEqualTo(2);
        });
        calls.ack(id, new long[] {1, 2});
        RawSoap.Answer stillMissing = calls.terminate(id);
        assertThat(stillMissing.text("TerminateSequenceCorrect")).hasValue("false"); // 200 not fetched yet
        assertThat(missingRanges(stillMissing)).isEmpty();
        calls.get(MessageService.INDKALDELSE, id);
        RawSoap.Answer unacked = calls.terminate(id);
        assertThat(missingRanges(unacked)).containsExactly(new long[] {3, 3});
        assertThat(calls.ack(id, new long[] {3, 3}).text("AckCorrect")).hasValue("true");
        assertThat(calls.terminate(id).text("TerminateSequenceCorrect")).hasValue("true");
        assertThat(sim.queue().deletedCount()).isEqualTo(1200);
    }

    @Test
    void missingRangesListEveryGap() throws Exception {
        DfdgWsrmSimulator sim = start(b -> b.maxPerGet(10));
        sim.queue().enqueue("8:123", MessageService.UNEMPLOYED_REGISTRATION, 50, 9, 4);
        WsrmCalls calls = new WsrmCalls(client, sim, "8:123");
        String id = calls.open();
        for (int i = 0; i < 5; i++) {
            calls.get(MessageService.UNEMPLOYED_REGISTRATION, id);
        }

        assertThat(calls.ack(id, new long[] {1, 1}, new long[] {3, 4}).text("AckCorrect")).hasValue("true");
        RawSoap.Answer terminated = calls.terminate(id);

        assertThat(terminated.text("TerminateSequenceCorrect")).hasValue("false");
        assertThat(missingRanges(terminated)).containsExactly(new long[] {2, 2}, new long[] {5, 5});
    }

    @Test
    void acknowledgingNumbersNeverSentIsNotCorrect() throws Exception {
        DfdgWsrmSimulator sim = start(b -> b);
        sim.queue().enqueue("8:123", MessageService.INDKALDELSE, 3, 2, 1);
        WsrmCalls calls = new WsrmCalls(client, sim, "8:123");
        String id = calls.open();
        calls.get(MessageService.INDKALDELSE, id);

        assertThat(calls.ack(id, new long[] {1, 2}).text("AckCorrect")).hasValue("false");
        assertThat(calls.ack(id, new long[] {2, 1}).text("AckCorrect")).hasValue("false");
        assertThat(calls.ack(id).text("AckCorrect")).hasValue("true"); // None
        assertThat(missingRanges(calls.terminate(id))).containsExactly(new long[] {1, 1});
    }

    @Test
    void closeReturnsEverythingToTheQueueInItsOldOrder() throws Exception {
        DfdgWsrmSimulator sim = start(b -> b);
        List<QueuedMessage> enqueued = sim.queue().fill(WsrmLoad.allServices("8:123", 300, 10, 5));
        WsrmCalls calls = new WsrmCalls(client, sim, "8:123");
        String id = calls.open();
        calls.get(MessageService.INDKALDELSE, id);

        RawSoap.Answer closed = calls.close(id);

        assertThat(closed.status()).isEqualTo(200);
        assertThat(closed.text("Identifier")).hasValue(id);
        assertThat(sim.queue().inFlight()).isZero();
        assertThat(sim.queue().waiting("8:123")).containsExactlyElementsOf(enqueued);
        assertThat(sim.queue().deletedCount()).isZero();
        assertFaultDetails(calls.terminate(id), DfdgWsrmSimulator.UNKNOWN_SEQUENCE, id);
        String again = calls.open();
        RawSoap.Answer redelivered = calls.get(MessageService.INDKALDELSE, again);
        assertThat(messageNumber(redelivered)).isEqualTo(1);
        assertThat(redelivered.elements("DeliveryAttempt")).allSatisfy(e -> assertThat(e.getTextContent()).isEqualTo("2"));
    }

    @Test
    void createSequenceWhileOneIsOpenIsAFault() throws Exception {
        DfdgWsrmSimulator sim = start(b -> b);
        sim.queue().enqueue("8:123", MessageService.INDKALDELSE, 3, 2, 1);
        sim.queue().enqueue("8:124", MessageService.INDKALDELSE, 3, 2, 1);
        WsrmCalls calls = new WsrmCalls(client, sim, "8:123");
        String id = calls.open();

        assertFaultDetails(calls.create(), DfdgWsrmSimulator.SEQUENCE_ALREADY_OPEN, id);
        assertThat(new WsrmCalls(client, sim, "8:124").create().status()).isEqualTo(200); // other subscribers are free
    }

    @Test
    void anAbandonedSequenceExpiresAndItsMessagesComeAgain() throws Exception {
        WsrmCalls.MutableClock clock = new WsrmCalls.MutableClock();
        DfdgWsrmSimulator sim = start(b -> b.clock(clock).sequenceExpiry(Duration.ofMinutes(10)));
        sim.queue().enqueue("8:123", MessageService.INDKALDELSE, 3, 2, 1);
        WsrmCalls calls = new WsrmCalls(client, sim, "8:123");
        String id = calls.open();
        clock.advance(Duration.ofMinutes(9));
        calls.get(MessageService.INDKALDELSE, id); // a call keeps it alive
        clock.advance(Duration.ofMinutes(9));
        assertThat(sim.queue().inFlight()).isEqualTo(3);

        clock.advance(Duration.ofMinutes(1));

        assertThat(sim.queue().inFlight()).isZero();
        assertThat(sim.queue().queued()).isEqualTo(3);
        assertFaultDetails(calls.get(MessageService.INDKALDELSE, id), DfdgWsrmSimulator.UNKNOWN_SEQUENCE, id);
        assertThat(inventory(calls.create())).containsExactly(Map.entry("GetIndkaldelseVersion1", 3));
    }

    @Test
    void anEmptyInventoryClosesTheSequenceByItself() throws Exception {
        DfdgWsrmSimulator sim = start(b -> b);
        WsrmCalls calls = new WsrmCalls(client, sim, "8:123");

        RawSoap.Answer created = calls.create();

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.elements("ServiceInventoryCollection")).hasSize(1);
        assertThat(created.elements("ServiceItem")).isEmpty();
        assertThat(sim.queue().sequences()).isEmpty();
        assertThat(calls.create().status()).isEqualTo(200);
        String id = created.text("Identifier").orElseThrow();
        assertFaultDetails(calls.terminate(id), DfdgWsrmSimulator.UNKNOWN_SEQUENCE, id);
    }

    @Test
    void getNeedsTheSequenceRequestHeaderNamingAnOpenSequenceOfThisSubscriber() throws Exception {
        DfdgWsrmSimulator sim = start(b -> b);
        sim.queue().enqueue("8:123", MessageService.INDKALDELSE, 3, 2, 1);
        WsrmCalls calls = new WsrmCalls(client, sim, "8:123");
        String id = calls.open();

        assertFaultDetails(calls.get(MessageService.INDKALDELSE, null), DfdgWsrmSimulator.SEQUENCE_HEADER_MISSING,
                "SequenceRequest");
        assertFaultDetails(calls.get(MessageService.INDKALDELSE, "6f1b7c7e-8a52-4d55-9f43-0c7a2e6b9d10"),
                DfdgWsrmSimulator.UNKNOWN_SEQUENCE, "unknown sequence");
        assertFaultDetails(new WsrmCalls(client, sim, "8:999").get(MessageService.INDKALDELSE, id),
                DfdgWsrmSimulator.UNKNOWN_SEQUENCE, "unknown sequence");
        assertFaultDetails(new WsrmCalls(client, sim, "8:999").close(id), DfdgWsrmSimulator.UNKNOWN_SEQUENCE, id);
        assertThat(sim.queue().sequences()).singleElement().satisfies(s -> assertThat(s.fetched()).isZero());
    }

    @Test
    void withoutAcknowledgementsSequenceAcknowledgementIsNoOperationAndTerminateNeedsOnlyTheFetch() throws Exception {
        DfdgWsrmSimulator sim = start(b -> b.acknowledgements(false));
        sim.queue().enqueue("8:123", MessageService.MEMBERSHIP_CANCELLATION, 700, 30, 2);
        WsrmCalls calls = new WsrmCalls(client, sim, "8:123");
        String id = calls.open();
        RawSoap.Answer first = calls.get(MessageService.MEMBERSHIP_CANCELLATION, id);

        assertActionNotSupported(calls.ack(id, new long[] {1, 1}));
        assertThat(first.elements("AckRequested")).isEmpty();
        assertThat(messageNumber(first)).isEqualTo(1);
        assertThat(calls.terminate(id).text("TerminateSequenceCorrect")).hasValue("false");
        calls.get(MessageService.MEMBERSHIP_CANCELLATION, id);
        RawSoap.Answer terminated = calls.terminate(id);
        assertThat(terminated.text("TerminateSequenceCorrect")).hasValue("true");
        assertThat(sim.queue().deletedCount()).isEqualTo(700);
    }

    @Test
    void theInventoryEndpointCanBeWrittenInAnotherCaseOrPointElsewhere() throws Exception {
        DfdgWsrmSimulator otherCase = start(b -> b.inventoryEndpointCase("PjaktassWCFTservice"));
        DfdgWsrmSimulator elsewhere = start(b -> b.inventoryEndpoint("https://evil.example/PjakTassWCFtService/1/WsrmMessageService.svc"));
        otherCase.queue().enqueue("8:123", MessageService.INDKALDELSE, 1, 1, 1);
        elsewhere.queue().enqueue("8:123", MessageService.INDKALDELSE, 1, 1, 1);

        RawSoap.Answer a = new WsrmCalls(client, otherCase, "8:123").create();
        RawSoap.Answer b = new WsrmCalls(client, elsewhere, "8:123").create();

        String endpoint = a.text("ServiceEndpoint").orElseThrow();
        assertThat(endpoint).isEqualTo(otherCase.messageServiceUrl().replace("PjakTassWCFtService", "PjaktassWCFTservice"));
        RawSoap.Answer get = RawSoap.post(client, endpoint,
                "\"" + otherCase.soapAction("GetIndkaldelseVersion1") + "\"",
                RawSoap.envelope(RawSoap.dfdgHeaders("8:123") + RawSoap.sequenceRequest(a.text("Identifier").orElseThrow()),
                        RawSoap.getBody(MessageService.INDKALDELSE)));
        assertThat(messageIds(get)).hasSize(1);
        assertThat(b.text("ServiceEndpoint")).hasValue("https://evil.example/PjakTassWCFtService/1/WsrmMessageService.svc");
    }

    @Test
    void headerNamesAreSettings() throws Exception {
        String ns = "urn:example:wsrm";
        DfdgWsrmSimulator sim = start(b -> b.names(new WsrmNames(new QName(ns, "Sequence"), new QName(ns, "SeqAnswer"),
                new QName(ns, "PleaseAck"), ns)));
        sim.queue().enqueue("8:123", MessageService.INDKALDELSE, 2, 1, 1);
        WsrmCalls calls = new WsrmCalls(client, sim, "8:123");
        String id = calls.open();

        RawSoap.Answer defaultHeader = calls.get(MessageService.INDKALDELSE, id);
        RawSoap.Answer answer = RawSoap.call(client, sim, "8:123", "GetIndkaldelseVersion1",
                "<x:Sequence xmlns:x=\"" + ns + "\"><x:Identifier>" + id + "</x:Identifier></x:Sequence>",
                RawSoap.getBody(MessageService.INDKALDELSE));

        assertFaultDetails(defaultHeader, DfdgWsrmSimulator.SEQUENCE_HEADER_MISSING, "Sequence");
        assertThat(answer.elements("SeqAnswer")).singleElement().satisfies(e -> assertThat(e.getNamespaceURI()).isEqualTo(ns));
        assertThat(answer.elements("PleaseAck")).hasSize(1);
        assertThat(calls.close(id).elements("Identifier")).singleElement()
                .satisfies(e -> assertThat(e.getNamespaceURI()).isEqualTo(ns));
    }

    @Test
    void fiftyThousandQueuedMessagesAreServedInSequencesOfTheMaximumInventory() throws Exception {
        DfdgWsrmSimulator sim = start(b -> b);
        List<QueuedMessage> enqueued = sim.queue().fill(WsrmLoad.allServices("8:123", 50_000, 5_000, 99));
        WsrmCalls calls = new WsrmCalls(client, sim, "8:123");

        RawSoap.Answer created = calls.create();

        assertThat(inventory(created).values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10_000);
        assertThat(sim.queue().queued()).isEqualTo(40_000);
        assertThat(sim.queue().enqueued()).hasSize(50_000);
        assertThat(enqueued.stream().map(QueuedMessage::messageIdentifier).distinct().count()).isEqualTo(50_000);
        assertThat(enqueued.stream().map(QueuedMessage::eventDate).toList())
                .isNotEqualTo(enqueued.stream().map(QueuedMessage::eventDate).sorted(Comparator.naturalOrder()).toList());
        String id = created.text("Identifier").orElseThrow();
        assertThat(messageIds(calls.get(MessageService.INDKALDELSE, id))).hasSize(500);
    }
}
