package org.socsecgateway.simulators.wsrm;

import org.socsecgateway.dfdg.contract.fault.FaultDetails;
import org.socsecgateway.dfdg.contract.wsrm.FaultDetailsFault;
import org.socsecgateway.dfdg.contract.wsrm.WsrmService;
import org.socsecgateway.dfdg.contract.wsrm.types.AcknowledgementRangeType;
import org.socsecgateway.dfdg.contract.wsrm.types.CloseSequenceRequest;
import org.socsecgateway.dfdg.contract.wsrm.types.CreateSequenceRequest;
import org.socsecgateway.dfdg.contract.wsrm.types.CreateSequenceResponse;
import org.socsecgateway.dfdg.contract.wsrm.types.OpenAnswerType;
import org.socsecgateway.dfdg.contract.wsrm.types.SequenceAcknowledgementRequest;
import org.socsecgateway.dfdg.contract.wsrm.types.ServiceItemType;
import org.socsecgateway.dfdg.contract.wsrm.types.TerminateSequenceRequest;
import org.socsecgateway.simulators.soap.SoapContext;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** DFDG's WsrmService on top of a {@link WsrmQueue}: the generated SEI, as the poller sees it. */
final class WsrmServiceImpl implements WsrmService {

    private final WsrmQueue queue;
    private final WsrmNames names;
    private final Supplier<String> inventoryEndpoint;
    private final Supplier<Map.Entry<String, Integer>> unknownService;

    WsrmServiceImpl(WsrmQueue queue, WsrmNames names, Supplier<String> inventoryEndpoint,
                    Supplier<Map.Entry<String, Integer>> unknownService) {
        this.queue = queue;
        this.names = names;
        this.inventoryEndpoint = inventoryEndpoint;
        this.unknownService = unknownService;
    }

    @Override
    public CreateSequenceResponse createSequence(CreateSequenceRequest parameters) throws FaultDetailsFault {
        WsrmQueue.Created created = call(() -> queue.createSequence(subscriber()));
        CreateSequenceResponse response = new CreateSequenceResponse();
        response.setIdentifier(created.identifier());
        CreateSequenceResponse.ServiceInventoryCollection inventory = new CreateSequenceResponse.ServiceInventoryCollection();
        created.inventory().forEach((service, count) -> {
            ServiceItemType item = new ServiceItemType();
            item.setServiceName(service.serviceName());
            item.setServiceEndpoint(inventoryEndpoint.get());
            item.setMessageCount(count);
            inventory.getServiceItem().add(item);
        });
        Map.Entry<String, Integer> unknown = unknownService.get();
        if (unknown != null && !created.inventory().isEmpty()) {
            ServiceItemType item = new ServiceItemType();
            item.setServiceName(unknown.getKey());
            item.setServiceEndpoint(inventoryEndpoint.get());
            item.setMessageCount(unknown.getValue());
            inventory.getServiceItem().add(item);
        }
        response.setServiceInventoryCollection(inventory);
        return response;
    }

    @Override
    public OpenAnswerType closeSequence(CloseSequenceRequest parameters) throws FaultDetailsFault {
        call(() -> {
            queue.close(subscriber(), parameters.getIdentifier());
            return null;
        });
        return answer(element("Identifier", parameters.getIdentifier()));
    }

    @Override
    public OpenAnswerType terminateSequence(TerminateSequenceRequest parameters) throws FaultDetailsFault {
        WsrmQueue.Terminated terminated = call(() -> queue.terminate(subscriber(), parameters.getIdentifier()));
        Element correct = element("TerminateSequenceCorrect", Boolean.toString(terminated.correct()));
        if (terminated.correct()) {
            return answer(element("Identifier", parameters.getIdentifier()), correct);
        }
        Element missing = element("MissingRangeCollection", null);
        for (long[] range : terminated.missingRanges()) {
            Element item = element("MissingRange", null);
            item.setAttribute("Lower", Long.toString(range[0]));
            item.setAttribute("Upper", Long.toString(range[1]));
            missing.appendChild(item);
        }
        return answer(element("Identifier", parameters.getIdentifier()), correct, missing);
    }

    @Override
    public OpenAnswerType sequenceAcknowledgement(SequenceAcknowledgementRequest parameters) throws FaultDetailsFault {
        List<long[]> ranges = parameters.getAcknowledgementRange().stream()
                .map((AcknowledgementRangeType r) -> new long[] {r.getLower(), r.getUpper()})
                .toList();
        boolean correct = call(() -> queue.acknowledge(subscriber(), parameters.getIdentifier(), ranges));
        return answer(element("Identifier", parameters.getIdentifier()),
                element("AckCorrect", Boolean.toString(correct)));
    }

    private static String subscriber() {
        return SoapContext.current().activeOrganisation();
    }

    private Element element(String localName, String text) {
        Document document = SoapContext.current().document();
        Element element = document.createElementNS(names.answerNamespace(), localName);
        if (text != null) {
            element.setTextContent(text);
        }
        return element;
    }

    private static OpenAnswerType answer(Element... elements) {
        OpenAnswerType answer = new OpenAnswerType();
        answer.getAny().addAll(List.of(elements));
        return answer;
    }

    private interface Step<T> {
        T run() throws WsrmFault;
    }

    private static <T> T call(Step<T> step) throws FaultDetailsFault {
        try {
            return step.run();
        } catch (WsrmFault e) {
            FaultDetails details = new FaultDetails();
            details.setErrorCode(e.errorCode());
            details.setMessage(e.getMessage());
            throw new FaultDetailsFault(e.getMessage(), details);
        }
    }
}
