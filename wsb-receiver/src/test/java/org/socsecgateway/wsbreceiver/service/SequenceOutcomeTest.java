package org.socsecgateway.wsbreceiver.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The validation pattern of a receipt's outcome names exactly the outcomes there are. */
class SequenceOutcomeTest {

    @Test
    void thePatternNamesEveryOutcomeAndNothingElse() {
        Set<String> names = Arrays.stream(SequenceOutcome.values()).map(Enum::name).collect(Collectors.toSet());
        assertThat(Set.of(SequenceOutcome.PATTERN.split("\\|"))).isEqualTo(names);
        assertThat(names).allMatch(name -> name.matches(SequenceOutcome.PATTERN));
    }
}
