package org.socsecgateway.dfdg.soap;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.datatype.XMLGregorianCalendar;
import javax.xml.namespace.QName;

import org.socsecgateway.dfdg.contract.codelist.base.CodeListItemIdentifierType;
import org.socsecgateway.dfdg.contract.header.organisation.ActiveOrganisationHeader;
import org.socsecgateway.dfdg.contract.header.organisationstructure.RequestOrganisationStructure;
import org.socsecgateway.dfdg.contract.header.usermetadata.RequestUserMetadataHeader;
import org.socsecgateway.dfdg.contract.header.userstructure.RequestUserStructure;

/**
 * Builds the two input headers of every DFDG call from {@link DfdgCallerConfig}; {@code RegistrationDateTime} is the
 * time of each call (docs/partners.md "Security: mutual TLS with OCES3 function certificates").
 */
public final class DfdgHeaders {

    /** {@code ActiveOrganisationHeader} [doc]. */
    public static final QName ACTIVE_ORGANISATION = new QName("http://rep.oio.dk/ams.dk/xml/schemas/2005/09/01/",
            "ActiveOrganisationHeader");
    /** {@code RequestUserMetadataHeader} [doc]. */
    public static final QName REQUEST_USER_METADATA = new QName("http://service.bm.dk/RequestUserMetadata/2015/01/21/",
            "RequestUserMetadataHeader");

    private static final ZoneId DENMARK = ZoneId.of("Europe/Copenhagen");

    private final DfdgCallerConfig caller;
    private final Clock clock;
    private final DatatypeFactory datatypes;

    /** @param clock the time source of {@code RegistrationDateTime} */
    public DfdgHeaders(DfdgCallerConfig caller, Clock clock) {
        this.caller = caller;
        this.clock = clock;
        try {
            this.datatypes = DatatypeFactory.newInstance();
        } catch (DatatypeConfigurationException e) {
            throw new IllegalStateException("No XML datatype factory", e);
        }
    }

    /** {@code ActiveOrganisationHeader{OrganisationTypeIdentifier, OrganisationCode}}. */
    public ActiveOrganisationHeader activeOrganisation() {
        ActiveOrganisationHeader header = new ActiveOrganisationHeader();
        header.setOrganisationTypeIdentifier(caller.organisationType());
        header.setOrganisationCode(caller.organisationCode());
        return header;
    }

    /** {@code RequestUserMetadataHeader} with {@code RegistrationDateTime} = now. */
    public RequestUserMetadataHeader requestUserMetadata() {
        RequestUserStructure user = new RequestUserStructure();
        user.setUserFullName(caller.userFullName());
        user.setRequestUserTypeIdentifier(codeListItem(caller.userType()));
        user.setUserIdentifier(caller.userIdentifier());
        caller.userEmail().ifPresent(user::setUserEmail);

        RequestOrganisationStructure organisation = new RequestOrganisationStructure();
        organisation.setOrganisationTypeIdentifier(codeListItem(caller.organisationType()));
        organisation.setOrganisationCode(caller.requestOrganisationCode().orElse(caller.organisationCode()));

        RequestUserMetadataHeader header = new RequestUserMetadataHeader();
        header.setRequestUserStructure(user);
        header.setRequestOrganisationStructure(organisation);
        header.setRegistrationDateTime(registrationDateTime());
        return header;
    }

    private XMLGregorianCalendar registrationDateTime() {
        String lexical = caller.registrationTimeWithOffset()
                ? OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS).toString()
                : LocalDateTime.now(clock.withZone(DENMARK)).truncatedTo(ChronoUnit.MILLIS).toString();
        return datatypes.newXMLGregorianCalendar(lexical);
    }

    private static CodeListItemIdentifierType codeListItem(int value) {
        CodeListItemIdentifierType item = new CodeListItemIdentifierType();
        item.setCodeListItemIdentifier(value);
        return item;
    }
}
