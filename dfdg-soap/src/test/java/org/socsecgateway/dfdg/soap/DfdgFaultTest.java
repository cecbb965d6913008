package org.socsecgateway.dfdg.soap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilderFactory;

import jakarta.xml.ws.WebServiceException;

import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.transport.http.HTTPException;
import org.junit.jupiter.api.Test;
import org.socsecgateway.dfdg.contract.fault.FaultDetails;
import org.socsecgateway.dfdg.contract.wsrm.FaultDetailsFault;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Every way a DFDG call can fail is told apart, with the ErrorCode when there is one and no CPR number in the text. */
class DfdgFaultTest {

    @Test
    void declaredFaultDetailsGiveTheErrorCodeAndAMaskedMessage() {
        FaultDetails info = new FaultDetails();
        info.setErrorCode(1001);
        info.setMessage("Invalid CPR 0101901234 and 010190-1234");
        DfdgFault fault = DfdgFault.of(new WebServiceException(new FaultDetailsFault("fault", info)));
        assertThat(fault.kind()).isEqualTo(DfdgFault.Kind.FAULT_DETAILS);
        assertThat(fault.errorCode()).isEqualTo(1001);
        assertThat(fault.describe()).contains("ErrorCode=1001").doesNotContain("0101901234").doesNotContain("010190-1234");
        // a GUID whose last group holds ten digits in a row is not a CPR number
        FaultDetails unknown = new FaultDetails();
        unknown.setErrorCode(9002);
        unknown.setMessage("unknown sequence 73a14396-ebc8-4912-a5c6-fe1969001232 for 8:58");
        assertThat(DfdgFault.of(new FaultDetailsFault("fault", unknown)).describe())
                .contains("73a14396-ebc8-4912-a5c6-fe1969001232");
        assertThat(fault.configurationProblem()).isFalse();
        assertThat(fault.codeLabel()).isEqualTo("1001");
    }

    @Test
    void aSoapFaultWithFaultDetailsInItsDetailIsReadToo() throws Exception {
        Document doc = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().newDocument();
        Element detail = doc.createElement("detail");
        Element details = doc.createElementNS("http://service.bm.dk/xml/schemas/2011/01/12/", "FaultDetails");
        Element code = doc.createElementNS("http://service.bm.dk/xml/schemas/2011/01/12/", "ErrorCode");
        code.setTextContent("4575");
        details.appendChild(code);
        detail.appendChild(details);
        SoapFault soap = new SoapFault("not authorised", new QName("http://schemas.xmlsoap.org/soap/envelope/", "Client"));
        soap.setDetail(detail);
        DfdgFault fault = DfdgFault.of(soap);
        assertThat(fault.errorCode()).isEqualTo(4575);
        assertThat(fault.configurationProblem()).isTrue();
    }

    @Test
    void aSoapFaultWithoutFaultDetailsIsAPlainSoapFault() {
        SoapFault soap = new SoapFault("The message with Action 'x' cannot be processed",
                new QName("http://www.w3.org/2005/08/addressing", "ActionNotSupported"));
        DfdgFault fault = DfdgFault.of(soap);
        assertThat(fault.kind()).isEqualTo(DfdgFault.Kind.SOAP_FAULT);
        assertThat(fault.errorCode()).isNull();
        assertThat(fault.codeLabel()).isEqualTo("soap_fault");
    }

    @Test
    void anHtmlErrorPageIsAnHttpErrorWithItsStatus() throws Exception {
        HTTPException http = new HTTPException(503, "Service Unavailable", new java.net.URL("https://service.bm.dk/x"));
        DfdgFault fault = DfdgFault.of(new WebServiceException("Could not send Message.", http));
        assertThat(fault.kind()).isEqualTo(DfdgFault.Kind.HTTP_ERROR);
        assertThat(fault.status()).isEqualTo(503);
        assertThat(fault.codeLabel()).isEqualTo("http_error");
    }

    @Test
    void noAnswerIsATransportFailure() throws Exception {
        assertThat(DfdgFault.of(new WebServiceException(new ConnectException("Connection refused"))).kind())
                .isEqualTo(DfdgFault.Kind.TRANSPORT);
        assertThat(DfdgFault.of(new WebServiceException(new SocketTimeoutException("Read timed out"))).kind())
                .isEqualTo(DfdgFault.Kind.TRANSPORT);
        assertThat(DfdgFault.of(new IOException("HTTP response '502: Bad Gateway' when communicating with x")).status())
                .isEqualTo(502);
        assertThat(DfdgFault.emptyAnswer().kind()).isEqualTo(DfdgFault.Kind.EMPTY_ANSWER);
        // what CXF throws for an empty 200
        org.apache.cxf.interceptor.Fault unreadable = new org.apache.cxf.interceptor.Fault("Error reading XMLStreamReader.",
                java.util.logging.Logger.getGlobal(), new javax.xml.stream.XMLStreamException("Unexpected EOF in prolog"));
        assertThat(DfdgFault.of(new WebServiceException(unreadable)).kind()).isEqualTo(DfdgFault.Kind.EMPTY_ANSWER);
        // the same through a typed proxy, which wraps it in a SOAPFaultException (CreateSequence, TerminateSequence)
        jakarta.xml.ws.soap.SOAPFaultException proxied = new jakarta.xml.ws.soap.SOAPFaultException(
                jakarta.xml.soap.SOAPFactory.newInstance().createFault("Error reading XMLStreamReader.",
                        new QName("http://schemas.xmlsoap.org/soap/envelope/", "Server")));
        proxied.initCause(unreadable);
        assertThat(DfdgFault.of(proxied).kind()).isEqualTo(DfdgFault.Kind.EMPTY_ANSWER);
    }
}
