package org.socsecgateway.simulators.soap;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.jws.WebMethod;
import jakarta.jws.WebParam;
import jakarta.jws.WebResult;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBElement;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.UnmarshalException;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.annotation.XmlSeeAlso;
import jakarta.xml.soap.Detail;
import jakarta.xml.soap.MessageFactory;
import jakarta.xml.soap.SOAPBody;
import jakarta.xml.soap.SOAPConstants;
import jakarta.xml.soap.SOAPEnvelope;
import jakarta.xml.soap.SOAPException;
import jakarta.xml.soap.SOAPFault;
import jakarta.xml.soap.SOAPHeader;
import jakarta.xml.soap.SOAPMessage;
import org.socsecgateway.dfdg.contract.fault.FaultDetails;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;
import javax.xml.namespace.QName;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Vert.x handler that serves one DFDG SOAP service the way DFDG's WCF services behave, dispatching to an object
 * that implements the service's generated SEI (the same interface the client uses). Per request, in this order:
 * <ol>
 *   <li>with mutual TLS, the client certificate must be a function certificate: its subject names
 *       {@code CVR:<8 digits>-UUID:<uuid>} (FOCES style), or OCES3's {@code organizationIdentifier=NTRDK-<cvr>}
 *       with {@code serialNumber=UI:DK-O:G:<uuid>}; otherwise HTTP 403 with a FaultDetails 1012 fault;</li>
 *   <li>only {@code POST} (else 405) with {@code Content-Type: text/xml} (SOAP 1.1; else 415);</li>
 *   <li>the {@code SOAPAction} header, quoted, must equal an operation's {@code @WebMethod(action)} (and the
 *       operation must be {@link Builder#supportedOperations supported}): otherwise WCF's
 *       {@code a:ActionNotSupported} fault (HTTP 500, {@code a} = {@value #ADDRESSING_NS});</li>
 *   <li>injected {@link SoapFaults faults} for that operation;</li>
 *   <li>the envelope is parsed (no DOCTYPE accepted) with SAAJ; malformed XML is HTTP 400 ({@code s:Client}); the
 *       body element must be the operation's request element (else {@code ActionNotSupported});</li>
 *   <li>both DFDG headers, ActiveOrganisationHeader and RequestUserMetadataHeader, must be present (else FaultDetails
 *       {@value #LOGON_FAILED}, logon failed) and valid against our XSDs (else {@value #VALIDATION_FAILED},
 *       validation failed; {@code RegistrationDateTime} may come with or without offset);</li>
 *   <li>the body is unmarshalled with JAXB, validated against the schemas (else {@value #VALIDATION_FAILED}), and
 *       the SEI method is called with {@link SoapContext#current()} bound; a declared fault (an exception with
 *       {@code getFaultInfo()}) becomes a SOAP 1.1 fault, HTTP 500, with {@code <detail><FaultDetails>}.</li>
 * </ol>
 * Every request is recorded in {@link SoapStats} as a {@link SoapExchange}. The request body (read by a
 * {@code BodyHandler} before this handler) should be limited to {@link #MAX_REQUEST_BYTES}.
 */
public final class SoapEndpoint implements Handler<RoutingContext> {

    /** Largest request accepted, as STAR's client's own limit (5 MB). */
    public static final int MAX_REQUEST_BYTES = 5 * 1024 * 1024;
    public static final String ADDRESSING_NS = "http://www.w3.org/2005/08/addressing";
    public static final QName ACTIVE_ORGANISATION_HEADER =
            new QName("http://rep.oio.dk/ams.dk/xml/schemas/2005/09/01/", "ActiveOrganisationHeader");
    public static final QName REQUEST_USER_METADATA_HEADER =
            new QName("http://service.bm.dk/RequestUserMetadata/2015/01/21/", "RequestUserMetadataHeader");
    /** DFDG's "logon failed": a DFDG header is missing, or the certificate is no function certificate. */
    public static final int LOGON_FAILED = 1012;
    /** DFDG's "validation failed": a header or the body does not match the schema. */
    public static final int VALIDATION_FAILED = 1014;
    /** The XSDs of the two DFDG headers (in dfdg-soap's jar). */
    public static final List<String> HEADER_SCHEMAS =
            List.of("wsdl/ActiveOrganisationHeader.xsd", "wsdl/RequestUserMetadata.xsd", "wsdl/FaultDetails.xsd");

    private static final Pattern FOCES_IDENTITY = Pattern.compile(
            "CVR:[0-9]{8}-UUID:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern OCES3_ORGANISATION = Pattern.compile("organizationIdentifier=NTRDK-([0-9]{8})");
    private static final Pattern OCES3_SERIAL = Pattern.compile(
            "SERIALNUMBER=UI:DK-O:G:([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})");
    private static final Map<String, String> SUBJECT_KEYWORDS =
            Map.of("2.5.4.5", "SERIALNUMBER", "2.5.4.97", "organizationIdentifier");
    private static final System.Logger LOG = System.getLogger(SoapEndpoint.class.getName());
    private static final Map<Class<?>, JAXBContext> JAXB_CONTEXTS = new ConcurrentHashMap<>();
    private static final Map<List<String>, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private final String name;
    private final Object implementation;
    private final Map<String, Operation> byAction = new LinkedHashMap<>();
    private final JAXBContext jaxb;
    private final Schema schema;
    private final MessageFactory messageFactory;
    private final SoapFaults faults;
    private final SoapStats stats;
    private final Predicate<String> supported;
    private final boolean requireFunctionCertificate;
    private final Clock clock;

    private SoapEndpoint(Builder builder) {
        this.name = builder.sei.getSimpleName();
        this.implementation = builder.implementation;
        this.faults = builder.faults;
        this.stats = builder.stats;
        this.supported = builder.supported;
        this.requireFunctionCertificate = builder.requireFunctionCertificate;
        this.clock = builder.clock;
        Set<Class<?>> classes = new LinkedHashSet<>();
        classes.add(FaultDetails.class);
        XmlSeeAlso seeAlso = builder.sei.getAnnotation(XmlSeeAlso.class);
        if (seeAlso != null) {
            classes.addAll(Arrays.asList(seeAlso.value()));
        }
        for (Method method : builder.sei.getMethods()) {
            WebMethod webMethod = method.getAnnotation(WebMethod.class);
            if (webMethod == null || method.getParameterCount() != 1) {
                continue;
            }
            WebParam param = method.getParameters()[0].getAnnotation(WebParam.class);
            WebResult result = method.getAnnotation(WebResult.class);
            Operation op = new Operation(webMethod.operationName(), webMethod.action(), method,
                    new QName(param.targetNamespace(), param.name()), method.getParameterTypes()[0],
                    new QName(result.targetNamespace(), result.name()), method.getReturnType());
            byAction.put(op.action(), op);
            classes.add(op.requestType());
            classes.add(op.responseType());
        }
        if (byAction.isEmpty()) {
            throw new IllegalArgumentException(builder.sei + " has no document/literal bare @WebMethod");
        }
        try {
            // both are immutable and thread-safe, and costly to build: shared by every endpoint of the same contract
            this.jaxb = JAXB_CONTEXTS.computeIfAbsent(builder.sei, sei -> newContext(classes));
            this.messageFactory = MessageFactory.newInstance(SOAPConstants.SOAP_1_1_PROTOCOL);
        } catch (SOAPException e) {
            throw new IllegalStateException("cannot set up SOAP for " + name, e);
        }
        List<String> schemas = new ArrayList<>(HEADER_SCHEMAS);
        schemas.addAll(builder.bodySchemas);
        this.schema = SCHEMAS.computeIfAbsent(List.copyOf(schemas), list -> SoapXml.schema(list.toArray(String[]::new)));
    }

    private static JAXBContext newContext(Set<Class<?>> classes) {
        try {
            return JAXBContext.newInstance(classes.toArray(Class<?>[]::new));
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot bind " + classes, e);
        }
    }

    /**
     * @param sei            the generated service endpoint interface (bare document/literal)
     * @param implementation an object implementing it
     */
    public static <T> Builder builder(Class<T> sei, T implementation) {
        return new Builder(sei, implementation);
    }

    /** The operation names (WSDL) this endpoint serves. */
    public List<String> operations() {
        return byAction.values().stream().map(Operation::name).toList();
    }

    /** {@code @WebMethod(action)} of an operation, by its WSDL name. */
    public Optional<String> action(String operation) {
        return byAction.values().stream().filter(op -> op.name().equals(operation)).map(Operation::action).findFirst();
    }

    /**
     * The identity a client certificate subject names, as DFDG's user identifier {@code CVR:<cvr>-UUID:<uuid>}
     * (FOCES style, or built from OCES3's organizationIdentifier and serialNumber); empty when it names none.
     */
    public static Optional<String> functionIdentity(String subject) {
        if (subject == null) {
            return Optional.empty();
        }
        Matcher foces = FOCES_IDENTITY.matcher(subject);
        if (foces.find()) {
            return Optional.of(foces.group());
        }
        Matcher organisation = OCES3_ORGANISATION.matcher(subject);
        Matcher serial = OCES3_SERIAL.matcher(subject);
        if (organisation.find() && serial.find()) {
            return Optional.of("CVR:" + organisation.group(1) + "-UUID:" + serial.group(1));
        }
        return Optional.empty();
    }

    @Override
    public void handle(RoutingContext ctx) {
        stats.arrived();
        HttpServerRequest request = ctx.request();
        Call call = new Call(ctx, clock.instant());
        call.clientSubject = clientSubject(request);
        if (requireFunctionCertificate && functionIdentity(call.clientSubject).isEmpty()) {
            send(call, fault(403, new QName(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE, "Client"),
                    "logon failed: the client certificate is no function certificate (no CVR:<cvr>-UUID:<uuid>)",
                    LOGON_FAILED));
            return;
        }
        if (request.method() != HttpMethod.POST) {
            ctx.response().putHeader("Allow", "POST");
            send(call, Answer.text(405, "text/plain; charset=utf-8", "Method not allowed: SOAP 1.1 needs POST"));
            return;
        }
        String contentType = request.getHeader("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("text/xml")) {
            send(call, Answer.text(415, "text/plain; charset=utf-8", "Cannot process the message because the content type '"
                    + contentType + "' was not the expected type 'text/xml; charset=utf-8'."));
            return;
        }
        call.soapAction = request.getHeader("SOAPAction");
        Operation op = resolve(call.soapAction);
        if (op == null) {
            send(call, actionNotSupported(unquoted(call.soapAction)));
            return;
        }
        call.operation = op.name();
        stats.called(op.name());
        SoapFaults.Decision decision = faults.onArrival(op.name());
        if (decision.latency().isZero()) {
            act(call, op, decision.action());
        } else {
            ctx.vertx().setTimer(Math.max(1, decision.latency().toMillis()), id -> act(call, op, decision.action()));
        }
    }

    private void act(Call call, Operation op, SoapFaults.Rule action) {
        SoapFaults.Kind kind = action == null ? null : action.kind();
        if (kind == SoapFaults.Kind.DROP_CONNECTION) {
            drop(call);
            return;
        }
        if (kind == SoapFaults.Kind.SERVICE_UNAVAILABLE) {
            send(call, Answer.text(503, "text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>Service"
                    + " Unavailable</title></head><body><h1>Service Unavailable</h1><p>HTTP Error 503. The service is"
                    + " unavailable.</p></body></html>"));
            return;
        }
        if (kind == SoapFaults.Kind.EMPTY_ANSWER) {
            send(call, Answer.text(200, "text/xml; charset=utf-8", ""));
            return;
        }
        if (kind == SoapFaults.Kind.FAULT_DETAILS) {
            send(call, fault(500, new QName(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE, "Client"), action.message(),
                    action.errorCode()));
            return;
        }
        Buffer body = call.ctx.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        call.ctx.vertx().executeBlocking(() -> process(call, op, bytes), false).onComplete(result -> {
            if (kind == SoapFaults.Kind.DROP_ANSWER) {
                drop(call);
            } else if (result.succeeded()) {
                send(call, result.result());
            } else {
                LOG.log(System.Logger.Level.WARNING, name + " simulator: " + op.name() + " failed", result.cause());
                send(call, fault(500, new QName(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE, "Server"),
                        "internal error in the simulator: " + result.cause(), null));
            }
        });
    }

    /** Runs on a worker thread: parse, check, call, answer. */
    private Answer process(Call call, Operation op, byte[] bytes) throws Exception {
        Document document;
        try {
            document = SoapXml.parse(bytes);
        } catch (SAXException | IOException e) {
            return fault(400, new QName(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE, "Client"),
                    "The message is not well-formed XML (DOCTYPEs are refused)", (Integer) null);
        }
        SOAPEnvelope envelope;
        try {
            SOAPMessage message = messageFactory.createMessage();
            message.getSOAPPart().setContent(new DOMSource(document));
            envelope = message.getSOAPPart().getEnvelope();
        } catch (SOAPException e) {
            return fault(500, new QName(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE, "VersionMismatch"),
                    "not a SOAP 1.1 envelope", (Integer) null);
        }
        SOAPBody soapBody = envelope.getBody();
        Element bodyElement = soapBody == null ? null : firstChildElement(soapBody);
        if (bodyElement == null || !op.requestElement().equals(qname(bodyElement))) {
            return actionNotSupported(op.action());
        }
        SOAPHeader soapHeader = envelope.getHeader();
        List<Element> headers = soapHeader == null ? List.of() : childElements(soapHeader);
        Element organisation = find(headers, ACTIVE_ORGANISATION_HEADER);
        Element metadata = find(headers, REQUEST_USER_METADATA_HEADER);
        if (organisation != null) {
            call.activeOrganisation = SoapXml.leafValues(organisation);
        }
        if (metadata != null) {
            call.requestUserMetadata = SoapXml.leafValues(metadata);
        }
        if (organisation == null || metadata == null) {
            QName missing = organisation == null ? ACTIVE_ORGANISATION_HEADER : REQUEST_USER_METADATA_HEADER;
            return fault(500, new QName(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE, "Client"),
                    "logon failed: the SOAP header " + missing.getLocalPart() + " is missing", LOGON_FAILED);
        }
        for (Element header : List.of(organisation, metadata)) {
            try {
                schema.newValidator().validate(new DOMSource(header));
            } catch (SAXException e) {
                return fault(500, new QName(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE, "Client"),
                        "validation failed: " + header.getLocalName() + ": " + e.getMessage(), VALIDATION_FAILED);
            }
        }
        Object parameter;
        try {
            Unmarshaller unmarshaller = jaxb.createUnmarshaller();
            unmarshaller.setSchema(schema);
            parameter = unmarshaller.unmarshal(bodyElement, op.requestType()).getValue();
        } catch (UnmarshalException e) {
            Throwable cause = e.getLinkedException() != null ? e.getLinkedException() : e;
            return fault(500, new QName(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE, "Client"),
                    "validation failed: " + op.requestElement().getLocalPart() + ": " + cause.getMessage(),
                    VALIDATION_FAILED);
        }
        SoapContext context = new SoapContext(op.name(), headers, call.activeOrganisation, call.clientSubject,
                SoapXml.newDocument());
        Object result;
        SoapContext.bind(context);
        try {
            result = op.method().invoke(implementation, parameter);
        } catch (InvocationTargetException e) {
            Optional<FaultDetails> details = faultInfo(e.getCause());
            if (details.isEmpty()) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
            return detailedFault(500, new QName(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE, "Client"),
                    e.getCause().getMessage(), details.get());
        } finally {
            SoapContext.unbind();
        }
        SOAPMessage answer = messageFactory.createMessage();
        SOAPHeader answerHeader = answer.getSOAPHeader();
        if (context.responseHeaders().isEmpty()) {
            answerHeader.detachNode();
        } else {
            for (Element header : context.responseHeaders()) {
                answerHeader.appendChild(answer.getSOAPPart().importNode(header, true));
            }
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        JAXBElement<?> element = new JAXBElement(op.responseElement(), op.responseType(), result);
        jaxb.createMarshaller().marshal(element, answer.getSOAPBody());
        return Answer.xml(200, answer, (Integer) null);
    }

    private Operation resolve(String soapAction) {
        if (soapAction == null || soapAction.length() < 2 || !soapAction.startsWith("\"") || !soapAction.endsWith("\"")) {
            return null; // WCF needs the quoted form (WS-I BP 1.1 R2744)
        }
        Operation op = byAction.get(unquoted(soapAction));
        return op != null && supported.test(op.name()) ? op : null;
    }

    private static String unquoted(String soapAction) {
        if (soapAction == null) {
            return "";
        }
        return soapAction.length() >= 2 && soapAction.startsWith("\"") && soapAction.endsWith("\"")
                ? soapAction.substring(1, soapAction.length() - 1) : soapAction;
    }

    /** WCF's answer to an action no operation has (HTTP 500, {@code a:ActionNotSupported}). */
    private Answer actionNotSupported(String action) {
        return fault(500, new QName(ADDRESSING_NS, "ActionNotSupported", "a"), "The message with Action '" + action
                + "' cannot be processed at the receiver, due to a ContractFilter mismatch at the EndpointDispatcher."
                + " This may be because of either a contract mismatch (mismatched Actions between sender and receiver)"
                + " or a binding/security mismatch between the sender and the receiver.  Check that sender and receiver"
                + " have the same contract and the same binding (including security requirements, e.g. Message,"
                + " Transport, None).", (Integer) null);
    }

    private Answer fault(int status, QName code, String reason, Integer errorCode) {
        FaultDetails details = null;
        if (errorCode != null) {
            details = new FaultDetails();
            details.setErrorCode(errorCode);
            details.setMessage(reason);
        }
        return detailedFault(status, code, reason, details);
    }

    private Answer detailedFault(int status, QName code, String reason, FaultDetails details) {
        try {
            SOAPMessage message = messageFactory.createMessage();
            message.getSOAPHeader().detachNode();
            SOAPFault fault = message.getSOAPBody().addFault(code, reason == null ? "" : reason, Locale.US);
            if (details != null) {
                Detail detail = fault.addDetail();
                jaxb.createMarshaller().marshal(details, detail);
            }
            return Answer.xml(status, message, details == null ? null : details.getErrorCode());
        } catch (SOAPException | JAXBException | IOException e) {
            throw new IllegalStateException("cannot build a SOAP fault", e);
        }
    }

    private static Optional<FaultDetails> faultInfo(Throwable fault) {
        if (fault == null) {
            return Optional.empty();
        }
        try {
            Method getter = fault.getClass().getMethod("getFaultInfo");
            Object info = getter.invoke(fault);
            if (info instanceof FaultDetails details) {
                return Optional.of(details);
            }
            FaultDetails details = new FaultDetails();
            details.setErrorCode(0);
            details.setMessage(fault.getMessage());
            return Optional.of(details);
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    private void send(Call call, Answer answer) {
        var response = call.ctx.response();
        if (response.closed() || response.ended()) {
            call.record(0, (Integer) null);
            return; // the client went away, e.g. during injected latency
        }
        call.record(answer.status(), answer.errorCode()); // before the client can see the answer
        response.setStatusCode(answer.status()).putHeader("Content-Type", answer.contentType())
                .end(Buffer.buffer(answer.body()));
    }

    private void drop(Call call) {
        call.record(0, (Integer) null);
        call.ctx.request().connection().close();
    }

    private static String clientSubject(HttpServerRequest request) {
        SSLSession session = request.connection() == null ? null : request.connection().sslSession();
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate cert
                    ? cert.getSubjectX500Principal().getName(X500Principal.RFC2253, SUBJECT_KEYWORDS) : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private static Element firstChildElement(Node parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> childElements(Node parent) {
        List<Element> children = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                children.add(e);
            }
        }
        return children;
    }

    private static Element find(List<Element> elements, QName name) {
        return elements.stream().filter(e -> name.equals(qname(e))).findFirst().orElse(null);
    }

    private static QName qname(Element element) {
        return new QName(Objects.toString(element.getNamespaceURI(), ""), element.getLocalName());
    }

    private record Operation(String name, String action, Method method, QName requestElement, Class<?> requestType,
                             QName responseElement, Class<?> responseType) {
    }

    private record Answer(int status, String contentType, byte[] body, Integer errorCode) {

        static Answer text(int status, String contentType, String body) {
            return new Answer(status, contentType, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), (Integer) null);
        }

        static Answer xml(int status, SOAPMessage message, Integer errorCode) throws IOException, SOAPException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return new Answer(status, "text/xml; charset=utf-8", out.toByteArray(), errorCode);
        }
    }

    /** What is known about one request so far; recorded once it is answered. */
    private final class Call {
        final RoutingContext ctx;
        final Instant at;
        String clientSubject;
        String soapAction;
        String operation;
        Map<String, String> activeOrganisation = Map.of();
        Map<String, String> requestUserMetadata = Map.of();

        Call(RoutingContext ctx, Instant at) {
            this.ctx = ctx;
            this.at = at;
        }

        void record(int status, Integer errorCode) {
            stats.record(new SoapExchange(at, ctx.request().path(), operation, soapAction, activeOrganisation,
                    requestUserMetadata, clientSubject, status, errorCode));
        }
    }

    /** Settings of a {@link SoapEndpoint}. */
    public static final class Builder {

        private final Class<?> sei;
        private final Object implementation;
        private final List<String> bodySchemas = new ArrayList<>();
        private SoapFaults faults = new SoapFaults();
        private SoapStats stats = new SoapStats();
        private Predicate<String> supported = op -> true;
        private boolean requireFunctionCertificate;
        private Clock clock = Clock.systemUTC();

        private Builder(Class<?> sei, Object implementation) {
            this.sei = Objects.requireNonNull(sei, "sei");
            this.implementation = Objects.requireNonNull(implementation, "implementation");
            if (!sei.isInstance(implementation)) {
                throw new IllegalArgumentException(implementation.getClass() + " does not implement " + sei);
            }
        }

        /** XSDs on the class path that the request bodies are validated against (the headers' are built in). */
        public Builder bodySchemas(String... classpathResources) {
            bodySchemas.addAll(List.of(classpathResources));
            return this;
        }

        /** Shared fault rules (several endpoints of one simulator may share one). */
        public Builder faults(SoapFaults faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        /** Shared statistics. */
        public Builder stats(SoapStats stats) {
            this.stats = Objects.requireNonNull(stats, "stats");
            return this;
        }

        /** Asked per request: an operation it refuses is answered {@code ActionNotSupported}, as if not in the contract. */
        public Builder supportedOperations(Predicate<String> supported) {
            this.supported = Objects.requireNonNull(supported, "supported");
            return this;
        }

        /** Refuse (403, FaultDetails 1012) clients without a function certificate; default false. */
        public Builder requireFunctionCertificate(boolean require) {
            this.requireFunctionCertificate = require;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public SoapEndpoint build() {
            return new SoapEndpoint(this);
        }
    }
}
