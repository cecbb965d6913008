package org.socsecgateway.codelist.client;

import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.cxf.endpoint.Client;
import org.apache.cxf.frontend.ClientProxy;
import org.apache.cxf.service.model.BindingOperationInfo;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.socsecgateway.codelist.config.CodeListConfig;
import org.socsecgateway.dfdg.contract.codelist.CodeListService;
import org.socsecgateway.dfdg.soap.DfdgFault;
import org.socsecgateway.dfdg.soap.SoapOperations;
import org.socsecgateway.dfdg.soap.SoapResponseCapture;

import io.quarkiverse.cxf.annotation.CXFClient;

/**
 * DFDG's CodeListService (DFDG guide §3.6, docs/partners.md "Code lists") through the quarkus-cxf client
 * {@code codelist}, which carries the mutual TLS configuration, timeouts, the two DFDG headers and the answer capture
 * (application.properties). Operations are called by the name configured per list (any {@code Get<Xxx>CodeList} of the
 * WSDL), with an empty request, and the answer's items are read by local name ({@link ItemReader}), so the real WSDL's
 * wrappers need no code.
 */
@ApplicationScoped
public class DfdgCodeListClient {

    private final Client client;
    private final ItemReader reader;

    DfdgCodeListClient(@CXFClient("codelist") CodeListService service, CodeListConfig config) {
        this.client = ClientProxy.getClient(service);
        this.reader = new ItemReader(config.items());
    }

    /** True when the WSDL has this operation. */
    public boolean knowsOperation(String operation) {
        return operation(operation) != null;
    }

    /**
     * The items of one list, as DFDG sent them (not yet validated). One quick retry when DFDG did not answer at all;
     * a fault DFDG sent is final (it counts as DFDG's answer of the day).
     *
     * @throws CodeListFetchException with the {@link DfdgFault} (ErrorCode, error page, transport failure)
     * @throws IllegalArgumentException when the WSDL has no such operation
     */
    @Retry(maxRetries = 1, delay = 5, delayUnit = ChronoUnit.SECONDS, retryOn = CodeListNoAnswerException.class)
    public List<RawItem> fetch(String operation) throws CodeListFetchException {
        BindingOperationInfo op = operation(operation);
        if (op == null) {
            throw new IllegalArgumentException("CodeListService's WSDL has no operation " + operation);
        }
        Map<String, Object> responseContext = new HashMap<>();
        Map<String, Object> context = new HashMap<>();
        context.put(Client.REQUEST_CONTEXT, new HashMap<String, Object>());
        context.put(Client.RESPONSE_CONTEXT, responseContext);
        Object[] result;
        try {
            result = client.invoke(op, new Object[] {SoapOperations.emptyRequest(op)}, context);
        } catch (Exception e) {
            DfdgFault fault = DfdgFault.of(e);
            throw fault.sentByDfdg() ? new CodeListFetchException(operation, fault) : new CodeListNoAnswerException(operation, fault);
        }
        SoapResponseCapture.Captured answer = SoapResponseCapture.from(responseContext).orElse(null);
        if (result == null || result.length == 0 || result[0] == null || answer == null || answer.body() == null) {
            throw new CodeListNoAnswerException(operation, DfdgFault.emptyAnswer());
        }
        return reader.read(answer.body());
    }

    private BindingOperationInfo operation(String name) {
        return SoapOperations.find(client, name).orElse(null);
    }
}
