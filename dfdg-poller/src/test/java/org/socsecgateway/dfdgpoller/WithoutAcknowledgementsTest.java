package org.socsecgateway.dfdgpoller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.socsecgateway.dfdgpoller.service.DrainReport;
import org.socsecgateway.dfdgpoller.service.Drainer;
import org.socsecgateway.dfdgpoller.service.SequenceOutcome;
import org.socsecgateway.simulators.wsrm.MessageService;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Later DFDG versions dropped SequenceAcknowledgement (their answers carry no AckRequested): with the default
 * {@code poller.wsrm.acknowledge=auto} the poller terminates without acknowledging. (With it: DrainFaultTest.)
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatedDfdg.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = SimulatedDfdg.ACKNOWLEDGEMENTS, value = "false"))
class WithoutAcknowledgementsTest {

    @SimulatedDfdg.InjectDfdg
    Dfdg dfdg;

    @Inject
    Drainer drainer;

    @Test
    void theQueueIsDrainedWithoutSequenceAcknowledgement() {
        Set<String> ids = dfdg.enqueue(MessageService.UNEMPLOYED_REGISTRATION, 530, 21);
        DrainReport report = drainer.drain();
        assertThat(report.succeeded()).isTrue();
        assertThat(report.sequences().get(0).outcome()).isEqualTo(SequenceOutcome.TERMINATED);
        assertThat(dfdg.wsrm().stats().calls("SequenceAcknowledgement")).isZero();
        assertThat(dfdg.inFeed(ids)).hasSize(ids.size()).doesNotHaveDuplicates();
        assertThat(dfdg.wsrm().queue().deletedIds()).containsAll(ids);
    }
}
