package org.socsecgateway.simulators.wsrm;

import org.w3c.dom.Element;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The WSRM operations as raw SOAP calls for one subscriber. */
final class WsrmCalls {

    final HttpClient client;
    final DfdgWsrmSimulator sim;
    final String subscriber;

    WsrmCalls(HttpClient client, DfdgWsrmSimulator sim, String subscriber) {
        this.client = client;
        this.sim = sim;
        this.subscriber = subscriber;
    }

    RawSoap.Answer create() throws Exception {
        return RawSoap.call(client, sim, subscriber, "CreateSequence", null, RawSoap.createSequenceBody());
    }

    /** CreateSequence, which must succeed: its Identifier. */
    String open() throws Exception {
        RawSoap.Answer answer = create();
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.text("Identifier").orElseThrow();
    }

    /** ServiceName -> MessageCount of a CreateSequence answer. */
    static Map<String, Integer> inventory(RawSoap.Answer answer) {
        Map<String, Integer> inventory = new LinkedHashMap<>();
        for (Element item : answer.elements("ServiceItem")) {
            inventory.put(child(item, "ServiceName"), Integer.parseInt(child(item, "MessageCount")));
        }
        return inventory;
    }

    RawSoap.Answer get(MessageService service, String identifier) throws Exception {
        return RawSoap.call(client, sim, subscriber, service.serviceName(),
                identifier == null ? null : RawSoap.sequenceRequest(identifier), RawSoap.getBody(service));
    }

    RawSoap.Answer ack(String identifier, long[]... ranges) throws Exception {
        return RawSoap.call(client, sim, subscriber, "SequenceAcknowledgement", null, RawSoap.ackBody(identifier, ranges));
    }

    RawSoap.Answer terminate(String identifier) throws Exception {
        return RawSoap.call(client, sim, subscriber, "TerminateSequence", null,
                RawSoap.identifierBody("TerminateSequence", identifier));
    }

    RawSoap.Answer close(String identifier) throws Exception {
        return RawSoap.call(client, sim, subscriber, "CloseSequence", null,
                RawSoap.identifierBody("CloseSequence", identifier));
    }

    /** The MessageIdentifiers of a Get answer, in answer order. */
    static List<String> messageIds(RawSoap.Answer answer) {
        List<String> ids = new ArrayList<>();
        answer.elements("MessageIdentifier").forEach(e -> ids.add(e.getTextContent().trim()));
        return ids;
    }

    /** The SequenceResponse's MessageNumber. */
    static long messageNumber(RawSoap.Answer answer) {
        Element header = answer.elements("SequenceResponse").get(0);
        return Long.parseLong(child(header, "MessageNumber"));
    }

    static List<long[]> missingRanges(RawSoap.Answer answer) {
        return answer.elements("MissingRange").stream()
                .map(e -> new long[] {Long.parseLong(e.getAttribute("Lower")), Long.parseLong(e.getAttribute("Upper"))})
                .toList();
    }

    static String child(Element parent, String localName) {
        return org.socsecgateway.simulators.soap.SoapContext.childText(parent, localName).orElseThrow();
    }

    /** A clock the tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2025-03-10T08:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
