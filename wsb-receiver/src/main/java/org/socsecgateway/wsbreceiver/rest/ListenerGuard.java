package org.socsecgateway.wsbreceiver.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.socsecgateway.common.http.EarlyRefusal;
import org.socsecgateway.common.problem.ProblemType;
import org.socsecgateway.wsbreceiver.config.ReceiverConfig;
import org.socsecgateway.wsbreceiver.service.WebhookEndpoints;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Keeps the two listeners apart before any body is read: the HTTPS listener serves only the webhook paths, and only
 * to STAR's certificate; the plain internal listener serves only the internal API. So a wrong or missing client
 * certificate is refused before anything is stored, and the internal API is never on the internet-facing port.
 */
@ApplicationScoped
public class ListenerGuard {

    private static final Logger LOG = Logger.getLogger(ListenerGuard.class);

    private final WebhookEndpoints endpoints;
    private final MeterRegistry meters;
    private final long maxMessageSize;

    ListenerGuard(WebhookEndpoints endpoints, MeterRegistry meters, ReceiverConfig config) {
        this.endpoints = endpoints;
        this.meters = meters;
        this.maxMessageSize = config.webhook().maxMessageSize().asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(-2000).handler(this::guard);
        // Registered at start with both reasons, so that an alert on increase() sees the first refusal.
        for (String reason : new String[] {"missing", "not-pinned"}) {
            refusedCounter(reason);
        }
    }

    private void guard(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        boolean webhookPath = endpoints.authority(ctx.normalizedPath()).isPresent();
        if (!request.isSSL()) {
            if (webhookPath) {
                refuse(ctx, ProblemType.RESOURCE_NOT_FOUND, "The webhook is served on the HTTPS listener only");
                return;
            }
            ctx.next();
            return;
        }
        if (!webhookPath) {
            refuse(ctx, ProblemType.RESOURCE_NOT_FOUND, "No webhook at this path");
            return;
        }
        if (WebhookEndpoints.clientCertificate(request.sslSession()).isEmpty()) {
            refused("missing");
            refuse(ctx, ProblemType.NO_ACCESS_TOKEN, "A client certificate is required");
            return;
        }
        if (endpoints.acceptedSender(request.sslSession()).isEmpty()) {
            refused("not-pinned");
            LOG.warnf("Refused a webhook request from %s: its client certificate is trusted but not pinned",
                    request.remoteAddress());
            refuse(ctx, ProblemType.MISSING_PERMISSION, "This client certificate may not deliver messages");
            return;
        }
        if (declaredLength(request) > maxMessageSize) {
            // before reading it; a chunked body over the limit is refused by WebhookResource
            refuse(ctx, ProblemType.PAYLOAD_TOO_LARGE, "A message may not exceed " + maxMessageSize + " bytes");
            return;
        }
        ctx.next();
    }

    private static long declaredLength(HttpServerRequest request) {
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return -1; // Vert.x refuses a malformed Content-Length itself
        }
    }

    private void refused(String reason) {
        refusedCounter(reason).increment();
    }

    private Counter refusedCounter(String reason) {
        return Counter.builder("wsb.webhook.refused").description("Webhook requests refused for their client certificate")
                .tag("reason", reason).register(meters);
    }

    /** Answers before the body is read: HTTP/1.1 closes the connection, HTTP/2 only ends the stream. */
    private static void refuse(RoutingContext ctx, ProblemType type, String detail) {
        EarlyRefusal.send(ctx, type, detail);
    }
}
