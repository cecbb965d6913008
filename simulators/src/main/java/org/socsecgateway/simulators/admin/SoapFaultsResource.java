package org.socsecgateway.simulators.admin;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.socsecgateway.simulators.internal.Json;
import org.socsecgateway.simulators.soap.SoapFaults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET/PUT/DELETE <path>} for the {@link SoapFaults} of a DFDG SOAP fake: the rules as
 * {@code {"rules":[{"kind","operation","skip","count","errorCode","message","latencyMs"}]}}; a PUT replaces them all
 * (a refused PUT changes nothing), a DELETE clears them.
 */
final class SoapFaultsResource {

    private SoapFaultsResource() {
    }

    static void routes(Router router, String path, SoapFaults faults) {
        router.get(path).handler(ctx -> Json.send(ctx, 200, describe(faults)));
        router.put(path).handler(ctx -> put(ctx, faults));
        router.delete(path).handler(ctx -> {
            faults.clear();
            Json.send(ctx, 200, describe(faults));
        });
    }

    private static Map<String, Object> describe(SoapFaults faults) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (SoapFaults.Rule rule : faults.rules()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("kind", rule.kind().name());
            item.put("operation", rule.operation());
            item.put("skip", rule.skip());
            item.put("count", rule.count());
            if (rule.kind() == SoapFaults.Kind.FAULT_DETAILS) {
                item.put("errorCode", rule.errorCode());
                item.put("message", rule.message());
            }
            if (rule.kind() == SoapFaults.Kind.LATENCY) {
                item.put("latencyMs", rule.latency().toMillis());
            }
            rules.add(item);
        }
        return Map.of("rules", rules);
    }

    private static void put(RoutingContext ctx, SoapFaults faults) {
        FaultsRequest request = AdminServer.readBody(ctx, FaultsRequest.class);
        if (request == null) {
            return;
        }
        List<SoapFaults.Rule> rules = new ArrayList<>();
        try {
            for (RuleRequest r : request.rules() == null ? List.<RuleRequest>of() : request.rules()) {
                if (r.kind() == null) {
                    throw new IllegalArgumentException("every rule needs a kind: " + List.of(SoapFaults.Kind.values()));
                }
                SoapFaults.Kind kind = SoapFaults.Kind.valueOf(r.kind());
                if (kind == SoapFaults.Kind.FAULT_DETAILS && r.errorCode() == null) {
                    throw new IllegalArgumentException("a FAULT_DETAILS rule needs an errorCode");
                }
                if (kind == SoapFaults.Kind.LATENCY && r.latencyMs() == null) {
                    throw new IllegalArgumentException("a LATENCY rule needs latencyMs");
                }
                rules.add(new SoapFaults.Rule(kind, r.operation(), r.skip() == null ? 0 : r.skip(),
                        r.count() == null ? 1 : r.count(), r.errorCode() == null ? 0 : r.errorCode(), r.message(),
                        r.latencyMs() == null ? Duration.ZERO : Duration.ofMillis(r.latencyMs())));
            }
        } catch (IllegalArgumentException e) {
            Json.sendProblem(ctx, 400, "Bad Request", e.getMessage());
            return;
        }
        faults.replace(rules);
        Json.send(ctx, 200, describe(faults));
    }

    /** Body of a PUT. */
    record FaultsRequest(List<RuleRequest> rules) {
    }

    /** One rule of a PUT; absent skip = 0, absent count = 1. */
    record RuleRequest(String kind, String operation, Integer skip, Integer count, Integer errorCode, String message,
                       Long latencyMs) {
    }
}
