package org.socsecgateway.simulators.wsrm;

import org.socsecgateway.dfdg.contract.fault.FaultDetails;
import org.socsecgateway.dfdg.contract.wsrmmessage.FaultDetailsFault;
import org.socsecgateway.dfdg.contract.wsrmmessage.WsrmMessageService;
import org.socsecgateway.dfdg.contract.wsrmmessage.types.ContactGroupType;
import org.socsecgateway.dfdg.contract.wsrmmessage.types.GetContactGroupVersion4Response;
import org.socsecgateway.dfdg.contract.wsrmmessage.types.GetIndkaldelseVersion1Response;
import org.socsecgateway.dfdg.contract.wsrmmessage.types.GetInterviewDeadlineVersion2Response;
import org.socsecgateway.dfdg.contract.wsrmmessage.types.GetMembershipCancellationVersion1Response;
import org.socsecgateway.dfdg.contract.wsrmmessage.types.GetMessagesRequestType;
import org.socsecgateway.dfdg.contract.wsrmmessage.types.GetUnemployedRegistrationVersion2Response;
import org.socsecgateway.dfdg.contract.wsrmmessage.types.IndkaldelseType;
import org.socsecgateway.dfdg.contract.wsrmmessage.types.InterviewDeadlineType;
import org.socsecgateway.dfdg.contract.wsrmmessage.types.MembershipCancellationType;
import org.socsecgateway.dfdg.contract.wsrmmessage.types.UnemployedRegistrationType;
import org.socsecgateway.dfdg.contract.wsrmmessage.types.WSRMMetadataType;
import org.socsecgateway.dfdg.contract.wsrmmessage.types.WsrmMessageType;
import org.socsecgateway.simulators.soap.SoapContext;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.datatype.XMLGregorianCalendar;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

/**
 * DFDG's WsrmMessageService on top of a {@link WsrmQueue}: each Get call names its sequence in the SequenceRequest
 * header and gets the next page of that service's messages with SequenceResponse (and AckRequested) headers.
 */
final class WsrmMessageServiceImpl implements WsrmMessageService {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    private static final DatatypeFactory DATATYPES;

