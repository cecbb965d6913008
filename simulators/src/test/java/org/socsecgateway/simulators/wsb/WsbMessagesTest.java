package org.socsecgateway.simulators.wsb;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.internal.Json;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class WsbMessagesTest {

    @Test
    void sameSeedSameMessages() {
        assertThat(new WsbMessages(42, 10).next(50)).isEqualTo(new WsbMessages(42, 10).next(50));
        assertThat(new WsbMessages(43, 10).next(50)).isNotEqualTo(new WsbMessages(42, 10).next(50));
    }

    @Test
    void generatesRealisticNotices() {
        WsbMessages generator = new WsbMessages(7, 20);
        List<WsbMessage> messages = generator.next(500);

        Map<Integer, String> types = Map.of(60010, "Akassemedlemskab", 100008, "Kontaktgruppe", 90000, "Indkaldelse");
        assertThat(messages).allSatisfy(m -> {
            assertThat(types).containsEntry(m.entitetId(), m.entitetNavn());
            assertThat(m.subjekt().identifikationType()).isEqualTo(1);
            assertThat(generator.citizens()).contains(m.cpr());
            assertThat(m.eksternIdentifier()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(m.aendringType()).isBetween(1, 3);
            if (m.aendringType() == WsbMessage.DELETE) {
                assertThat(m.indhold()).isNull();
            }
        });
        assertThat(messages.stream().map(WsbMessage::meddelelseId).collect(Collectors.toSet())).hasSize(500);
        assertThat(messages.stream().map(WsbMessage::entitetId).collect(Collectors.toSet())).hasSize(3);
        assertThat(messages.stream().map(WsbMessage::aendringType).collect(Collectors.toSet())).containsOnly(1, 2, 3);
        assertThat(messages).anyMatch(m -> m.indhold() != null).anyMatch(m -> m.indhold() == null);
        assertThat(messages).anyMatch(m -> m.eksternIdentifier().equals(WsbMessage.NO_EXTERNAL_ID));
        assertThat(messages.stream().map(WsbMessage::cpr).distinct().count()).isGreaterThan(10);
        for (int i = 1; i < messages.size(); i++) {
            assertThat(OffsetDateTime.parse(messages.get(i).tidspunkt()))
                    .isAfter(OffsetDateTime.parse(messages.get(i - 1).tidspunkt()));
        }
    }

    @Test
    void cprNumbersHaveARealBirthDateAndAMatchingCenturyDigit() {
        Set<String> seen = new HashSet<>();
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 2000; i++) {
            String cpr = WsbMessages.randomCpr(random);
            seen.add(cpr);
            assertThat(cpr).matches("\\d{10}");
            int yy = Integer.parseInt(cpr.substring(4, 6));
            int century = cpr.charAt(6) - '0';
            int year = (century <= 3 ? 1900 : 2000) + yy;
            assertThat(century).isBetween(0, 4);
            LocalDate birth = LocalDate.of(year, Integer.parseInt(cpr.substring(2, 4)), Integer.parseInt(cpr.substring(0, 2)));
            assertThat(birth).isBetween(LocalDate.of(1945, 1, 1), LocalDate.of(2005, 1, 1));
        }
        assertThat(seen.size()).isGreaterThan(1990);
    }

    @Test
    void serializesWithPascalCaseNamesAndReadsBack() throws Exception {
        WsbMessage message = new WsbMessages(3, 1).next(60).stream().filter(m -> m.indhold() != null).findFirst()
                .orElseThrow();

        JsonNode json = Json.MAPPER.readTree(message.toJson());

        assertThat(json.fieldNames()).toIterable().containsExactly("MeddelelseId", "EntitetId", "EntitetNavn",
                "EksternIdentifier", "VersionIdentifikator", "Subjekt", "AendringType", "Tidspunkt", "Indhold");
        assertThat(json.get("Subjekt").get("IdentifikationType").asInt()).isEqualTo(1);
        assertThat(json.get("Subjekt").get("Identifikation").asText()).isEqualTo(message.cpr());
        assertThat(Json.read(message.toJson(), WsbMessage.class)).isEqualTo(message);

        WsbMessage noBody = new WsbMessage("id", 60010, "Akassemedlemskab", WsbMessage.NO_EXTERNAL_ID, "v1",
                WsbMessage.Subjekt.cpr("0101801234"), WsbMessage.UPDATE, "2025-03-03T08:00:00+01:00", null);
        assertThat(Json.MAPPER.readTree(noBody.toJson()).has("Indhold")).isFalse();
    }
}
