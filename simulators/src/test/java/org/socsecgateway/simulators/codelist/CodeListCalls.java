package org.socsecgateway.simulators.codelist;

import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.simulators.soap.SoapXml;
import org.socsecgateway.simulators.wsrm.RawSoap;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Raw SOAP calls of the fake CodeListService and the reading of its answers, as a strict reader would. */
final class CodeListCalls {

    /** The simulators' clock in these tests: year 2025 (expired at 2025-01-01 / 2024-07-01, future 2026). */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-10T08:00:00Z"), ZoneOffset.UTC);
    static final String NS = "http://service.bm.dk/pjaktass/2013/06/07/CodeList/";
    static final Schema SCHEMA = SoapXml.schema("wsdl/CodeList.xsd");

    private CodeListCalls() {
    }

    static DfdgCodeListSimulator.Builder simulator(LocalPki pki) {
        return DfdgCodeListSimulator.builder().tls(pki.serverCert(), pki.serverKey())
                .requireClientCertificate(pki.focesClientCert()).clock(CLOCK);
    }

    static String body(String operation) {
        return "<cl:" + operation + "Request xmlns:cl=\"" + NS + "\"/>";
    }

    /** A well-formed call with both DFDG headers. */
    static RawSoap.Answer fetch(HttpClient client, DfdgCodeListSimulator sim, String operation) throws Exception {
        return fetch(client, sim, operation, RawSoap.dfdgHeaders("8:123"));
    }

    static RawSoap.Answer fetch(HttpClient client, DfdgCodeListSimulator sim, String operation, String headers)
            throws Exception {
        return RawSoap.post(client, sim.codeListServiceUrl(), "\"" + sim.soapAction(operation) + "\"",
                RawSoap.envelope(headers, body(operation)));
    }

    /** The answer's body element, e.g. GetMunicipalityIdentifierCodeListResponse. */
    static Element response(RawSoap.Answer answer, String operation) {
        List<Element> found = answer.elements(operation + "Response");
        if (found.size() != 1) {
            throw new AssertionError("no " + operation + "Response in " + answer.body());
        }
        return found.get(0);
    }

    /** Validates the answer's body element against CodeList.xsd; the message of the first violation, if any. */
    static Optional<String> violation(RawSoap.Answer answer, String operation) throws IOException {
        try {
            SCHEMA.newValidator().validate(new DOMSource(response(answer, operation)));
            return Optional.empty();
        } catch (SAXException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Each CodeListItem as local name -> text of its children, in order; unknown children included. */
    static List<Map<String, String>> items(RawSoap.Answer answer) {
        List<Map<String, String>> items = new ArrayList<>();
        for (Element item : answer.elements("CodeListItem")) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (Node n = item.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    fields.put(e.getLocalName(), e.getTextContent());
                }
            }
            items.add(fields);
        }
        return items;
    }

    /** Each CodeListItem read into the record (no StartDate element: null); unknown children ignored. */
    static List<CodeListItem> records(RawSoap.Answer answer) {
        return items(answer).stream().map(f -> new CodeListItem(Integer.parseInt(f.get("Identifier")), f.get("Name"),
                f.get("Description"), f.get("StartDate"), f.get("EndDate"))).toList();
    }

    static CodeListItem item(List<CodeListItem> items, int identifier) {
        return items.stream().filter(i -> i.identifier() == identifier).findFirst()
                .orElseThrow(() -> new AssertionError("no code " + identifier));
    }
}
