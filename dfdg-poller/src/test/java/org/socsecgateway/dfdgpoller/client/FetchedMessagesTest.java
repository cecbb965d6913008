package org.socsecgateway.dfdgpoller.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.socsecgateway.dfdgpoller.config.PollerConfig;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Messages are found by local names in any wrapper, kept with their namespaces, and their CPR and time read. */
class FetchedMessagesTest {

    /** The defaults of poller.wsrm.items (a named class: Quarkus refuses anonymous ones with validation annotations). */
    static final class DefaultNames implements PollerConfig.Items {
        @Override
        public String messageIdentifier() {
            return "MessageIdentifier";
        }

        @Override
        public String eventDate() {
            return "EventDate";
        }

        @Override
        public List<String> cpr() {
            return List.of("PersonCivilRegistrationIdentifier", "CPRNumber");
        }
    }

    static final PollerConfig.Items NAMES = new DefaultNames();

    private static Element body(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        return doc.getDocumentElement();
    }

    @Test
    void messagesInAnyWrapperAreFoundAndKeptStandalone() throws Exception {
        Element body = body("""
                <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="urn:msg" xmlns:x="urn:extra"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><s:Body>
                  <m:GetThingVersion1Response><m:ThingCollection>
                    <m:Thing xsi:type="m:ThingType"><m:MessageIdentifier>11111111-1111-1111-1111-111111111111</m:MessageIdentifier>
                      <m:EventDate>2025-03-03T08:01:05+01:00</m:EventDate><m:Payload><x:New>unknown to our WSDL</x:New>
                      <m:PersonCivilRegistrationIdentifier>0101901234</m:PersonCivilRegistrationIdentifier></m:Payload></m:Thing>
                    <m:Thing><m:MessageIdentifier>22222222-2222-2222-2222-222222222222</m:MessageIdentifier>
                      <m:EventDate>2025-03-03T08:01:05</m:EventDate></m:Thing>
                  </m:ThingCollection></m:GetThingVersion1Response></s:Body></s:Envelope>""");
        List<WsrmMessage> found = new FetchedMessages(NAMES).extract("GetThingVersion1", body, 7);
        assertThat(found).extracting(WsrmMessage::messageIdentifier)
                .containsExactly("11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222");
        WsrmMessage first = found.get(0);
        assertThat(first.cpr()).contains("0101901234");
        assertThat(first.messageNumber()).isEqualTo(7);
        assertThat(first.eventInstant()).contains(Instant.parse("2025-03-03T07:01:05Z"));
        // the element as it came, with the prefixes it uses declared, so it parses on its own
        assertThat(first.xml()).startsWith("<m:Thing").contains("xmlns:m=\"urn:msg\"").contains("xmlns:x=\"urn:extra\"")
                .contains("xsi:type=\"m:ThingType\"").contains("<x:New>unknown to our WSDL</x:New>");
        Element reparsed = body(first.xml());
        assertThat(reparsed.getLocalName()).isEqualTo("Thing");
        // no offset: Danish local time (CET in March)
        assertThat(found.get(1).eventInstant()).contains(Instant.parse("2025-03-03T07:01:05Z"));
        assertThat(found.get(1).cpr()).isEmpty();
        assertThat(first.toString()).doesNotContain("0101901234");
    }

    @Test
    void anUnreadableEventDateIsKeptButSortsLast() throws Exception {
        Element body = body("<r><Thing><MessageIdentifier>a</MessageIdentifier><EventDate>yesterday</EventDate></Thing></r>");
        WsrmMessage message = new FetchedMessages(NAMES).extract("GetThing", body, 1).get(0);
        assertThat(message.eventDate()).isEqualTo("yesterday");
        assertThat(message.eventInstant()).isEmpty();
    }
}
