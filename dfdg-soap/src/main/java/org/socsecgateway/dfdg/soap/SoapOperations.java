package org.socsecgateway.dfdg.soap;

import java.util.Optional;

import org.apache.cxf.endpoint.Client;
import org.apache.cxf.service.model.BindingOperationInfo;

/**
 * Calls an operation chosen at run time (by the WSDL name a configuration or an inventory gives) on a CXF client,
 * without code per operation: find it in the client's service model, build its empty request.
 */
public final class SoapOperations {

    private SoapOperations() {
    }

    /** The operation of the client's binding with this local name, if the WSDL has it. */
    public static Optional<BindingOperationInfo> find(Client client, String name) {
        for (BindingOperationInfo op : client.getEndpoint().getBinding().getBindingInfo().getOperations()) {
            if (op.getName().getLocalPart().equals(name)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    /**
     * A new, empty request of the operation (its single body part's type, e.g. {@code Get<Thing>Request}).
     *
     * @throws IllegalStateException when the part's type cannot be built with a no-argument constructor
     */
    public static Object emptyRequest(BindingOperationInfo op) {
        Class<?> type = op.getInput().getMessageParts().get(0).getTypeClass();
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot create the request of " + op.getName().getLocalPart(), e);
        }
    }
}
