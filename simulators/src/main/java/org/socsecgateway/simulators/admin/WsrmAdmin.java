package org.socsecgateway.simulators.admin;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.socsecgateway.simulators.internal.Json;
import org.socsecgateway.simulators.soap.SoapExchange;
import org.socsecgateway.simulators.wsrm.DfdgWsrmSimulator;
import org.socsecgateway.simulators.wsrm.MessageService;
import org.socsecgateway.simulators.wsrm.SequenceView;
import org.socsecgateway.simulators.wsrm.WsrmLoad;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code /admin/wsrm/*} resources: queue contents, loads, faults and statistics of the fake DFDG WSRM service. */
final class WsrmAdmin {

    static final int DEFAULT_LOAD_COUNT = 100;
    /** Recorded requests listed by {@code GET /admin/wsrm/stats}. */
    static final int RECENT_LISTED = 50;

    private final DfdgWsrmSimulator wsrm;

    WsrmAdmin(DfdgWsrmSimulator wsrm) {
        this.wsrm = wsrm;
    }

    void routes(Router router) {
        // blocking handlers: a load of many messages or a sweep over a large queue takes a moment
        router.get("/admin/wsrm").blockingHandler(ctx -> Json.send(ctx, 200, state()));
        router.post("/admin/wsrm/load").blockingHandler(ctx -> load(ctx));
        SoapFaultsResource.routes(router, "/admin/wsrm/faults", wsrm.faults());
        router.get("/admin/wsrm/stats").handler(ctx -> Json.send(ctx, 200, stats()));
        router.delete("/admin/wsrm/stats").handler(ctx -> {
            wsrm.stats().reset();
            Json.send(ctx, 200, stats());
        });
    }

    private Map<String, Object> state() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("wsrmServiceUrl", wsrm.wsrmServiceUrl());
        body.put("messageServiceUrl", wsrm.messageServiceUrl());
        body.put("acknowledgements", wsrm.acknowledgements());
        body.put("queued", wsrm.queue().queuedBySubscriber());
        List<Map<String, Object>> sequences = new ArrayList<>();
        for (SequenceView s : wsrm.queue().sequences()) {
            Map<String, Object> sequence = new LinkedHashMap<>();
            sequence.put("identifier", s.identifier());
            sequence.put("subscriber", s.subscriber());
            sequence.put("state", s.fetched() < s.messages() ? "FETCHING" : "FETCHED");
            sequence.put("inventory", s.inventory());
            sequence.put("messages", s.messages());
            sequence.put("fetched", s.fetched());
            sequence.put("messageNumbers", s.messageNumbers());
            sequence.put("acknowledged", s.acknowledged());
            sequence.put("created", s.created().toString());
            sequence.put("lastActivity", s.lastActivity().toString());
            sequence.put("expiresAt", s.expiresAt().toString());
            sequences.add(sequence);
        }
        body.put("inFlight", sequences);
        body.put("deleted", wsrm.queue().deletedCount());
        return body;
    }

    private void load(RoutingContext ctx) {
        LoadRequest request = AdminServer.readBody(ctx, LoadRequest.class);
        if (request == null) {
            return;
        }
        WsrmLoad load;
        try {
            if (request.subscriber() == null) {
                throw new IllegalArgumentException("subscriber is required, e.g. \"8:123\"");
            }
            int count = request.count() == null ? DEFAULT_LOAD_COUNT : request.count();
            List<MessageService> services = request.services() == null || request.services().isEmpty()
                    ? List.of(MessageService.values())
                    : request.services().stream().map(MessageService::of).toList();
            int citizens = request.citizens() == null ? Math.max(1, count / 4) : request.citizens();
            load = new WsrmLoad(request.subscriber(), count, services, citizens, request.seed() == null ? 1 : request.seed());
        } catch (IllegalArgumentException e) {
            Json.sendProblem(ctx, 400, "Bad Request", e.getMessage());
            return;
        }
        int enqueued = wsrm.queue().fill(load).size();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subscriber", load.subscriber());
        body.put("enqueued", enqueued);
        body.put("services", load.services().stream().map(MessageService::serviceName).toList());
        body.put("queued", wsrm.queue().queued(load.subscriber()));
        Json.send(ctx, 200, body);
    }

    private Map<String, Object> stats() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requests", wsrm.stats().requests());
        body.put("calls", wsrm.stats().calls());
        List<SoapExchange> recent = wsrm.stats().recent();
        List<Map<String, Object>> listed = new ArrayList<>();
        for (SoapExchange e : recent.subList(Math.max(0, recent.size() - RECENT_LISTED), recent.size())) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("at", e.at().toString());
            item.put("path", e.path());
            item.put("operation", e.operation());
            item.put("soapAction", e.soapAction());
            item.put("status", e.status());
            item.put("errorCode", e.errorCode());
            item.put("activeOrganisation", e.activeOrganisation());
            item.put("clientSubject", e.clientSubject());
            listed.add(item);
        }
        body.put("recent", listed);
        return body;
    }

    /** Body of {@code POST /admin/wsrm/load}. */
    record LoadRequest(String subscriber, Integer count, List<String> services, Integer citizens, Long seed) {
    }
}
