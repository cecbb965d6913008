package org.socsecgateway.simulators.wsrm;

import org.socsecgateway.simulators.TestHttp;
import org.socsecgateway.simulators.pki.LocalPki;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hand-written SOAP 1.1 over the JDK HttpClient, so the tests see the wire exactly (no CXF). Public for the tests of
 * the other DFDG fakes (code lists), which share the headers, the PKI and the answer parsing.
 */
public final class RawSoap {

    static final String WSRM = "http://docs.oasis-open.org/ws-rx/wsrm/200602";
    static final String MSG = "http://service.bm.dk/pjaktass/2013/06/07/WsrmMessage/";
    public static final String FAULT_NS = "http://service.bm.dk/xml/schemas/2011/01/12/";
    static final String SUBSCRIBER = "8:123";

    /** One shared PKI for the WSRM tests (generated once per build, reused after). */
    public static LocalPki pki() {
        return LocalPki.create(Path.of("target", "wsrm-test-pki"));
    }

    /** A simulator with mutual TLS trusting the FOCES client identity. */
    static DfdgWsrmSimulator.Builder simulator(LocalPki pki) {
        return DfdgWsrmSimulator.builder().tls(pki.serverCert(), pki.serverKey())
                .requireClientCertificate(pki.focesClientCert());
    }

    public static HttpClient focesClient(LocalPki pki) {
        return TestHttp.withClientCertificate(pki.serverTruststoreP12(), pki.focesClientKeystoreP12(), pki.password());
    }

    public static String activeOrganisation(String type, String code) {
        return "<ao:ActiveOrganisationHeader xmlns:ao=\"http://rep.oio.dk/ams.dk/xml/schemas/2005/09/01/\">"
                + "<ao:OrganisationTypeIdentifier>" + type + "</ao:OrganisationTypeIdentifier>"
                + "<ao:OrganisationCode>" + code + "</ao:OrganisationCode></ao:ActiveOrganisationHeader>";
    }

    public static String requestUserMetadata(String organisationCode, String registrationDateTime) {
        return "<rum:RequestUserMetadataHeader xmlns:rum=\"http://service.bm.dk/RequestUserMetadata/2015/01/21/\""
                + " xmlns:us=\"http://service.bm.dk/pjaktass/2015/01/21/RequestUserStructure/\""
                + " xmlns:ut=\"http://service.bm.dk/pjaktass/2015/01/21/RequestUserTypeIdentifierCodeList/\""
                + " xmlns:os=\"http://service.bm.dk/pjaktass/2015/01/21/RequestOrganisationStructure/\""
                + " xmlns:clb=\"http://service.bm.dk/pjaktass/2013/06/07/CodeListBase/\">"
                + "<us:RequestUserStructure><us:UserFullName>socsec-gateway dfdg-poller</us:UserFullName>"
                + "<ut:RequestUserTypeIdentifier><clb:CodeListItemIdentifier>3</clb:CodeListItemIdentifier></ut:RequestUserTypeIdentifier>"
                + "<us:UserIdentifier>" + LocalPki.FOCES_CLIENT_USER_IDENTIFIER + "</us:UserIdentifier></us:RequestUserStructure>"
                + "<os:RequestOrganisationStructure><os:OrganisationTypeIdentifier><clb:CodeListItemIdentifier>8"
                + "</clb:CodeListItemIdentifier></os:OrganisationTypeIdentifier><os:OrganisationCode>" + organisationCode
                + "</os:OrganisationCode></os:RequestOrganisationStructure>"
                + "<rum:RegistrationDateTime>" + registrationDateTime + "</rum:RegistrationDateTime>"
                + "</rum:RequestUserMetadataHeader>";
    }

    /** Both DFDG headers, valid, for subscriber {@code type:code}. */
    public static String dfdgHeaders(String subscriber) {
        String[] parts = subscriber.split(":");
        return activeOrganisation(parts[0], parts[1]) + requestUserMetadata("123", "2025-03-01T10:00:00");
    }

