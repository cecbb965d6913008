package org.socsecgateway.simulators.wsrm;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.simulators.soap.SoapExchange;
import org.socsecgateway.simulators.soap.SoapFaults;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.socsecgateway.simulators.wsrm.SoapWireRulesTest.assertFaultDetails;
import static org.socsecgateway.simulators.wsrm.WsrmCalls.messageIds;
import static org.socsecgateway.simulators.wsrm.WsrmCalls.messageNumber;

/** Each injected fault kind, on a chosen operation or any, for a number of calls. */
class WsrmFaultsTest {

    static LocalPki pki;
    static DfdgWsrmSimulator sim;
    static HttpClient client;
    WsrmCalls calls;

    @BeforeAll
    static void start() {
        pki = RawSoap.pki();
        sim = RawSoap.simulator(pki).build().start();
        client = RawSoap.focesClient(pki);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.queue().clear();
        sim.faults().clear();
        sim.stats().reset();
        calls = new WsrmCalls(client, sim, "8:123");
    }

    @Test
    void aFaultDetailsFaultOnTheNextCallsOfAnOperation() throws Exception {
        sim.queue().enqueue("8:123", MessageService.INDKALDELSE, 3, 2, 1);
        sim.faults().faultDetails("CreateSequence", 4575, "not authorised", 2);

        assertFaultDetails(calls.create(), 4575, "not authorised");
        assertFaultDetails(calls.create(), 4575, "not authorised");
        assertThat(sim.queue().sequences()).isEmpty(); // the operation did not run
        assertThat(calls.create().status()).isEqualTo(200);
        assertThat(sim.stats().recent("CreateSequence")).extracting(SoapExchange::errorCode)
                .containsExactly(4575, 4575, null);
    }

    @Test
    void aFaultDetailsFaultOnTheNthCallOnly() throws Exception {
        sim.queue().enqueue("8:123", MessageService.INDKALDELSE, 30, 2, 1);
        SoapFaults faults = sim.faults();
        faults.faultDetailsOnCall("GetIndkaldelseVersion1", 2, 1013, "insufficient permissions");
        String id = calls.open();

        RawSoap.Answer first = calls.get(MessageService.INDKALDELSE, id);
        RawSoap.Answer second = calls.get(MessageService.INDKALDELSE, id);
        RawSoap.Answer third = calls.get(MessageService.INDKALDELSE, id);

        assertThat(messageIds(first)).hasSize(30);
        assertFaultDetails(second, 1013, "insufficient permissions");
        assertThat(messageNumber(third)).isEqualTo(2); // the faulted call took no number
        assertThat(sim.faults().rules()).isEmpty();
    }

    @Test
    void alwaysOnAnyOperationUntilCleared() throws Exception {
        sim.faults().faultDetails(null, 1012, "logon failed", -1);

        assertFaultDetails(calls.create(), 1012, "logon failed");
        assertFaultDetails(calls.terminate("6f1b7c7e-8a52-4d55-9f43-0c7a2e6b9d10"), 1012, "logon failed");
        assertThat(sim.faults().rules()).singleElement().satisfies(r -> assertThat(r.count()).isEqualTo(-1));
        sim.faults().clear();
        assertThat(calls.create().status()).isEqualTo(200);
    }

    @Test
    void serviceUnavailableIsAnHtmlPage() throws Exception {
        sim.faults().serviceUnavailable("CreateSequence", 1);

        RawSoap.Answer answer = calls.create();

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.contentType()).startsWith("text/html");
        assertThat(answer.body()).contains("Service Unavailable");
        assertThat(calls.create().status()).isEqualTo(200);
    }

    @Test
    void anEmptyAnswerIs200WithoutBody() throws Exception {
        sim.faults().emptyAnswers(null, 1);

        RawSoap.Answer answer = calls.create();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEmpty();
        assertThat(sim.queue().sequences()).isEmpty();
    }

    @Test
    void latencyDelaysTheAnswer() throws Exception {
        sim.faults().latency("CreateSequence", Duration.ofMillis(400), 1);

        long started = System.nanoTime();
        RawSoap.Answer answer = calls.create();
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(answer.status()).isEqualTo(200);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(400);
    }

    @Test
    void latencyCombinesWithAnotherFault() throws Exception {
        sim.faults().latency(null, Duration.ofMillis(300), 1).serviceUnavailable(null, 1);

        long started = System.nanoTime();
        RawSoap.Answer answer = calls.create();

        assertThat(answer.status()).isEqualTo(503);
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);
    }

    @Test
    void aDroppedConnectionHasNoEffect() throws Exception {
        sim.queue().enqueue("8:123", MessageService.INDKALDELSE, 3, 2, 1);
        sim.faults().dropConnections("CreateSequence", 1);

        assertThatThrownBy(calls::create).isInstanceOf(IOException.class);

        assertThat(sim.queue().sequences()).isEmpty();
        assertThat(sim.queue().queued()).isEqualTo(3);
        assertThat(sim.stats().recent()).singleElement().satisfies(e -> assertThat(e.status()).isZero());
        assertThat(calls.create().status()).isEqualTo(200);
    }

    @Test
    void aDroppedAnswerTookEffect() throws Exception {
        sim.queue().enqueue("8:123", MessageService.INDKALDELSE, 3, 2, 1);
        sim.faults().dropAnswers("CreateSequence", 1);

        assertThatThrownBy(calls::create).isInstanceOf(IOException.class);

        assertThat(sim.queue().inFlight()).isEqualTo(3); // the server opened the sequence, the answer was lost
        assertFaultDetails(calls.create(), DfdgWsrmSimulator.SEQUENCE_ALREADY_OPEN, "already open");
    }

    @Test
    void aLostGetAnswerLeavesItsMessageNumberUnacknowledged() throws Exception {
        sim.queue().enqueue("8:123", MessageService.INDKALDELSE, 600, 20, 1);
        String id = calls.open();
        sim.faults().dropAnswers("GetIndkaldelseVersion1", 1);

        assertThatThrownBy(() -> calls.get(MessageService.INDKALDELSE, id)).isInstanceOf(IOException.class);
        RawSoap.Answer next = calls.get(MessageService.INDKALDELSE, id);
        calls.ack(id, new long[] {2, 2});
        RawSoap.Answer terminated = calls.terminate(id);

        assertThat(messageNumber(next)).isEqualTo(2);
        assertThat(messageIds(next)).hasSize(100);
        assertThat(terminated.text("TerminateSequenceCorrect")).hasValue("false");
        assertThat(WsrmCalls.missingRanges(terminated)).containsExactly(new long[] {1, 1});
        assertThat(calls.close(id).status()).isEqualTo(200);
        assertThat(sim.queue().queued()).isEqualTo(600);
    }

    @Test
    void rulesValidateTheirSettings() {
        assertThatThrownBy(() -> sim.faults().dropConnections(null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.faults().faultDetailsOnCall(null, 0, 1012, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.faults().latency(null, Duration.ofMillis(-1), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
