package org.socsecgateway.dfdgpoller.client;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.cxf.endpoint.Client;
import org.apache.cxf.frontend.ClientProxy;
import org.apache.cxf.headers.Header;
import org.apache.cxf.message.Message;
import org.apache.cxf.service.model.BindingOperationInfo;
import org.socsecgateway.dfdg.contract.wsrm.WsrmService;
import org.socsecgateway.dfdg.contract.wsrm.types.AcknowledgementRangeType;
import org.socsecgateway.dfdg.contract.wsrm.types.CloseSequenceRequest;
import org.socsecgateway.dfdg.contract.wsrm.types.CreateSequenceRequest;
import org.socsecgateway.dfdg.contract.wsrm.types.CreateSequenceResponse;
import org.socsecgateway.dfdg.contract.wsrm.types.OpenAnswerType;
import org.socsecgateway.dfdg.contract.wsrm.types.SequenceAcknowledgementRequest;
import org.socsecgateway.dfdg.contract.wsrm.types.ServiceItemType;
import org.socsecgateway.dfdg.contract.wsrm.types.TerminateSequenceRequest;
import org.socsecgateway.dfdg.contract.wsrmmessage.WsrmMessageService;
import org.socsecgateway.dfdg.soap.DfdgFault;
import org.socsecgateway.dfdg.soap.OpenContent;
import org.socsecgateway.dfdg.soap.SoapOperations;
import org.socsecgateway.dfdg.soap.SoapResponseCapture;
import org.socsecgateway.dfdgpoller.config.PollerConfig;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import org.eclipse.microprofile.faulttolerance.Retry;

import io.quarkiverse.cxf.annotation.CXFClient;

/**
 * DFDG's WSRM services as the drain needs them (DFDG guide §2.3.2, docs/partners.md): the generated SEIs
 * ({@code WsrmService}, {@code WsrmMessageService}) called through quarkus-cxf clients {@code wsrm} and
 * {@code wsrm-message}, which carry the mutual TLS configuration, timeouts, the two DFDG headers and the answer capture
 * (application.properties). This wrapper adds what the WSDL cannot say: the WSRM headers and answer names from
 * configuration, Get operations chosen by the inventory at run time, the allow-list of DFDG hosts, and one exception
 * type for every failure.
 * <p>
 * Not thread-safe by design: one drain runs at a time.
 */
@ApplicationScoped
public class WsrmClient {

    static final String CREATE = "CreateSequence";
    static final String CLOSE = "CloseSequence";
    static final String TERMINATE = "TerminateSequence";
    static final String ACKNOWLEDGE = "SequenceAcknowledgement";

    private final WsrmService sequences;
    private final Client messageClient;
    private final PollerConfig.Wsrm wsrm;
    private final QName sequenceRequest;
    private final QName sequenceIdentifier;
    private final Set<String> allowedHosts;
    private final FetchedMessages fetched;
    private final Document headerFactory;
    private final boolean acknowledgementInWsdl;

