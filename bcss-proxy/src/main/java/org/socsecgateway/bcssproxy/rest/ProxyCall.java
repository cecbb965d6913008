package org.socsecgateway.bcssproxy.rest;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.socsecgateway.bcssproxy.service.ApiGuard;
import org.socsecgateway.bcssproxy.service.ApiRoute;
import org.socsecgateway.common.http.MethodTag;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.streams.Pipe;
import io.vertx.ext.web.RoutingContext;

/** The state of one proxied call, from the caller's request to the last byte of the answer. */
final class ProxyCall {

    final RoutingContext ctx;
    /** The caller's request context: work resumed from other threads (queue, token broker) continues here. */
    final Context context = Vertx.currentContext();
    final long startedNanos = System.nanoTime();
    final String correlationId;
    final AtomicBoolean finished = new AtomicBoolean();
    /** Completed when the call ends, whatever the path: releases the call's place in the API's bulkhead. */
    final CompletableFuture<Void> released = new CompletableFuture<>();
    /** The part of the call that passed the circuit breaker; completing it records the outcome. Null before. */
    CompletableFuture<Void> exchange;
    String caller;
    /** Why the proxy refused the call before BCSS (the {@code proxy_refused_total} reason); null otherwise. */
    String refusal;
    ApiRoute api;
    /** The API name of the path, known or not (for the 404 once the caller is known). */
    String apiAsked;
    URI upstream;
    boolean hasBody;
    boolean replayable;
    Buffer bufferedBody;
    boolean retried;
    String belgovTraceId;
    String upstreamTraceId;
    HttpClientRequest upstreamRequest;
    Pipe<Buffer> upload;
    boolean uploadEnded;
    long uploadWatch = -1;
    /** BCSS failed this call (5xx, no connection, timeout, broken answer): counted by the circuit breaker. */
    boolean upstreamFailed;

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

    /** Runs {@code work} on the caller's request context. */
    void onContext(Runnable work) {
        context.runOnContext(ignored -> work.run());
    }

    /** Settles the circuit breaker's record of this call and gives its bulkhead place to the next one. */
    void settle() {
        if (exchange != null) {
            if (upstreamFailed) {
                exchange.completeExceptionally(new ApiGuard.UpstreamFailure(api.name()));
            } else {
                exchange.complete(null);
            }
        }
        released.complete(null);
    }
}
