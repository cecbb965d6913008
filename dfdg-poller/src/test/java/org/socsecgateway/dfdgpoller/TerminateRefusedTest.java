package org.socsecgateway.dfdgpoller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.LogCapture;
import org.socsecgateway.dfdgpoller.service.DrainReport;
import org.socsecgateway.dfdgpoller.service.Drainer;
import org.socsecgateway.dfdgpoller.service.SequenceOutcome;
import org.socsecgateway.simulators.wsrm.MessageService;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * TerminateSequenceCorrect=false (here: DFDG requires acknowledgements and the poller is told never to send them): the
 * sequence is closed, DFDG deletes nothing, and the messages already stored are recognised when they come again.
 */
@QuarkusTest
@TestProfile(TerminateRefusedTest.NeverAcknowledge.class)
@QuarkusTestResource(value = SimulatedDfdg.class, restrictToAnnotatedClass = true)
class TerminateRefusedTest {

    public static class NeverAcknowledge implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("poller.wsrm.acknowledge", "never");
        }
    }

    @SimulatedDfdg.InjectDfdg
    Dfdg dfdg;

    @Inject
    Drainer drainer;

    @Test
    void terminateSequenceCorrectFalseClosesTheSequenceAndLosesNothing() {
        Set<String> ids = dfdg.enqueue(MessageService.UNEMPLOYED_REGISTRATION, 530, 22);
        LogCapture log = new LogCapture();
        log.start();
        DrainReport report;
        try {
            report = drainer.drain();
        } finally {
            log.stop();
        }
        assertThat(report.succeeded()).isFalse();
        assertThat(report.sequences().get(0).outcome()).isEqualTo(SequenceOutcome.TERMINATE_REFUSED);
        assertThat(dfdg.wsrm().stats().calls("CloseSequence")).isEqualTo(1);
        assertThat(dfdg.wsrm().stats().calls("SequenceAcknowledgement")).isZero();
        // DFDG names the two Get answers (500 + 30 messages) whose acknowledgement it misses
        assertThat(log.lines()).filteredOn(l -> l.contains("TerminateSequenceCorrect=false")).hasSize(1)
                .allMatch(l -> l.contains("[1-2]"));
        assertThat(dfdg.wsrm().queue().deletedIds()).doesNotContainAnyElementsOf(ids);
        assertThat(dfdg.inFeed(ids)).hasSize(ids.size()).doesNotHaveDuplicates();

        // they come again, and are recognised
        assertThat(drainer.drain().sequences().get(0).outcome()).isEqualTo(SequenceOutcome.TERMINATE_REFUSED);
        assertThat(dfdg.inFeed(ids)).hasSize(ids.size()).doesNotHaveDuplicates();
    }
}
