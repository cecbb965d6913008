package org.socsecgateway.bcssproxy.service;

import java.time.Duration;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.socsecgateway.common.log.LogSafe;
import org.socsecgateway.common.log.RateLimitedLog;

/**
 * One line per proxied call, in the {@code audit} log category: who called which API how, with what outcome and
 * both trace ids. Deliberately without path, query, bodies or tokens: a path can hold a national number.
 * <p>
 * A call refused before anything was sent to BCSS carries a {@code reason} (a fixed set: the {@code reason} values
 * of {@code proxy_refused_total}) and is logged at WARN, at most one line per reason and caller every
 * {@value #REFUSAL_PERIOD_SECONDS} seconds (the next line says how many were left out): anyone who can reach the
 * proxy can cause refusals. Values are escaped with {@link LogSafe}. An unknown caller, or a trace id of a call that was never sent, is written {@code -}.
 */
public final class AuditLog {

    static final int REFUSAL_PERIOD_SECONDS = 10;

    private static final Logger LOG = Logger.getLogger("audit");
    private static final RateLimitedLog REFUSALS = new RateLimitedLog(LOG, Duration.ofSeconds(REFUSAL_PERIOD_SECONDS), 256);
    private static final String[] FIELDS = { "caller", "api", "method", "status", "latencyMs", "correlationId",
            "belgovTraceId", "upstreamTraceId", "retried", "reason" };

    /** What is known about a call when it ends; {@code reason} is {@code null} unless the proxy refused the call. */
    public record Entry(String caller, String api, String method, int status, long latencyMs, String correlationId,
            String belgovTraceId, String upstreamTraceId, boolean retried, String reason) {

        /** A call that was not refused by the proxy. */
        public Entry(String caller, String api, String method, int status, long latencyMs, String correlationId,
                String belgovTraceId, String upstreamTraceId, boolean retried) {
            this(caller, api, method, status, latencyMs, correlationId, belgovTraceId, upstreamTraceId, retried, null);
        }
    }

    private AuditLog() {
    }

    public static void record(Entry entry) {
        // the caller's subject, method and ids come from outside: escaped so they cannot forge a line
        String caller = entry.caller() == null ? "-" : LogSafe.escape(entry.caller());
        Object[] values = { caller, LogSafe.escape(entry.api()), LogSafe.escape(entry.method()), entry.status(), entry.latencyMs(),
                LogSafe.escape(entry.correlationId()), LogSafe.escape(entry.belgovTraceId()), LogSafe.escape(entry.upstreamTraceId()),
                entry.retried(), entry.reason() };
        // key=value text built directly: a printf-style format was a measurable share of the proxy's CPU per call
        StringBuilder line = new StringBuilder(224);
        for (int i = 0; i < FIELDS.length; i++) {
            if (values[i] != null) {
                MDC.put(FIELDS[i], String.valueOf(values[i]));
            } else {
                values[i] = "-"; // what is not known, e.g. the trace ids of a call never sent
            }
            if (i < FIELDS.length - 1 || entry.reason() != null) {
                line.append(i == 0 ? "" : " ").append(FIELDS[i]).append('=').append(values[i]);
            }
        }
        try {
            if (entry.reason() == null) {
                LOG.info(line);
            } else {
                REFUSALS.warnf(entry.reason() + " " + caller, "%s", line);
            }
        } finally {
            for (String field : FIELDS) {
                MDC.remove(field);
            }
        }
    }
}
