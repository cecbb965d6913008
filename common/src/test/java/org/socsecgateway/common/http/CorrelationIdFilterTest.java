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
        for (String kept : new String[] { "corr-123", "A.b_c:d-9", longest, "req-12345678",
                "01234567-8901-4234-8567-890123456789", CorrelationIdFilter.fresh() }) {
            assertThat(CorrelationIdFilter.suppliedOrFresh(kept)).isEqualTo(kept);
        }
        // a national number as the id, plain or formatted: an SSIN, a CPR number, digits spread over the id
        for (String replaced : new String[] { null, "", longest + "a", "corr 123", "corr\r\nX-Forged: 1", "corr/123", "ŝ",
                "85073003328", "85.07.30-033.28", "0103851234", "010385-1234", "req-123456789", "a1b2c3d4e5f6g7h8i9" }) {
            String id = CorrelationIdFilter.suppliedOrFresh(replaced);
            assertThat(id).isNotEqualTo(replaced);
            assertThat(UUID.fromString(id).version()).isEqualTo(4);
        }
    }
}
