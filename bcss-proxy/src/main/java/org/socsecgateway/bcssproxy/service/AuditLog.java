package org.socsecgateway.bcssproxy.service;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One line per proxied call, in the {@code audit} log category: who called which API how, with what outcome and
 * both trace ids. Deliberately without path, query, bodies or tokens: a path can hold a national number.
 */
public final class AuditLog {

    private static final Logger LOG = Logger.getLogger("audit");
    private static final String[] FIELDS = { "caller", "api", "method", "status", "latencyMs", "correlationId",
            "belgovTraceId", "upstreamTraceId", "retried" };

    /** What is known about a call when it ends. */
    public record Entry(String caller, String api, String method, int status, long latencyMs, String correlationId,
            String belgovTraceId, String upstreamTraceId, boolean retried) {
    }

    private AuditLog() {
    }

    public static void record(Entry entry) {
        Object[] values = { entry.caller(), entry.api(), entry.method(), entry.status(), entry.latencyMs(),
                entry.correlationId(), entry.belgovTraceId(), entry.upstreamTraceId(), entry.retried() };
        for (int i = 0; i < FIELDS.length; i++) {
            if (values[i] != null) {
                MDC.put(FIELDS[i], String.valueOf(values[i]));
            }
        }
        try {
            LOG.infof("caller=%s api=%s method=%s status=%d latencyMs=%d correlationId=%s belgovTraceId=%s upstreamTraceId=%s retried=%s",
                    values);
        } finally {
            for (String field : FIELDS) {
                MDC.remove(field);
            }
        }
    }
}