    static {
        try {
            DATATYPES = DatatypeFactory.newInstance();
        } catch (DatatypeConfigurationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final WsrmQueue queue;
    private final WsrmNames names;
    private final boolean acknowledgements;

    WsrmMessageServiceImpl(WsrmQueue queue, WsrmNames names, boolean acknowledgements) {
        this.queue = queue;
        this.names = names;
        this.acknowledgements = acknowledgements;
    }

    @Override
    public GetIndkaldelseVersion1Response getIndkaldelseVersion1(GetMessagesRequestType parameters) throws FaultDetailsFault {
        GetIndkaldelseVersion1Response response = new GetIndkaldelseVersion1Response();
        response.setIndkaldelseCollection(new GetIndkaldelseVersion1Response.IndkaldelseCollection());
        fetch(MessageService.INDKALDELSE, response.getIndkaldelseCollection().getIndkaldelse(), m -> {
            IndkaldelseType item = new IndkaldelseType();
            item.setPersonCivilRegistrationIdentifier(m.cpr());
            item.setIndkaldelseIdentifier(m.reference());
            item.setMeetingDateTime(dateTime(m.date().atTime(9, 0).atOffset(m.eventDate().getOffset())));
            item.setJobcenterCode(m.code());
            return item;
        });
        return response;
    }

    @Override
    public GetContactGroupVersion4Response getContactGroupVersion4(GetMessagesRequestType parameters) throws FaultDetailsFault {
        GetContactGroupVersion4Response response = new GetContactGroupVersion4Response();
        response.setContactGroupCollection(new GetContactGroupVersion4Response.ContactGroupCollection());
        fetch(MessageService.CONTACT_GROUP, response.getContactGroupCollection().getContactGroup(), m -> {
            ContactGroupType item = new ContactGroupType();
            item.setPersonCivilRegistrationIdentifier(m.cpr());
            item.setContactGroupIdentifier(1 + m.code() % 6);
            item.setValidFromDate(date(m.date()));
            return item;
        });
        return response;
    }

    @Override
    public GetMembershipCancellationVersion1Response getMembershipCancellationVersion1(GetMessagesRequestType parameters)
            throws FaultDetailsFault {
        GetMembershipCancellationVersion1Response response = new GetMembershipCancellationVersion1Response();
        response.setMembershipCancellationCollection(
                new GetMembershipCancellationVersion1Response.MembershipCancellationCollection());
        fetch(MessageService.MEMBERSHIP_CANCELLATION,
                response.getMembershipCancellationCollection().getMembershipCancellation(), m -> {
                    MembershipCancellationType item = new MembershipCancellationType();
                    item.setPersonCivilRegistrationIdentifier(m.cpr());
                    item.setUnemploymentFundCode(m.code());
                    item.setCancellationDate(date(m.date()));
                    return item;
                });
        return response;
    }

    @Override
    public GetInterviewDeadlineVersion2Response getInterviewDeadlineVersion2(GetMessagesRequestType parameters)
            throws FaultDetailsFault {
        GetInterviewDeadlineVersion2Response response = new GetInterviewDeadlineVersion2Response();
        response.setInterviewDeadlineCollection(new GetInterviewDeadlineVersion2Response.InterviewDeadlineCollection());
        fetch(MessageService.INTERVIEW_DEADLINE, response.getInterviewDeadlineCollection().getInterviewDeadline(), m -> {
            InterviewDeadlineType item = new InterviewDeadlineType();
            item.setCaseIdentifier(m.reference());
            item.setDeadlineDate(date(m.date()));
            return item;
        });
        return response;
    }

    @Override
    public GetUnemployedRegistrationVersion2Response getUnemployedRegistrationVersion2(GetMessagesRequestType parameters)
            throws FaultDetailsFault {
        GetUnemployedRegistrationVersion2Response response = new GetUnemployedRegistrationVersion2Response();
        response.setUnemployedRegistrationCollection(
                new GetUnemployedRegistrationVersion2Response.UnemployedRegistrationCollection());
        fetch(MessageService.UNEMPLOYED_REGISTRATION,
                response.getUnemployedRegistrationCollection().getUnemployedRegistration(), m -> {
                    UnemployedRegistrationType item = new UnemployedRegistrationType();
                    item.setPersonCivilRegistrationIdentifier(m.cpr());
                    item.setRegistrationDate(date(m.date()));
                    item.setJobcenterCode(m.code());
                    return item;
                });
        return response;
    }

    /** Reads the SequenceRequest header, takes the next page, adds the answer headers, fills {@code items}. */
    private <T extends WsrmMessageType> void fetch(MessageService service, List<T> items, Function<QueuedMessage, T> build)
            throws FaultDetailsFault {
        SoapContext context = SoapContext.current();
        WsrmQueue.Page page;
        String identifier;
        try {
            Element header = context.requestHeader(names.sequenceRequest()).orElseThrow(() -> new WsrmFault(
                    DfdgWsrmSimulator.SEQUENCE_HEADER_MISSING, "the " + names.sequenceRequest().getLocalPart()
                            + " header {" + names.sequenceRequest().getNamespaceURI() + "} naming the sequence is missing"));
            identifier = SoapContext.childText(header, "Identifier").orElse("");
            page = queue.fetch(context.activeOrganisation(), identifier, service);
        } catch (WsrmFault e) {
            FaultDetails details = new FaultDetails();
            details.setErrorCode(e.errorCode());
            details.setMessage(e.getMessage());
            throw new FaultDetailsFault(e.getMessage(), details);
        }
        for (QueuedMessage message : page.messages()) {
            T item = build.apply(message);
            item.setMessageIdentifier(message.messageIdentifier());
            item.setEventDate(dateTime(message.eventDate()));
            WSRMMetadataType metadata = new WSRMMetadataType();
            metadata.setServiceName(service.serviceName());
            metadata.setCreatedDateTime(dateTime(message.eventDate().plusSeconds(37)));
            metadata.setDeliveryAttempt(page.attempts().get(message.messageIdentifier()));
            item.setWSRMMetadataType(metadata);
            items.add(item);
        }
        Document document = context.document();
        Element response = document.createElementNS(names.sequenceResponse().getNamespaceURI(),
                names.sequenceResponse().getLocalPart());
        response.appendChild(child(document, names.sequenceResponse().getNamespaceURI(), "Identifier", identifier));
        response.appendChild(child(document, names.sequenceResponse().getNamespaceURI(), "MessageNumber",
                Long.toString(page.messageNumber())));
        context.addResponseHeader(response);
        if (acknowledgements) {
            Element ackRequested = document.createElementNS(names.ackRequested().getNamespaceURI(),
                    names.ackRequested().getLocalPart());
            ackRequested.appendChild(child(document, names.ackRequested().getNamespaceURI(), "Identifier", identifier));
            context.addResponseHeader(ackRequested);
        }
    }

    private static Element child(Document document, String namespace, String localName, String text) {
        Element element = document.createElementNS(namespace, localName);
        element.setTextContent(text);
        return element;
    }

    private static XMLGregorianCalendar dateTime(OffsetDateTime value) {
        return DATATYPES.newXMLGregorianCalendar(DATE_TIME.format(value));
    }

    private static XMLGregorianCalendar date(LocalDate value) {
        return DATATYPES.newXMLGregorianCalendar(value.toString());
    }
}
