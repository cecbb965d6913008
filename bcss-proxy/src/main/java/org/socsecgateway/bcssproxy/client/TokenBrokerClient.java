package org.socsecgateway.bcssproxy.client;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.socsecgateway.bcssproxy.config.ProxyConfig;
import org.socsecgateway.common.auth.OwnCallerToken;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/**
 * Gets BCSS access tokens from the token broker, authenticating with the proxy's own ServiceAccount token, and
 * reuses each until shortly before it expires so a proxied call normally costs no broker round trip.
 */
@ApplicationScoped
public class TokenBrokerClient {

    private static final Logger LOG = Logger.getLogger(TokenBrokerClient.class);

    private final TokenBrokerApi api;
    private final ProxyConfig.Broker config;
    private final Map<Set<String>, BrokerToken> cache = new ConcurrentHashMap<>();
    /** Single flight: the broker request under way per scope set, shared by every call that needs it meanwhile. */
    private final Map<Set<String>, Uni<BrokerToken>> fetching = new ConcurrentHashMap<>();

    TokenBrokerClient(ProxyConfig config) {
        this.config = config.broker();
        OwnCallerToken own = new OwnCallerToken(this.config.tokenFile());
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(this.config.url())
                .connectTimeout(this.config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(this.config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .clientHeadersFactory((incoming, outgoing) -> {
                    jakarta.ws.rs.core.MultivaluedMap<String, String> headers = new jakarta.ws.rs.core.MultivaluedHashMap<>();
                    headers.putSingle("Authorization", "Bearer " + own.get());
                    return headers;
                })
                .build(TokenBrokerApi.class);
    }

    /**
     * A token for these scopes, from the local copy while it has more than the reuse margin left. Otherwise one
     * request to the broker per scope set at a time: calls arriving while it is under way share its answer (or
     * its failure; the next call after a failure asks again).
     */
    public Uni<String> token(Set<String> scopes) {
        return Uni.createFrom().deferred(() -> {
            BrokerToken cached = cache.get(scopes);
            if (cached != null && cached.expiresAt() != null && Instant.now().isBefore(cached.expiresAt().minus(config.reuseMargin()))) {
                return Uni.createFrom().item(cached.accessToken());
            }
            return fetching.computeIfAbsent(scopes, this::fetch).map(BrokerToken::accessToken);
        });
    }

    private Uni<BrokerToken> fetch(Set<String> scopes) {
        return api.token(Map.of("scopes", scopes))
                .invoke(fresh -> {
                    if (fresh.accessToken() == null || fresh.accessToken().isBlank()) {
                        throw new IllegalStateException("The token broker answered without an access_token");
                    }
                    if (fresh.expiresAt() != null) { // without an expiry the token serves this call only
                        cache.put(scopes, fresh);
                    }
                })
                .onTermination().invoke(() -> fetching.remove(scopes))
                .memoize().indefinitely();
    }

    /**
     * Tells the broker the gateway refused this token and forgets the local copy. The returned Uni completes when
     * the broker has answered (a retry then gets a fresh token); a failure to report is logged and ends it normally.
     */
    public Uni<Void> reportRejected(Set<String> scopes, String token) {
        cache.computeIfPresent(scopes, (key, current) -> current.accessToken().equals(token) ? null : current);
        return api.rejected(Map.of("access_token", token))
                .onFailure().invoke(e -> LOG.warnf("Could not report a rejected token to the broker: %s", e.toString()))
                .onFailure().recoverWithNull();
    }
}
