package org.socsecgateway.bcssproxy.service;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

/** One allow-listed BCSS API with what it takes to call it safely: its bulkhead and circuit breaker in {@code guard}. */
public record ApiRoute(String name, URI baseUrl, Set<String> scopes, Duration timeout, String healthPath, ApiGuard guard) {

    /** The upstream URI for a guarded path: always below the configured base URL. */
    public URI upstream(PathGuard.Target target) {
        String base = baseUrl.toString();
        String joined = (base.endsWith("/") ? base : base + "/") + target.rest()
                + (target.query() == null ? "" : "?" + target.query());
        URI uri = URI.create(joined);
        // Belt and braces: the guard already made this impossible.
        if (!uri.getScheme().equals(baseUrl.getScheme()) || !uri.getHost().equals(baseUrl.getHost())
                || uri.getPort() != baseUrl.getPort()) {
            throw new IllegalStateException("Refusing to leave the configured host of API " + name);
        }
        return uri;
    }

    public URI health() {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + healthPath);
    }
}
