package org.socsecgateway.simulators.wsrm;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.socsecgateway.simulators.TestHttp;
import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.simulators.soap.SoapEndpoint;
import org.socsecgateway.simulators.soap.SoapExchange;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.socsecgateway.simulators.wsrm.RawSoap.SUBSCRIBER;
import static org.socsecgateway.simulators.wsrm.RawSoap.activeOrganisation;
import static org.socsecgateway.simulators.wsrm.RawSoap.createSequenceBody;
import static org.socsecgateway.simulators.wsrm.RawSoap.dfdgHeaders;
import static org.socsecgateway.simulators.wsrm.RawSoap.envelope;
import static org.socsecgateway.simulators.wsrm.RawSoap.post;
import static org.socsecgateway.simulators.wsrm.RawSoap.requestUserMetadata;

/** The SOAP wire rules of {@link SoapEndpoint}, over real mutual TLS, with hand-written SOAP. */
class SoapWireRulesTest {

    private static final String CREATE_ACTION = "\"http://service.bm.dk/pjaktass/1/WsrmService#CreateSequence\"";
    private static final String ADDRESSING = "http://www.w3.org/2005/08/addressing";

    @TempDir
    static Path tmp;

    static LocalPki pki;
    static DfdgWsrmSimulator sim;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        pki = RawSoap.pki();
        LocalPki.Identity plain = pki.identity("plain-client", "some client without CVR");
        sim = DfdgWsrmSimulator.builder().tls(pki.serverCert(), pki.serverKey())
                .requireClientCertificate(RawSoap.bundle(tmp.resolve("trusted.pem"), pki.focesClientCert(), plain.cert()))
                .build().start();
        client = RawSoap.focesClient(pki);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.queue().clear();
        sim.stats().reset();
        sim.faults().clear();
    }

    @Test
    void aWellFormedCallIsAnsweredAndRecorded() throws Exception {
        RawSoap.Answer answer = post(client, sim.wsrmServiceUrl(), CREATE_ACTION,
                envelope(dfdgHeaders(SUBSCRIBER), createSequenceBody()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/xml");
        assertThat(answer.elements("CreateSequenceResponse")).singleElement()
                .satisfies(e -> assertThat(e.getNamespaceURI()).isEqualTo(RawSoap.WSRM));
        assertThat(answer.text("Identifier")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f-]{36}"));
        SoapExchange exchange = sim.stats().recent().get(0);
        assertThat(exchange.operation()).isEqualTo("CreateSequence");
        assertThat(exchange.soapAction()).isEqualTo(CREATE_ACTION);
        assertThat(exchange.activeOrganisation()).containsEntry("OrganisationTypeIdentifier", "8")
                .containsEntry("OrganisationCode", "123");
        assertThat(exchange.requestUserMetadata())
                .containsEntry("RequestUserStructure/UserIdentifier", LocalPki.FOCES_CLIENT_USER_IDENTIFIER)
                .containsEntry("RequestUserStructure/RequestUserTypeIdentifier/CodeListItemIdentifier", "3")
                .containsEntry("RegistrationDateTime", "2025-03-01T10:00:00");
        assertThat(exchange.clientSubject()).contains("SERIALNUMBER=" + LocalPki.FOCES_CLIENT_USER_IDENTIFIER);
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(sim.stats().calls("CreateSequence")).isEqualTo(1);
    }

    @Test
    void aChunkedRequestBodyIsReadAsWhole() throws Exception {
        byte[] xml = envelope(dfdgHeaders(SUBSCRIBER), createSequenceBody()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.wsrmServiceUrl()))
                .header("Content-Type", "text/xml; charset=utf-8").header("SOAPAction", CREATE_ACTION)
                // unknown length: sent with Transfer-Encoding: chunked, as CXF does by default
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(xml)))
                .build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("CreateSequenceResponse");
    }

    @Test
    void withoutMutualTlsNoClientCertificateIsAsked() throws Exception {
        try (DfdgWsrmSimulator open = DfdgWsrmSimulator.builder().tls(pki.serverCert(), pki.serverKey()).build().start()) {
            HttpClient anonymous = TestHttp.trusting(pki.serverTruststoreP12(), pki.password());

            RawSoap.Answer answer = post(anonymous, open.wsrmServiceUrl(), CREATE_ACTION,
                    envelope(dfdgHeaders(SUBSCRIBER), createSequenceBody()));

            assertThat(answer.status()).isEqualTo(200);
            assertThat(open.stats().recent()).singleElement().satisfies(e -> assertThat(e.clientSubject()).isNull());
        }
    }

    @Test
    void pathsAreCaseInsensitive() throws Exception {
        String url = sim.wsrmServiceUrl().replace("PjakTassWCFtService", "pjaktasswcftservice").replace("WsrmService.svc", "wsrmservice.SVC");

        RawSoap.Answer answer = post(client, url, CREATE_ACTION, envelope(dfdgHeaders(SUBSCRIBER), createSequenceBody()));

        assertThat(answer.status()).isEqualTo(200);
    }

    @Test
    void anUnknownPathIs404() throws Exception {
        RawSoap.Answer answer = post(client, sim.wsrmServiceUrl().replace("/1/", "/2/"), CREATE_ACTION,
                envelope(dfdgHeaders(SUBSCRIBER), createSequenceBody()));

        assertThat(answer.status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",                                                               // missing
            "http://service.bm.dk/pjaktass/1/WsrmService#CreateSequence",     // unquoted
            "\"http://service.bm.dk/pjaktass/1/WsrmService#createsequence\"", // wrong case
            "\"http://service.bm.dk/pjaktass/1/WsrmService/CreateSequence\"", // WCF default form, not ours
            "\"http://service.bm.dk/pjaktass/1/WsrmMessageService#GetIndkaldelseVersion1\"", // other service
            "\"\""})                                                          // empty
    void aMissingUnquotedOrWrongSoapActionIsActionNotSupported(String soapAction) throws Exception {
        RawSoap.Answer answer = post(client, sim.wsrmServiceUrl(), soapAction.isEmpty() ? null : soapAction,
                envelope(dfdgHeaders(SUBSCRIBER), createSequenceBody()));

        assertActionNotSupported(answer);
        assertThat(sim.queue().sequences()).isEmpty();
        assertThat(sim.stats().recent()).singleElement().satisfies(e -> {
            assertThat(e.operation()).isNull();
            assertThat(e.status()).isEqualTo(500);
        });
    }

    @Test
    void aBodyThatIsNotTheActionsRequestIsActionNotSupported() throws Exception {
        RawSoap.Answer answer = post(client, sim.wsrmServiceUrl(), CREATE_ACTION,
                envelope(dfdgHeaders(SUBSCRIBER), RawSoap.identifierBody("CloseSequence", "6f1b7c7e-8a52-4d55-9f43-0c7a2e6b9d10")));

        assertActionNotSupported(answer);
    }

    @Test
    void aMissingActiveOrganisationHeaderIsLogonFailed() throws Exception {
        RawSoap.Answer answer = post(client, sim.wsrmServiceUrl(), CREATE_ACTION,
                envelope(requestUserMetadata("123", "2025-03-01T10:00:00"), createSequenceBody()));

        assertFaultDetails(answer, SoapEndpoint.LOGON_FAILED, "ActiveOrganisationHeader");
    }

    @Test
    void aMissingRequestUserMetadataHeaderIsLogonFailed() throws Exception {
        RawSoap.Answer answer = post(client, sim.wsrmServiceUrl(), CREATE_ACTION,
                envelope(activeOrganisation("8", "123"), createSequenceBody()));

        assertFaultDetails(answer, SoapEndpoint.LOGON_FAILED, "RequestUserMetadataHeader");
    }

    @Test
    void noHeaderAtAllIsLogonFailed() throws Exception {
        RawSoap.Answer answer = post(client, sim.wsrmServiceUrl(), CREATE_ACTION, envelope(null, createSequenceBody()));

        assertFaultDetails(answer, SoapEndpoint.LOGON_FAILED, "ActiveOrganisationHeader");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "101", ""})
    void aMalformedOrganisationTypeIsValidationFailed(String type) throws Exception {
        RawSoap.Answer answer = post(client, sim.wsrmServiceUrl(), CREATE_ACTION,
                envelope(activeOrganisation(type, "123") + requestUserMetadata("123", "2025-03-01T10:00:00"),
                        createSequenceBody()));

        assertFaultDetails(answer, SoapEndpoint.VALIDATION_FAILED, "ActiveOrganisationHeader");
    }

    @Test
    void anOverlongOrganisationCodeIsValidationFailed() throws Exception {
        RawSoap.Answer answer = post(client, sim.wsrmServiceUrl(), CREATE_ACTION,
                envelope(activeOrganisation("8", "123456789012345678901") + requestUserMetadata("123", "2025-03-01T10:00:00"),
                        createSequenceBody()));

        assertFaultDetails(answer, SoapEndpoint.VALIDATION_FAILED, "ActiveOrganisationHeader");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345678x|2025-03-01T10:00:00", "123456789|2025-03-01T10:00:00", "123|yesterday",
            "123|2025-03-01", "123|2025-13-01T10:00:00"})
    void aMalformedRequestUserMetadataHeaderIsValidationFailed(String values) throws Exception {
        String[] parts = values.split("\\|");

        RawSoap.Answer answer = post(client, sim.wsrmServiceUrl(), CREATE_ACTION,
                envelope(activeOrganisation("8", "123") + requestUserMetadata(parts[0], parts[1]), createSequenceBody()));

        assertFaultDetails(answer, SoapEndpoint.VALIDATION_FAILED, "RequestUserMetadataHeader");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-03-01T10:00:00", "2025-03-01T10:00:00+01:00", "2025-03-01T09:00:00Z",
            "2025-03-01T10:00:00.1234567"})
    void registrationTimeWithAndWithoutOffsetIsAccepted(String registration) throws Exception {
        RawSoap.Answer answer = post(client, sim.wsrmServiceUrl(), CREATE_ACTION,
                envelope(activeOrganisation("8", "123") + requestUserMetadata("-1", registration), createSequenceBody()));

        assertThat(answer.status()).isEqualTo(200);
    }

    @Test
    void aBodyAgainstTheSchemaIsValidationFailed() throws Exception {
        RawSoap.Answer answer = post(client, sim.wsrmServiceUrl(),
                "\"http://service.bm.dk/pjaktass/1/WsrmService#CloseSequence\"",
                envelope(dfdgHeaders(SUBSCRIBER), RawSoap.identifierBody("CloseSequence", "not-a-guid")));

        assertFaultDetails(answer, SoapEndpoint.VALIDATION_FAILED, "CloseSequenceRequest");
    }

    @Test
    void aDoctypeIsRefusedWithoutExpandingIt() throws Exception {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE s:Envelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + envelope(dfdgHeaders(SUBSCRIBER), createSequenceBody()).replaceFirst("<\\?xml[^>]*>", "");

        RawSoap.Answer answer = post(client, sim.wsrmServiceUrl(), CREATE_ACTION, xml);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).doesNotContain("root:");
    }

    @Test
    void onlyPostWithTextXml() throws Exception {
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create(sim.wsrmServiceUrl())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> soap12 = client.send(HttpRequest.newBuilder(URI.create(sim.wsrmServiceUrl()))
                .header("Content-Type", "application/soap+xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(envelope(dfdgHeaders(SUBSCRIBER), createSequenceBody())))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(soap12.statusCode()).isEqualTo(415);
    }

    @Test
    void aClientWithoutCertificateFailsTheHandshake() {
        HttpClient anonymous = TestHttp.trusting(pki.serverTruststoreP12(), pki.password());

        assertThatThrownBy(() -> post(anonymous, sim.wsrmServiceUrl(), CREATE_ACTION,
                envelope(dfdgHeaders(SUBSCRIBER), createSequenceBody())))
                .isInstanceOf(IOException.class);
        assertThat(sim.stats().requests()).isZero();
    }

    @Test
    void aTrustedCertificateWithoutCvrAndUuidIs403() throws Exception {
        LocalPki.Identity plain = pki.identity("plain-client", "some client without CVR");
        HttpClient other = TestHttp.withClientCertificate(pki.serverTruststoreP12(), plain.keystoreP12(), pki.password());

        RawSoap.Answer answer = post(other, sim.wsrmServiceUrl(), CREATE_ACTION,
                envelope(dfdgHeaders(SUBSCRIBER), createSequenceBody()));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorCode()).hasValue(SoapEndpoint.LOGON_FAILED);
        assertThat(sim.queue().sequences()).isEmpty();
        assertThat(sim.stats().recent()).singleElement()
                .satisfies(e -> assertThat(e.clientSubject()).contains("CN=some client without CVR"));
    }

    @Test
    void functionIdentityReadsFocesAndOces3Subjects() {
        assertThat(SoapEndpoint.functionIdentity("CN=x,SERIALNUMBER=CVR:12345678-UUID:5f1c2c3e-8d1a-4c55-9f43-0c7a2e6b9d10"))
                .hasValue("CVR:12345678-UUID:5f1c2c3e-8d1a-4c55-9f43-0c7a2e6b9d10");
        assertThat(SoapEndpoint.functionIdentity("C=DK,SERIALNUMBER=UI:DK-O:G:5f1c2c3e-8d1a-4c55-9f43-0c7a2e6b9d10,"
                + "organizationIdentifier=NTRDK-12345678,O=Org,CN=System"))
                .hasValue("CVR:12345678-UUID:5f1c2c3e-8d1a-4c55-9f43-0c7a2e6b9d10");
        assertThat(SoapEndpoint.functionIdentity("CN=CVR:1234567-UUID:x")).isEmpty();
        assertThat(SoapEndpoint.functionIdentity(null)).isEmpty();
    }

    static void assertActionNotSupported(RawSoap.Answer answer) {
        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.contentType()).startsWith("text/xml");
        String faultcode = answer.faultcode();
        assertThat(faultcode).endsWith(":ActionNotSupported");
        String prefix = faultcode.substring(0, faultcode.indexOf(':'));
        assertThat(answer.elements("faultcode").get(0).lookupNamespaceURI(prefix)).isEqualTo(ADDRESSING);
        assertThat(answer.text("faultstring")).hasValueSatisfying(s -> assertThat(s).startsWith("The message with Action '"));
        assertThat(answer.errorCode()).isEmpty();
    }

    static void assertFaultDetails(RawSoap.Answer answer, int errorCode, String messagePart) {
        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.contentType()).startsWith("text/xml");
        assertThat(answer.elements("Fault")).hasSize(1);
        assertThat(answer.elements("FaultDetails")).singleElement()
                .satisfies(e -> assertThat(e.getNamespaceURI()).isEqualTo(RawSoap.FAULT_NS))
                .satisfies(e -> assertThat(e.getParentNode().getLocalName()).isEqualTo("detail"));
        assertThat(answer.errorCode()).hasValue(errorCode);
        assertThat(answer.text("Message")).hasValueSatisfying(m -> assertThat(m).contains(messagePart));
    }

}
