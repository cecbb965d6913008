package org.socsecgateway.wsbreceiver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** No stored row can make a feed page unreadable, including rows an older version stored. */
class EventViewTest {

    @Test
    void validJsonIsHandedOutAsItIs() {
        for (String raw : new String[] {"{\"id\":\"b1\"}", " {\"a\" : [1, 2.50, \"\u2028\"]}\n", "{\"t\":\"\\u0000\\ud800\"}"}) {
            assertThat(EventView.message(raw)).isSameAs(raw);
        }
    }

    @Test
    void aLeadingByteOrderMarkKeptByAnOlderVersionIsDropped() {
        assertThat(EventView.message("\ufeff{\"id\":\"b1\"}")).isEqualTo("{\"id\":\"b1\"}");
    }

    @Test
    void anythingElseBecomesAJsonStringThatAStrictParserReads() throws Exception {
        JsonMapper strict = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        for (String raw : new String[] {"{\"id\":\"t1\"} x", "{\"id\":\"t1\"}{\"id\":\"t2\"}", "{'a':1}", "", "\ufeff\ufeff{}", "{\"a\":\"\u0001\"}"}) {
            String message = EventView.message(raw);
            String page = "{\"events\":[{\"message\":" + message + "}]}";
            assertThat(strict.readTree(page).get("events").get(0).get("message").asText()).isEqualTo(raw.startsWith("\ufeff") ? raw.substring(1) : raw);
        }
    }
}
