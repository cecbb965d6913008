package org.socsecgateway.simulators.soap;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.namespace.QName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link SoapEndpoint} hands the implementation object for the call in progress (like JAX-WS's
 * {@code WebServiceContext}): the request's SOAP header blocks, the two DFDG headers' values, the client
 * certificate, and a place for response header blocks. Bound to the worker thread during the call:
 * {@link #current()}.
 */
public final class SoapContext {

    private static final ThreadLocal<SoapContext> CURRENT = new ThreadLocal<>();

    private final String operation;
    private final List<Element> requestHeaders;
    private final Map<String, String> activeOrganisation;
    private final String clientSubject;
    private final Document factory;
    private final List<Element> responseHeaders = new ArrayList<>();

    SoapContext(String operation, List<Element> requestHeaders, Map<String, String> activeOrganisation,
                String clientSubject, Document factory) {
        this.operation = operation;
        this.requestHeaders = List.copyOf(requestHeaders);
        this.activeOrganisation = activeOrganisation;
        this.clientSubject = clientSubject;
        this.factory = factory;
    }

    /** The context of the call this thread is serving; fails outside a call. */
    public static SoapContext current() {
        SoapContext context = CURRENT.get();
        if (context == null) {
            throw new IllegalStateException("no SOAP call in progress on this thread");
        }
        return context;
    }

    static void bind(SoapContext context) {
        CURRENT.set(context);
    }

    static void unbind() {
        CURRENT.remove();
    }

    /** The operation's WSDL name. */
    public String operation() {
        return operation;
    }

    /** Every header block of the request, in document order. */
    public List<Element> requestHeaders() {
        return requestHeaders;
    }

    /** The first request header block with this name. */
    public Optional<Element> requestHeader(QName name) {
        return requestHeaders.stream()
                .filter(e -> name.getLocalPart().equals(e.getLocalName())
                        && name.getNamespaceURI().equals(Objects.toString(e.getNamespaceURI(), "")))
                .findFirst();
    }

    /**
     * The subscriber named by the ActiveOrganisationHeader (already validated):
     * {@code <OrganisationTypeIdentifier>:<OrganisationCode>}, e.g. {@code 8:123}.
     */
    public String activeOrganisation() {
        return Integer.parseInt(activeOrganisation.get("OrganisationTypeIdentifier").trim()) + ":"
                + activeOrganisation.get("OrganisationCode").trim();
    }

    /** The client certificate's subject, null without mutual TLS. */
    public String clientSubject() {
        return clientSubject;
    }

    /** A document to create response header elements with. */
    public Document document() {
        return factory;
    }

    /** Adds a header block to the answer (imported, so any document's element will do). */
    public void addResponseHeader(Element header) {
        responseHeaders.add(Objects.requireNonNull(header, "header"));
    }

    List<Element> responseHeaders() {
        return responseHeaders;
    }

    /** The text of the first child element with this local name (any namespace), if any. */
    public static Optional<String> childText(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return Optional.of(e.getTextContent().trim());
            }
        }
        return Optional.empty();
    }
}
