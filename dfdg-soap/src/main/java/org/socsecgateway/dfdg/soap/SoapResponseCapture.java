package org.socsecgateway.dfdg.soap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.xml.soap.SOAPException;
import jakarta.xml.soap.SOAPHeader;
import jakarta.xml.soap.SOAPMessage;

import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.binding.soap.interceptor.AbstractSoapInterceptor;
import org.apache.cxf.binding.soap.saaj.SAAJInInterceptor;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.phase.Phase;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Keeps the answer's SOAP header blocks and body element as DOM, next to what JAXB makes of them: DFDG's WSRM headers
 * have names we only guess (so they are read by configured names, not bound), and a fetched message must be kept
 * exactly as it came, including elements our WSDL does not know. Register {@link SAAJInInterceptor} and this as
 * in-interceptors; read the result from the call's response context with {@link #from(Map)}.
 */
public final class SoapResponseCapture extends AbstractSoapInterceptor {

    /** Response-context key of the captured {@link Captured}. */
    public static final String KEY = SoapResponseCapture.class.getName();

    /** The answer: its header blocks (in order) and its body's first element (null for an empty body). */
    public record Captured(List<Element> headers, Element body) {
    }

    public SoapResponseCapture() {
        super(Phase.PRE_PROTOCOL);
        addAfter(SAAJInInterceptor.class.getName());
    }

    @Override
    public void handleMessage(SoapMessage message) {
        SOAPMessage soap = message.getContent(SOAPMessage.class);
        if (soap == null) {
            return;
        }
        try {
            List<Element> headers = new ArrayList<>();
            SOAPHeader header = soap.getSOAPHeader();
            if (header != null) {
                for (Node n = header.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element e) {
                        headers.add(e);
                    }
                }
            }
            Element body = null;
            for (Node n = soap.getSOAPBody().getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    body = e;
                    break;
                }
            }
            message.put(KEY, new Captured(List.copyOf(headers), body));
        } catch (SOAPException e) {
            throw new Fault(e);
        }
    }

    /** The captured answer of a call, from its response context. */
    public static Optional<Captured> from(Map<String, Object> responseContext) {
        return responseContext == null ? Optional.empty()
                : Optional.ofNullable((Captured) responseContext.get(KEY));
    }
}
