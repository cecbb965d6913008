package org.socsecgateway.dfdg.soap;

import java.util.List;

import jakarta.xml.bind.JAXBException;

import org.apache.cxf.binding.soap.SoapHeader;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.binding.soap.interceptor.AbstractSoapInterceptor;
import org.apache.cxf.headers.Header;
import org.apache.cxf.jaxb.JAXBDataBinding;
import org.apache.cxf.phase.Phase;
import org.socsecgateway.dfdg.contract.header.organisation.ActiveOrganisationHeader;
import org.socsecgateway.dfdg.contract.header.usermetadata.RequestUserMetadataHeader;

/**
 * Adds {@code ActiveOrganisationHeader} and {@code RequestUserMetadataHeader} to every outgoing DFDG call (a fresh
 * {@code RegistrationDateTime} each time). Register it as an out-interceptor of each DFDG client. The headers are
 * bound in the WSDL but not in the generated method signatures (implicit headers), so this is the one place they
 * are set; a resent message gets them once.
 */
public final class DfdgHeadersOutInterceptor extends AbstractSoapInterceptor {

    private final DfdgHeaders headers;
    private final JAXBDataBinding binding;

    public DfdgHeadersOutInterceptor(DfdgHeaders headers) {
        super(Phase.PRE_PROTOCOL);
        this.headers = headers;
        try {
            this.binding = new JAXBDataBinding(ActiveOrganisationHeader.class, RequestUserMetadataHeader.class);
        } catch (JAXBException e) {
            throw new IllegalStateException("Cannot bind the DFDG header classes", e);
        }
    }

    @Override
    public void handleMessage(SoapMessage message) {
        List<Header> list = message.getHeaders();
        list.removeIf(h -> DfdgHeaders.ACTIVE_ORGANISATION.equals(h.getName())
                || DfdgHeaders.REQUEST_USER_METADATA.equals(h.getName()));
        list.add(new SoapHeader(DfdgHeaders.ACTIVE_ORGANISATION, headers.activeOrganisation(), binding));
        list.add(new SoapHeader(DfdgHeaders.REQUEST_USER_METADATA, headers.requestUserMetadata(), binding));
    }
}
