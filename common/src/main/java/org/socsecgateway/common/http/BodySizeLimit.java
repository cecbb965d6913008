package org.socsecgateway.common.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.socsecgateway.common.problem.ProblemType;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Refuses a body whose declared length exceeds {@code quarkus.http.limits.max-body-size} with a problem document
 * before any of it is read, over HTTP/1.1 and HTTP/2 alike ({@link EarlyRefusal}); Quarkus' own check (for chunked
 * bodies) answers without one.
 */
@ApplicationScoped
public class BodySizeLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        long limit = maxBodySize.asLongValue();
        router.route().order(-1000).handler(ctx -> {
            String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && exceeds(declared, limit)) {
                EarlyRefusal.send(ctx, ProblemType.PAYLOAD_TOO_LARGE, "The request body may not exceed " + limit + " bytes");
                return;
            }
            ctx.next();
        });
    }

    private static boolean exceeds(String declared, long limit) {
        try {
            return Long.parseLong(declared.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // Vert.x rejects a malformed Content-Length itself
        }
    }
}
