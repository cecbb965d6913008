package org.socsecgateway.wsbreceiver.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** Duplicate keys come from exact values: different messages never share one, keys already stored stay valid. */
class IncomingMessageTest {

    private static IncomingMessage withId(String id) {
        return new IncomingMessage(Channel.WSB, "AKASSE:58", new MessageFields(id, null, null, null, null, null, null, null, null), "{}", null);
    }

    private static IncomingMessage withObject(String type, String externalId, String version) {
        return new IncomingMessage(Channel.WSB, "AKASSE:58",
                new MessageFields(null, type, null, externalId, version, 1, null, null, null), "{}", null);
    }

    private static String hex(IncomingMessage message) {
        return HexFormat.of().formatHex(message.dedupKey());
    }

    @Test
    void loneSurrogatesAndTheirReplacementAreDifferentIds() {
        Set<String> keys = List.of("x\ud800", "x\udbff", "x?", "x\ufffd", "x\udc00", "x\ud800\udc00", "x\udc00\ud800", "x")
                .stream().map(id -> hex(withId(id))).collect(Collectors.toSet());
        assertThat(keys).hasSize(8);
    }

    @Test
    void aNulInsideAValueCannotMoveTheSeparators() {
        assertThat(hex(withObject("a\u0000b", "c", "v"))).isNotEqualTo(hex(withObject("a", "b\u0000c", "v")));
        assertThat(hex(withId("n2\u0000x"))).isNotEqualTo(hex(withId("n2\u0000y"))).isNotEqualTo(hex(withId("n2")));
    }

    @Test
    void wellFormedValuesHashAsBeforeSoStoredKeysStillMatch() throws Exception {
        for (String id : List.of("6f1c2a52-0b7e-4c1e-9a7d-3f5e2d1c0b9a", "\u00e6\u00f8\u00e5", "\ud83d\ude00", "x?")) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("AKASSE:58".getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            byte[] before = sha256.digest(("id\u0000" + id).getBytes(StandardCharsets.UTF_8));
            assertThat(withId(id).dedupKey()).isEqualTo(before);
        }
        assertThat(IncomingMessage.wtf8("a\ud800b")).isEqualTo(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'b'});
    }

    @Test
    void onlyValuesADatabaseCannotHoldAreLeftOutOfTheColumns() {
        MessageFields fields = new MessageFields("n2\u0000x", "60010", "x\ud800", "e", "v\udfff", 1, 1, "0101901234", null);
        assertThat(fields.unstorable()).containsExactly("messageId", "typeName", "version");
        MessageFields storable = fields.storable();
        assertThat(storable.messageId()).isNull();
        assertThat(storable.typeName()).isNull();
        assertThat(storable.version()).isNull();
        assertThat(storable.type()).isEqualTo("60010");
        assertThat(storable.subject()).isEqualTo("0101901234");
        assertThat(MessageFields.storable("\ud83d\ude00 \u2028")).isEqualTo("\ud83d\ude00 \u2028");
    }
}
