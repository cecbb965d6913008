package org.socsecgateway.dfdgpoller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.LogCapture;
import org.socsecgateway.dfdgpoller.service.DrainReport;
import org.socsecgateway.dfdgpoller.service.Drainer;
import org.socsecgateway.dfdgpoller.service.SequenceOutcome;
import org.socsecgateway.simulators.wsrm.MessageService;
import org.socsecgateway.simulators.wsrm.QueuedMessage;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A real drain: the simulated DFDG queue over mutual TLS into the real wsb-receiver, and what each side then holds.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatedDfdg.class, restrictToAnnotatedClass = true)
class DrainTest {

    @SimulatedDfdg.InjectDfdg
    Dfdg dfdg;

    @Inject
    Drainer drainer;

    @Test
    void everyQueuedMessageEndsUpInTheFeedOnceOldestFirstAndDfdgDeletesThem() {
        List<QueuedMessage> queued = new ArrayList<>();
        queued.addAll(dfdg.wsrm().queue().enqueue(SimulatedDfdg.SUBSCRIBER, MessageService.INDKALDELSE, 700, 200, 1));
        queued.addAll(dfdg.wsrm().queue().enqueue(SimulatedDfdg.SUBSCRIBER, MessageService.CONTACT_GROUP, 450, 200, 2));
        queued.addAll(dfdg.wsrm().queue().enqueue(SimulatedDfdg.SUBSCRIBER, MessageService.INTERVIEW_DEADLINE, 250, 200, 3));
        queued.addAll(dfdg.wsrm().queue().enqueue(SimulatedDfdg.SUBSCRIBER, MessageService.MEMBERSHIP_CANCELLATION, 150, 200, 4));
        Map<String, QueuedMessage> byId = queued.stream()
                .collect(Collectors.toMap(QueuedMessage::messageIdentifier, Function.identity()));

        LogCapture capture = new LogCapture();
        capture.start();
        DrainReport report;
        try {
            report = drainer.drain();
        } finally {
            capture.stop();
        }
        List<String> logs = capture.lines();

        assertThat(report.succeeded()).isTrue();
        assertThat(report.sequences().get(0).outcome()).isEqualTo(SequenceOutcome.TERMINATED);
        assertThat(report.fetched()).isEqualTo(queued.size());
        List<JsonNode> events = dfdg.feed().stream().filter(e -> byId.containsKey(e.path("messageId").asText())).toList();
        assertThat(events).hasSize(queued.size());
        assertThat(events.stream().map(e -> e.path("messageId").asText()).collect(Collectors.toSet()))
                .isEqualTo(byId.keySet());
        // one sequence here (the simulator's inventory holds up to 10000): the whole feed part is oldest first
        List<OffsetDateTime> times = events.stream()
                .map(e -> OffsetDateTime.parse(e.path("message").path("EventDate").asText())).toList();
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i)).as("event %d", i).isAfterOrEqualTo(times.get(i - 1));
        }
        for (JsonNode event : events) {
            QueuedMessage sent = byId.get(event.path("messageId").asText());
            assertThat(event.path("channel").asText()).isEqualTo("wsrm");
            assertThat(event.path("authority").asText()).isEqualTo(SimulatedDfdg.AUTHORITY);
            assertThat(event.path("type").asText()).isEqualTo(sent.service().serviceName());
            String xml = event.path("message").path("Xml").asText();
            assertThat(xml).contains(sent.messageIdentifier()).contains("EventDate");
            if (sent.cpr() != null) {
                assertThat(event.path("subject").path("id").asText()).isEqualTo(sent.cpr());
                assertThat(xml).contains(sent.cpr());
            } else {
                assertThat(event.path("subject").isMissingNode() || event.path("subject").isNull()).isTrue();
            }
        }
        assertThat(dfdg.wsrm().queue().deletedIds()).containsAll(byId.keySet());
        assertThat(dfdg.wsrm().queue().queued(SimulatedDfdg.SUBSCRIBER)).isZero();
        JsonNode receipt = dfdg.receipts().path("sequences").get(0);
        assertThat(receipt.path("outcome").asText()).isEqualTo("TERMINATED");
        assertThat(receipt.path("fetched").asInt()).isEqualTo(queued.size());

        // no CPR number in any log line
        Set<String> cprs = new HashSet<>();
        queued.stream().map(QueuedMessage::cpr).filter(c -> c != null).forEach(cprs::add);
        for (String line : logs) {
            for (String cpr : cprs) {
                assertThat(line).doesNotContain(cpr);
            }
        }

        // the next drain finds nothing and changes nothing
        DrainReport again = drainer.drain();
        assertThat(again.succeeded()).isTrue();
        assertThat(again.fetched()).isZero();
        assertThat(dfdg.feed().stream().filter(e -> byId.containsKey(e.path("messageId").asText())).count())
                .isEqualTo(queued.size());
    }
}