    WsrmClient(@CXFClient("wsrm") WsrmService sequences, @CXFClient("wsrm-message") WsrmMessageService messages,
               PollerConfig config) {
        this.sequences = sequences;
        this.messageClient = ClientProxy.getClient(messages);
        this.wsrm = config.wsrm();
        this.sequenceRequest = QName.valueOf(wsrm.headers().sequenceRequest());
        this.sequenceIdentifier = QName.valueOf(wsrm.headers().sequenceIdentifier());
        this.allowedHosts = config.dfdg().allowedHosts()
                .orElse(List.of(config.dfdg().wsrmServiceUrl().getHost()))
                .stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.fetched = new FetchedMessages(wsrm.items());
        this.acknowledgementInWsdl = operation(ClientProxy.getClient(sequences), ACKNOWLEDGE) != null;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            this.headerFactory = factory.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CreateSequence: a new sequence and its inventory; faults while another sequence is open. */
    public Inventory createSequence() throws DfdgCallException {
        CreateSequenceRequest request = new CreateSequenceRequest();
        wsrm.subQueue().ifPresent(request::setSubQueueIdentifier);
        CreateSequenceResponse answer = call(CREATE, () -> sequences.createSequence(request));
        List<Inventory.ServiceItem> items = new ArrayList<>();
        if (answer.getServiceInventoryCollection() != null) {
            for (ServiceItemType item : answer.getServiceInventoryCollection().getServiceItem()) {
                items.add(new Inventory.ServiceItem(item.getServiceName() == null ? "" : item.getServiceName().trim(),
                        endpoint(item.getServiceEndpoint()), item.getMessageCount()));
            }
        }
        return new Inventory(answer.getIdentifier(), List.copyOf(items));
    }

    /** True when WsrmMessageService's WSDL has this Get operation. */
    public boolean knowsOperation(String name) {
        return operation(messageClient, name) != null;
    }

    /**
     * True when {@code endpoint} is https on one of the configured DFDG hosts (host names compare ignoring case; DFDG
     * writes the path in different cases per environment, so the path is not compared).
     */
    public boolean allowedEndpoint(URI endpoint) {
        return endpoint != null && "https".equalsIgnoreCase(endpoint.getScheme()) && endpoint.getHost() != null
                && allowedHosts.contains(endpoint.getHost().toLowerCase(Locale.ROOT));
    }

    /**
     * One Get call of the sequence: the next at most 500 messages of {@code operation} at {@code endpoint}, with the
     * {@code SequenceRequest} header. The caller checks {@link #knowsOperation} and {@link #allowedEndpoint} first.
     */
    public Page fetch(String operation, URI endpoint, String sequenceId) throws DfdgCallException {
        BindingOperationInfo op = operation(messageClient, operation);
        if (op == null || !allowedEndpoint(endpoint)) {
            throw new IllegalArgumentException("not a callable Get operation or endpoint: " + operation);
        }
        Map<String, Object> requestContext = new HashMap<>();
        requestContext.put(Message.ENDPOINT_ADDRESS, endpoint.toString());
        List<Header> headers = new ArrayList<>();
        headers.add(new Header(sequenceRequest, sequenceRequestHeader(sequenceId)));
        requestContext.put(Header.HEADER_LIST, headers);
        Map<String, Object> responseContext = new HashMap<>();
        Map<String, Object> context = new HashMap<>();
        context.put(Client.REQUEST_CONTEXT, requestContext);
        context.put(Client.RESPONSE_CONTEXT, responseContext);
        Object request = SoapOperations.emptyRequest(op);
        Object[] result = call(operation, () -> messageClient.invoke(op, new Object[] {request}, context));
        SoapResponseCapture.Captured answer = SoapResponseCapture.from(responseContext).orElse(null);
        if (result == null || result.length == 0 || result[0] == null || answer == null || answer.body() == null) {
            throw new DfdgCallException(operation, DfdgFault.emptyAnswer());
        }
        long messageNumber = OpenContent.text(headersNamed(answer, wsrm.headers().sequenceResponse()),
                wsrm.headers().messageNumber()).map(WsrmClient::number).orElse(0L);
        boolean ackRequested = !headersNamed(answer, wsrm.headers().ackRequested()).isEmpty();
        return new Page(fetched.extract(operation, answer.body(), messageNumber), messageNumber, ackRequested);
    }

    /** True when the WSDL has SequenceAcknowledgement (the DFDG guide's version; later versions dropped it). */
    public boolean acknowledgementSupported() {
        return acknowledgementInWsdl;
    }

    /** SequenceAcknowledgement with these message-number ranges ({@code None} when empty); its {@code AckCorrect}. */
    public boolean acknowledge(String sequenceId, List<TerminateAnswer.Range> ranges) throws DfdgCallException {
        SequenceAcknowledgementRequest request = new SequenceAcknowledgementRequest();
        request.setIdentifier(sequenceId);
        if (ranges.isEmpty()) {
            request.setNone(new SequenceAcknowledgementRequest.None());
        }
        for (TerminateAnswer.Range range : ranges) {
            AcknowledgementRangeType r = new AcknowledgementRangeType();
            r.setLower(range.lower());
            r.setUpper(range.upper());
            request.getAcknowledgementRange().add(r);
        }
        OpenAnswerType answer = call(ACKNOWLEDGE, () -> sequences.sequenceAcknowledgement(request));
        return OpenContent.text(answer.getAny(), wsrm.answers().ackCorrect()).map(Boolean::parseBoolean).orElse(false);
    }

    /** TerminateSequence: DFDG deletes the sequence's messages only when it answers correct. */
    public TerminateAnswer terminate(String sequenceId) throws DfdgCallException {
        TerminateSequenceRequest request = new TerminateSequenceRequest();
        request.setIdentifier(sequenceId);
        OpenAnswerType answer = call(TERMINATE, () -> sequences.terminateSequence(request));
        boolean correct = OpenContent.text(answer.getAny(), wsrm.answers().terminateCorrect())
                .map(Boolean::parseBoolean).orElse(false);
        List<TerminateAnswer.Range> missing = new ArrayList<>();
        for (Element range : OpenContent.elements(answer.getAny(), wsrm.answers().missingRange())) {
            long lower = OpenContent.attribute(range, wsrm.answers().rangeLower()).map(WsrmClient::number).orElse(0L);
            long upper = OpenContent.attribute(range, wsrm.answers().rangeUpper()).map(WsrmClient::number).orElse(lower);
            missing.add(new TerminateAnswer.Range(lower, upper));
        }
        return new TerminateAnswer(correct, List.copyOf(missing));
    }

    /**
     * CloseSequence: everything of the sequence goes back to the queue and comes again next time. Sent again up to
     * twice when no answer came (DFDG guide §2.3.2.7, docs/partners.md: at most 3 sendings); a fault is final.
     */
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS, retryOn = DfdgUnavailableException.class)
    public void close(String sequenceId) throws DfdgCallException {
        CloseSequenceRequest request = new CloseSequenceRequest();
        request.setIdentifier(sequenceId);
        call(CLOSE, () -> sequences.closeSequence(request));
    }

    private Element sequenceRequestHeader(String sequenceId) {
        Element header = headerFactory.createElementNS(sequenceRequest.getNamespaceURI(), "wsrm:" + sequenceRequest.getLocalPart());
        Element id = headerFactory.createElementNS(sequenceIdentifier.getNamespaceURI(), "wsrm:" + sequenceIdentifier.getLocalPart());
        id.setTextContent(sequenceId);
        header.appendChild(id);
        return header;
    }

    private static List<Element> headersNamed(SoapResponseCapture.Captured answer, String localName) {
        return answer.headers().stream().filter(h -> localName.equals(OpenContent.localName(h))).toList();
    }

    private static URI endpoint(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0L;
        }
    }

    private static BindingOperationInfo operation(Client client, String name) {
        return SoapOperations.find(client, name).orElse(null);
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(String operation, Call<T> call) throws DfdgCallException {
        T answer;
        try {
            answer = call.run();
        } catch (Exception e) {
            DfdgFault fault = DfdgFault.of(e);
            throw fault.sentByDfdg() ? new DfdgCallException(operation, fault) : new DfdgUnavailableException(operation, fault);
        }
        if (answer == null) {
            throw new DfdgUnavailableException(operation, DfdgFault.emptyAnswer());
        }
        return answer;
    }
}
