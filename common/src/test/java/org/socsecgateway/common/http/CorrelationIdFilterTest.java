package org.socsecgateway.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class CorrelationIdFilterTest {

    @Test
    void freshIdsAreDistinctVersion4Uuids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = CorrelationIdFilter.fresh();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void aWellFormedSuppliedIdIsKeptAnythingElseIsReplacedByAFreshOne() {
        String longest = "a".repeat(64);
        for (String kept : new String[] { "corr-123", "A.b_c:d-9", longest }) {
            assertThat(CorrelationIdFilter.suppliedOrFresh(kept)).isEqualTo(kept);
        }
        for (String replaced : new String[] { null, "", longest + "a", "corr 123", "corr\r\nX-Forged: 1", "corr/123", "ŝ" }) {
            String id = CorrelationIdFilter.suppliedOrFresh(replaced);
            assertThat(id).isNotEqualTo(replaced);
            assertThat(UUID.fromString(id).version()).isEqualTo(4);
        }
    }
}
