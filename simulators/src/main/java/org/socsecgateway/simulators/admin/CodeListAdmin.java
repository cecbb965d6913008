package org.socsecgateway.simulators.admin;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.socsecgateway.simulators.codelist.CodeListItem;
import org.socsecgateway.simulators.codelist.DfdgCodeListSimulator;
import org.socsecgateway.simulators.internal.Json;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@code /admin/codelists/*} resources: the lists, calls, changes, broken answers and faults of the fake DFDG
 * CodeListService. An unknown operation is 404, a bad body 400 (and changes nothing).
 */
final class CodeListAdmin {

    private final DfdgCodeListSimulator codeLists;

    CodeListAdmin(DfdgCodeListSimulator codeLists) {
        this.codeLists = codeLists;
    }

    void routes(Router router) {
        router.get("/admin/codelists").handler(ctx -> Json.send(ctx, 200, overview()));
        // before /{operation}: these names are no operation
        SoapFaultsResource.routes(router, "/admin/codelists/faults", codeLists.faults());
        router.post("/admin/codelists/reset").handler(ctx -> {
            codeLists.reset();
            Json.send(ctx, 200, overview());
        });
        router.delete("/admin/codelists/calls").handler(ctx -> {
            codeLists.resetCounts();
            Json.send(ctx, 200, overview());
        });
        router.post("/admin/codelists/extra-elements").handler(this::extraElements);
        router.get("/admin/codelists/:operation").handler(ctx -> withOperation(ctx, op -> { }));
        router.post("/admin/codelists/:operation/changes").handler(this::changes);
        router.post("/admin/codelists/:operation/invalid").handler(this::invalid);
        router.post("/admin/codelists/:operation/empty").handler(ctx -> withOperation(ctx, codeLists::serveEmptyList));
        router.post("/admin/codelists/:operation/restore").handler(ctx -> withOperation(ctx, codeLists::restore));
    }

    private Map<String, Object> overview() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("codeListServiceUrl", codeLists.codeListServiceUrl());
        body.put("extraElements", codeLists.extraElements());
        body.put("totalCalls", codeLists.totalCalls());
        List<Map<String, Object>> lists = new ArrayList<>();
        for (String operation : DfdgCodeListSimulator.OPERATIONS) {
            lists.add(summary(operation));
        }
        body.put("lists", lists);
        return body;
    }

    private Map<String, Object> summary(String operation) {
        List<CodeListItem> items = codeLists.items(operation);
        Instant now = codeLists.clock().instant();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("operation", operation);
        summary.put("serving", codeLists.serving(operation));
        summary.put("items", items.size());
        summary.put("current", items.stream().filter(i -> i.startDate() != null && i.validAt(now)).count());
        summary.put("calls", codeLists.calls(operation));
        return summary;
    }

    /** Runs {@code action} on the path's operation and answers its summary and items; 404 for an unknown one. */
    private void withOperation(RoutingContext ctx, Consumer<String> action) {
        String operation = ctx.pathParam("operation");
        if (!DfdgCodeListSimulator.OPERATIONS.contains(operation)) {
            Json.sendProblem(ctx, 404, "Not Found", "no code list operation " + operation + "; known: "
                    + DfdgCodeListSimulator.OPERATIONS);
            return;
        }
        try {
            action.accept(operation);
        } catch (IllegalArgumentException e) {
            Json.sendProblem(ctx, 400, "Bad Request", e.getMessage());
            return;
        }
        Map<String, Object> body = summary(operation);
        body.put("list", codeLists.items(operation));
        Json.send(ctx, 200, body);
    }

    private void changes(RoutingContext ctx) {
        ChangesRequest request = AdminServer.readBody(ctx, ChangesRequest.class);
        if (request != null) {
            withOperation(ctx, operation -> codeLists.change(operation, request.changes()));
        }
    }

    private void invalid(RoutingContext ctx) {
        InvalidRequest request = AdminServer.readBody(ctx, InvalidRequest.class);
        if (request != null) {
            withOperation(ctx, operation -> codeLists.serveInvalid(operation, request.invalid()));
        }
    }

    private void extraElements(RoutingContext ctx) {
        ExtraElementsRequest request = AdminServer.readBody(ctx, ExtraElementsRequest.class);
        if (request == null) {
            return;
        }
        if (request.enabled() == null) {
            Json.sendProblem(ctx, 400, "Bad Request", "enabled (true or false) is required");
            return;
        }
        codeLists.extraElements(request.enabled());
        Json.send(ctx, 200, overview());
    }

    /** Body of {@code POST /admin/codelists/{operation}/changes}; every part optional. */
    record ChangesRequest(List<CodeListItem> add, List<Rename> rename, List<Expire> expire, List<Integer> remove) {

        /** @throws IllegalArgumentException for an incomplete entry or an unreadable endDate */
        DfdgCodeListSimulator.Changes changes() {
            Map<Integer, String> names = new LinkedHashMap<>();
            for (Rename r : rename == null ? List.<Rename>of() : rename) {
                if (r == null || r.identifier() == null || r.name() == null) {
                    throw new IllegalArgumentException("every rename needs identifier and name");
                }
                names.put(r.identifier(), r.name());
            }
            Map<Integer, Instant> ends = new LinkedHashMap<>();
            for (Expire e : expire == null ? List.<Expire>of() : expire) {
                if (e == null || e.identifier() == null || e.endDate() == null) {
                    throw new IllegalArgumentException("every expire needs identifier and endDate");
                }
                try {
                    ends.put(e.identifier(), CodeListItem.instant(e.endDate()));
                } catch (DateTimeException ex) {
                    throw new IllegalArgumentException("endDate must be an xsd:dateTime, e.g. 2025-04-01T00:00:00+02:00"
                            + " (without offset: Copenhagen time)");
                }
            }
            if (remove != null && remove.contains(null)) {
                throw new IllegalArgumentException("remove lists identifiers");
            }
            if (add != null && add.contains(null)) {
                throw new IllegalArgumentException("add lists items");
            }
            return new DfdgCodeListSimulator.Changes(add, names, ends, remove);
        }
    }

    /** One rename. */
    record Rename(Integer identifier, String name) {
    }

    /** One expiry; endDate is an xsd:dateTime (without offset: Copenhagen time). */
    record Expire(Integer identifier, String endDate) {
    }

    /** Body of {@code POST /admin/codelists/{operation}/invalid}. */
    record InvalidRequest(String kind) {

        DfdgCodeListSimulator.Invalid invalid() {
            try {
                return DfdgCodeListSimulator.Invalid.valueOf(String.valueOf(kind));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kind must be one of "
                        + List.of(DfdgCodeListSimulator.Invalid.values()));
            }
        }
    }

    /** Body of {@code POST /admin/codelists/extra-elements}. */
    record ExtraElementsRequest(Boolean enabled) {
    }
}
