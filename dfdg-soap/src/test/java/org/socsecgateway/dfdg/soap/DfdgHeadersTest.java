package org.socsecgateway.dfdg.soap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.StringReader;
import java.io.StringWriter;
import java.net.URL;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.Marshaller;

import org.junit.jupiter.api.Test;
import org.socsecgateway.dfdg.contract.header.organisation.ActiveOrganisationHeader;
import org.socsecgateway.dfdg.contract.header.usermetadata.RequestUserMetadataHeader;

/** The two DFDG headers as we send them are valid against the header schemas, in both time forms. */
class DfdgHeadersTest {

    static DfdgCallerConfig caller(boolean withOffset, Optional<String> requestOrganisationCode) {
        return new DfdgCallerConfig() {
            public int organisationType() { return 8; }
            public String organisationCode() { return "101"; }
            public Optional<String> requestOrganisationCode() { return requestOrganisationCode; }
            public String userFullName() { return "socsec-gateway dfdg-poller"; }
            public int userType() { return 3; }
            public String userIdentifier() { return "CVR:12345678-UUID:0f8fad5b-d9cb-469f-a165-70867728950e"; }
            public Optional<String> userEmail() { return Optional.empty(); }
            public boolean registrationTimeWithOffset() { return withOffset; }
        };
    }

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T14:05:06.789Z"), ZoneOffset.UTC);

    @Test
    void headersAreValidAndCarryTheConfiguredValues() throws Exception {
        DfdgHeaders headers = new DfdgHeaders(caller(true, Optional.empty()), CLOCK);
        String organisation = marshal(headers.activeOrganisation());
        String metadata = marshal(headers.requestUserMetadata());
        validate("wsdl/ActiveOrganisationHeader.xsd", organisation);
        validate("wsdl/RequestUserMetadata.xsd", metadata);
        assertThat(organisation).contains(">8<").contains(">101<");
        assertThat(metadata).contains("CVR:12345678-UUID:0f8fad5b-d9cb-469f-a165-70867728950e")
                .contains("2026-11-29T14:05:06.789Z").contains(">3<");
    }

    @Test
    void registrationTimeWithoutOffsetIsDanishLocalTimeAsStarsOwnClientSendsIt() throws Exception {
        String metadata = marshal(new DfdgHeaders(caller(false, Optional.of("-1")), CLOCK).requestUserMetadata());
        validate("wsdl/RequestUserMetadata.xsd", metadata);
        // 14:05 UTC is 15:05 in Copenhagen in November
        assertThat(metadata).contains("2026-11-29T15:05:06.789<").contains(">-1<");
    }

    private static String marshal(Object header) throws Exception {
        Marshaller marshaller = JAXBContext.newInstance(ActiveOrganisationHeader.class, RequestUserMetadataHeader.class)
                .createMarshaller();
        StringWriter out = new StringWriter();
        marshaller.marshal(header, out);
        return out.toString();
    }

    private static void validate(String schema, String xml) {
        URL location = DfdgHeadersTest.class.getClassLoader().getResource(schema);
        assertThatCode(() -> SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(location)
                .newValidator().validate(new StreamSource(new StringReader(xml)))).doesNotThrowAnyException();
    }
}
