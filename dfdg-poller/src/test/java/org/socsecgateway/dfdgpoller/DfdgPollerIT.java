package org.socsecgateway.dfdgpoller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.wsrm.MessageService;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The packaged jar on its own schedule: what is queued at DFDG reaches the feed once, and DFDG deletes it. */
@QuarkusIntegrationTest
@QuarkusTestResource(value = SimulatedDfdg.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = SimulatedDfdg.SCHEDULED, value = "true"))
class DfdgPollerIT {

    @SimulatedDfdg.InjectDfdg
    Dfdg dfdg;

    @Test
    void theScheduledDrainEmptiesTheQueueIntoTheFeed() {
        Set<String> ids = dfdg.enqueue(MessageService.INDKALDELSE, 600, 41);
        ids.addAll(dfdg.enqueue(MessageService.INTERVIEW_DEADLINE, 50, 42));
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> dfdg.wsrm().queue().deletedIds().containsAll(ids));
        assertThat(dfdg.inFeed(ids)).hasSize(ids.size()).doesNotHaveDuplicates();
        assertThat(dfdg.wsrm().stats().calls("CreateSequence")).isGreaterThanOrEqualTo(2);
    }
}