    static String sequenceRequest(String identifier) {
        return "<wsrm:SequenceRequest xmlns:wsrm=\"" + WSRM + "\"><wsrm:Identifier>" + identifier
                + "</wsrm:Identifier></wsrm:SequenceRequest>";
    }

    public static String envelope(String headers, String body) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + (headers == null ? "" : "<s:Header>" + headers + "</s:Header>") + "<s:Body>" + body + "</s:Body></s:Envelope>";
    }

    static String createSequenceBody() {
        return "<wsrm:CreateSequenceRequest xmlns:wsrm=\"" + WSRM + "\"/>";
    }

    static String identifierBody(String operation, String identifier) {
        return "<wsrm:" + operation + "Request xmlns:wsrm=\"" + WSRM + "\"><wsrm:Identifier>" + identifier
                + "</wsrm:Identifier></wsrm:" + operation + "Request>";
    }

    static String ackBody(String identifier, long[]... ranges) {
        StringBuilder body = new StringBuilder("<wsrm:SequenceAcknowledgementRequest xmlns:wsrm=\"" + WSRM
                + "\"><wsrm:Identifier>" + identifier + "</wsrm:Identifier>");
        if (ranges.length == 0) {
            body.append("<wsrm:None/>");
        }
        for (long[] range : ranges) {
            body.append("<wsrm:AcknowledgementRange Lower=\"").append(range[0]).append("\" Upper=\"").append(range[1])
                    .append("\"/>");
        }
        return body.append("</wsrm:SequenceAcknowledgementRequest>").toString();
    }

    static String getBody(MessageService service) {
        return "<m:" + service.serviceName() + "Request xmlns:m=\"" + MSG + "\"/>";
    }

    /** An answer: status, body, and the body parsed when it is XML. */
    public record Answer(int status, String contentType, String body, Document xml) {

        public Optional<String> text(String localName) {
            List<Element> all = elements(localName);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0).getTextContent().trim());
        }

        public List<Element> elements(String localName) {
            List<Element> result = new ArrayList<>();
            if (xml == null) {
                return result;
            }
            NodeList nodes = xml.getElementsByTagNameNS("*", localName);
            for (int i = 0; i < nodes.getLength(); i++) {
                result.add((Element) nodes.item(i));
            }
            return result;
        }

        /** The FaultDetails ErrorCode, if this is such a fault. */
        public Optional<Integer> errorCode() {
            NodeList nodes = xml == null ? null : xml.getElementsByTagNameNS(FAULT_NS, "ErrorCode");
            return nodes == null || nodes.getLength() == 0 ? Optional.empty()
                    : Optional.of(Integer.parseInt(nodes.item(0).getTextContent().trim()));
        }

        public String faultcode() {
            return text("faultcode").orElse("");
        }
    }

    /** POSTs {@code xml} as text/xml with {@code soapAction} sent as given (null = no header). */
    public static Answer post(HttpClient client, String url, String soapAction, String xml) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "text/xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(xml));
        if (soapAction != null) {
            request.header("SOAPAction", soapAction);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        Document document = null;
        if (contentType.startsWith("text/xml") && !response.body().isEmpty()) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
        }
        return new Answer(response.statusCode(), contentType, response.body(), document);
    }

    /** A well-formed call of {@code operation} for {@code subscriber}, with extra header blocks. */
    static Answer call(HttpClient client, DfdgWsrmSimulator sim, String subscriber, String operation, String extraHeaders,
                       String body) throws Exception {
        String url = operation.startsWith("Get") ? sim.messageServiceUrl() : sim.wsrmServiceUrl();
        return post(client, url, "\"" + sim.soapAction(operation) + "\"",
                envelope(dfdgHeaders(subscriber) + (extraHeaders == null ? "" : extraHeaders), body));
    }

    /** Writes several PEM files into one trust bundle. */
    public static Path bundle(Path target, Path... pems) throws Exception {
        StringBuilder all = new StringBuilder();
        for (Path pem : pems) {
            all.append(Files.readString(pem)).append('\n');
        }
        Files.writeString(target, all);
        return target;
    }

    private RawSoap() {
    }
}
