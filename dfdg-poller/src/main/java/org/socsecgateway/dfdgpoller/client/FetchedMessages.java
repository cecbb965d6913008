package org.socsecgateway.dfdgpoller.client;

import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.socsecgateway.dfdg.soap.OpenContent;
import org.socsecgateway.dfdgpoller.config.PollerConfig;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Finds the messages in a Get answer and keeps each as it came. A message is any element with a direct child named
 * {@code MessageIdentifier} (configurable), wherever the answer's wrappers put it, so a real WSDL with other wrappers
 * and payloads needs no code change. Each message's XML carries the namespace declarations of its ancestors, so it
 * stands on its own (including {@code xsi:type} values that use an ancestor's prefix).
 */
final class FetchedMessages {

    private static final ZoneId DENMARK = ZoneId.of("Europe/Copenhagen");
    private static final String XMLNS = XMLConstants.XMLNS_ATTRIBUTE_NS_URI;

    private final PollerConfig.Items names;
    private final TransformerFactory transformers;

    FetchedMessages(PollerConfig.Items names) {
        this.names = names;
        this.transformers = TransformerFactory.newInstance();
        try {
            transformers.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (javax.xml.transform.TransformerConfigurationException e) {
            throw new IllegalStateException("XML transformer without secure processing", e);
        }
    }

    /** The messages in {@code body} (the Get answer's body element), in document order. */
    List<WsrmMessage> extract(String service, Element body, long messageNumber) {
        List<WsrmMessage> found = new ArrayList<>();
        if (body != null) {
            collect(service, body, messageNumber, found);
        }
        return found;
    }

    private void collect(String service, Element element, long messageNumber, List<WsrmMessage> found) {
        Optional<String> id = OpenContent.childText(element, names.messageIdentifier());
        if (id.isPresent()) {
            found.add(message(service, element, id.get(), messageNumber));
            return;
        }
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                collect(service, child, messageNumber, found);
            }
        }
    }

    private WsrmMessage message(String service, Element element, String id, long messageNumber) {
        String eventDate = OpenContent.childText(element, names.eventDate()).orElse("");
        Optional<String> cpr = Optional.empty();
        for (String name : names.cpr()) {
            List<Element> holders = OpenContent.elements(List.of(element), name);
            if (!holders.isEmpty() && !holders.get(0).getTextContent().isBlank()) {
                cpr = Optional.of(holders.get(0).getTextContent().trim());
                break;
            }
        }
        return new WsrmMessage(service, id, eventDate, instant(eventDate), cpr, standalone(element), messageNumber);
    }

    /** xsd:dateTime with or without offset; without one it is Danish local time. */
    static Optional<Instant> instant(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String value = text.trim();
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException withoutOffset) {
            try {
                return Optional.of(LocalDateTime.parse(value).atZone(DENMARK).toInstant());
            } catch (DateTimeParseException unreadable) {
                return Optional.empty();
            }
        }
    }

    private String standalone(Element element) {
        Element copy = (Element) element.cloneNode(true);
        for (Node n = element.getParentNode(); n instanceof Element ancestor; n = n.getParentNode()) {
            NamedNodeMap attributes = ancestor.getAttributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                Attr a = (Attr) attributes.item(i);
                if (XMLNS.equals(a.getNamespaceURI()) && !copy.hasAttributeNS(XMLNS, a.getLocalName())) {
                    copy.setAttributeNS(XMLNS, a.getName(), a.getValue());
                }
            }
        }
        try {
            Transformer transformer = transformers.newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(copy), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("Cannot write a fetched message as XML", e);
        }
    }
}
