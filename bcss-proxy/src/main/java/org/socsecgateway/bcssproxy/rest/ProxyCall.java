package org.socsecgateway.bcssproxy.rest;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

import org.socsecgateway.bcssproxy.service.ApiRoute;
import org.socsecgateway.common.http.MethodTag;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** The state of one proxied call, from the caller's request to the last byte of the answer. */
final class ProxyCall {

    final RoutingContext ctx;
    final long startedNanos = System.nanoTime();
    final String correlationId;
    final AtomicBoolean finished = new AtomicBoolean();
    String caller;
    /** Why the proxy refused the call before BCSS (the {@code proxy_refused_total} reason); null otherwise. */
    String refusal;
    ApiRoute api;
    URI upstream;
    boolean hasBody;
    boolean replayable;
    Buffer bufferedBody;
    boolean holdsPermit;
    boolean retried;
    String belgovTraceId;
    String upstreamTraceId;

    ProxyCall(RoutingContext ctx, String correlationId) {
        this.ctx = ctx;
        this.correlationId = correlationId;
    }

    /** The method from a fixed set, for the metric tag and the audit line: the request line is caller input. */
    String method() {
        return MethodTag.of(ctx.request().method());
    }

    long latencyMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
