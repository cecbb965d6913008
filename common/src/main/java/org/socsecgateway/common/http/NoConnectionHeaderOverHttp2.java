package org.socsecgateway.common.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;

/**
 * Drops a {@code Connection} header from every HTTP/2 response just before it is written. The header is
 * connection-specific and forbidden in HTTP/2 (RFC 9113 section 8.2.2): Netty refuses the whole response and resets
 * the stream, so the client gets no status at all. Code written for HTTP/1.1 adds it when it refuses an unread body
 * (Quarkus' own request-size check among them); over HTTP/2 the refusal must still arrive. {@link EarlyRefusal}
 * answers correctly for both protocols in the first place.
 */
@ApplicationScoped
public class NoConnectionHeaderOverHttp2 {

    void install(@Observes Router router) {
        router.route().order(-3000).handler(ctx -> {
            if (ctx.request().version() == HttpVersion.HTTP_2) {
                ctx.addHeadersEndHandler(ignored -> ctx.response().headers().remove(HttpHeaders.CONNECTION));
            }
            ctx.next();
        });
    }
}
