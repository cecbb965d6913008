package org.socsecgateway.wsbreceiver.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.wsbreceiver.config.ReceiverConfig;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Strict input, exact text, and fields found at the configured JSON Pointers. */
class TolerantParserTest {

    static ReceiverConfig.Fields fields(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ReceiverConfig.Fields.class, "wsb.fields")
                .withDefaultValues(properties)
                .build();
        return config.getConfigMapping(ReceiverConfig.Fields.class, "wsb.fields");
    }

    private final TolerantParser parser = new TolerantParser(fields(Map.of()));

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(middle, 0, all, a.length, middle.length);
        System.arraycopy(c, 0, all, a.length + middle.length, c.length);
        return all;
    }

    @Test
    void aLeadingByteOrderMarkIsDroppedAndTheRestKeptExactly() {
        byte[] body = concat("", bytes(0xEF, 0xBB, 0xBF), "{\"id\":\"b1\"}");
        assertThat(parser.parse(body).raw()).isEqualTo("{\"id\":\"b1\"}");
        // only one, and only at the start: a second one is not whitespace in JSON
        assertThatThrownBy(() -> parser.parse(concat("", bytes(0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF), "{}"))).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> parser.parse(concat("{} ", bytes(0xEF, 0xBB, 0xBF), ""))).isInstanceOf(ProblemException.class);
    }

    @Test
    void invalidUtf8IsRefusedNeverReplaced() {
        int[][] invalid = {
            {0xED, 0xA0, 0x80},       // an encoded surrogate (U+D800, CESU-8)
            {0xED, 0xBF, 0xBF},       // U+DFFF
            {0xC0, 0xAE},             // overlong '.'
            {0xC0, 0x80},             // overlong NUL (modified UTF-8)
            {0xE0, 0x80, 0xAF},       // overlong '/'
            {0xF0, 0x80, 0x80, 0xAF}, // overlong '/'
            {0xF4, 0x90, 0x80, 0x80}, // above U+10FFFF
            {0xC3, 0x28},             // a lead byte without its continuation
            {0x80},                   // a lone continuation byte
            {0xFF},
            {0xE2, 0x82},             // truncated at the end of the string
        };
        for (int[] sequence : invalid) {
            assertThatThrownBy(() -> parser.parse(concat("{\"id\":\"u2\",\"t\":\"", bytes(sequence), "\"}")))
                    .isInstanceOf(ProblemException.class).hasMessageContaining("not valid UTF-8");
        }
        // UTF-16 with its byte order mark is not UTF-8 either
        assertThatThrownBy(() -> parser.parse("{\"id\":1}".getBytes(StandardCharsets.UTF_16))).isInstanceOf(ProblemException.class);
        // valid multi-byte text, including U+2028/U+2029 and a pair for U+1F600, is kept as it is
        String valid = "{\"t\":\"\u00e6\u00f8\u00e5 \u2028 \u2029 \ud83d\ude00 \ufeff\"}";
        assertThat(parser.parse(valid.getBytes(StandardCharsets.UTF_8)).raw()).isEqualTo(valid);
    }

    @Test
    void onlyStrictJsonIsAccepted() {
        for (String bad : new String[] {"{\"a\":1} {\"b\":2}", "{\"a\":1} x", "{\"a\":1,}", "{'a':1}", "{a:1}", "{\"a\":1} // c",
                "{\"a\":NaN}", "{\"a\":01}", "{\"a\":1,\"a\":2}", "{\"a\":\"\u0000\"}", "{\"a\":\"\t\"}", "\u0000{}",
                "{\"a\":1}\u0000"}) {
            assertThatThrownBy(() -> parser.parse(bad.getBytes(StandardCharsets.UTF_8))).as(bad).isInstanceOf(ProblemException.class);
        }
        String deep = "{\"a\":".repeat(TolerantParser.MAX_DEPTH - 1) + "{}" + "}".repeat(TolerantParser.MAX_DEPTH - 1);
        assertThat(parser.parse(deep.getBytes(StandardCharsets.UTF_8)).raw()).isEqualTo(deep);
        String tooDeep = "{\"a\":" + deep + "}";
        assertThatThrownBy(() -> parser.parse(tooDeep.getBytes(StandardCharsets.UTF_8))).isInstanceOf(ProblemException.class);
    }

    @Test
    void eachBatchMessageIsTheExactTextTheCallerWrote() {
        String first = "{ \"EntitetId\" : 60010 ,\"t\":\"a\\u0000b \\ud800 \u00e6\",\"n\":1.50e+3, \"x\":[ {}, [] ] }";
        String second = "{}";
        String body = "\ufeff{\"events\":[{\"message\":" + first + ",\"messageId\":\"m1\"},\n {\"messageId\":\"m2\", \"message\" :\t"
                + second + " } ], \"other\": {\"message\": {\"no\": 1}}}";
        TolerantParser.Batch batch = parser.parseBatch(body.getBytes(StandardCharsets.UTF_8));
        assertThat(batch.messages()).containsExactlyInAnyOrderEntriesOf(Map.of(0, first, 1, second));
    }

    @Test
    void findsFieldsAtTheDefaultPointersInAnyCase() {
        MessageFields fields = parser.fields(parser.parse("""
                {"MessageIdentifier":" m-1 ","IdentifikationstypeId":1,"Identifikation":"0101901234","entitet_id":" 60010 ",
                 "AENDRINGTYPE":"2","Tidspunkt":"2025-03-04T10:15:00+01:00"}""".getBytes(StandardCharsets.UTF_8)).json());
        assertThat(fields.messageId()).isEqualTo(" m-1 "); // exact: identities are not trimmed
        assertThat(fields.subjectType()).isEqualTo(1);
        assertThat(fields.subject()).isEqualTo("0101901234");
        assertThat(fields.type()).isEqualTo("60010");
        assertThat(fields.changeType()).isEqualTo(2);
        assertThat(fields.eventTime()).hasToString("2025-03-04T10:15+01:00");

        MessageFields nested = parser.fields(parser.parse("""
                {"Subjekt":{"IdentifikationType":1,"Identifikation":"0101901234"},"Cpr":"9999999999","MeddelelseId":""}"""
                .getBytes(StandardCharsets.UTF_8)).json());
        assertThat(nested.subject()).isEqualTo("0101901234");
        assertThat(nested.messageId()).isNull();

        MessageFields flat = parser.fields(parser.parse("{\"CprNummer\":\"0101901234\"}".getBytes(StandardCharsets.UTF_8)).json());
        assertThat(flat.subject()).isEqualTo("0101901234");
        assertThat(flat.subjectType()).isEqualTo(1);
    }

    @Test
    void anOperatorCanPointElsewhereWithoutARelease() {
        TolerantParser configured = new TolerantParser(fields(Map.of(
                "wsb.fields.message-id", "/Header/Ids/1,/Header/Id",
                "wsb.fields.subject", "/Parter/0/CPR",
                "wsb.fields.type", "/a~1b/c~0d")));
        MessageFields fields = configured.fields(configured.parse("""
                {"MeddelelseId":"not-this","Header":{"Ids":["x","the-id"]},"Parter":[{"cpr":"0101901234"}],"a/b":{"C~D":7}}"""
                .getBytes(StandardCharsets.UTF_8)).json());
        assertThat(fields.messageId()).isEqualTo("the-id");
        assertThat(fields.subject()).isEqualTo("0101901234");
        assertThat(fields.subjectType()).isEqualTo(1);
        assertThat(fields.type()).isEqualTo("7");
        assertThat(configured.fields(configured.parse("{\"Header\":{\"Id\":\"second\"}}".getBytes(StandardCharsets.UTF_8)).json())
                .messageId()).isEqualTo("second");
    }

    @Test
    void aPointerThatIsNotOneStopsTheStart() {
        for (String bad : new String[] {"MeddelelseId", "/", "/a//b", "/a~2"}) {
            assertThatThrownBy(() -> new TolerantParser(fields(Map.of("wsb.fields.message-id", bad))))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON Pointer");
        }
    }

    @Test
    void aTimestampOutsideTheYearsADatabaseHoldsIsLeftOut() {
        assertThat(TolerantParser.time("+300000-01-01T00:00:00Z")).isNull();
        assertThat(TolerantParser.time("-0001-01-01T00:00:00Z")).isNull();
        assertThat(TolerantParser.time("+10000-01-01T02:00:00")).isNull(); // Danish time: 01:00 UTC in the year 10000
        assertThat(TolerantParser.time("+10000-01-01T00:00:00")).hasToString("+10000-01-01T00:00+01:00"); // 9999-12-31T23:00Z
        assertThat(TolerantParser.time("9999-12-31T23:59:59Z")).isNotNull();
        assertThat(TolerantParser.time("9999-12-31T10:00:00-05:00")).isNotNull();
        // the year counts in UTC: these are in the years 10000 and 0 there
        assertThat(TolerantParser.time("9999-12-31T23:59:59-05:00")).isNull();
        assertThat(TolerantParser.time("9999-12-31T23:59:59-14:00")).isNull();
        assertThat(TolerantParser.time("0001-01-01T00:00:00+14:00")).isNull();
        assertThat(TolerantParser.time("0001-01-01T00:00:00Z")).isNotNull();
        assertThat(TolerantParser.time("1741079700")).hasToString("2025-03-04T09:15Z");
    }
}
