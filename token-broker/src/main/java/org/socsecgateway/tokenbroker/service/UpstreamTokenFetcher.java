package org.socsecgateway.tokenbroker.service;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.socsecgateway.tokenbroker.client.OAuthServerClient;
import org.socsecgateway.tokenbroker.client.TokenResponse;
import org.socsecgateway.tokenbroker.config.BrokerConfig;

/** One token request to Smals: sign a fresh assertion, post it, and work out when the answer must be refreshed. */
@ApplicationScoped
public class UpstreamTokenFetcher {

    private final SigningKeyHolder keys;
    private final TokenEndpointResolver endpoints;
    private final ClientAssertionFactory assertions;
    private final OAuthServerClient client;
    private final Clock clock;
    private final Duration refreshAhead;
    private final BrokerConfig.Token lifetimes;

    UpstreamTokenFetcher(SigningKeyHolder keys, TokenEndpointResolver endpoints, ClientAssertionFactory assertions,
            OAuthServerClient client, Clock clock, BrokerConfig config) {
        this.keys = keys;
        this.endpoints = endpoints;
        this.assertions = assertions;
        this.client = client;
        this.clock = clock;
        this.refreshAhead = config.cache().refreshAhead();
        this.lifetimes = config.token();
        if (lifetimes.minLifetime().compareTo(config.cache().minRemaining()) <= 0
                || lifetimes.maxLifetime().compareTo(lifetimes.minLifetime()) < 0
                || lifetimes.defaultLifetime().compareTo(lifetimes.minLifetime()) < 0
                || lifetimes.defaultLifetime().compareTo(lifetimes.maxLifetime()) > 0) {
            throw new IllegalStateException("broker.token.*: need broker.cache.min-remaining < min-lifetime"
                    + " <= default-lifetime <= max-lifetime");
        }
    }

    /**
     * @throws KeyUnavailableException no usable signing key
     * @throws org.socsecgateway.tokenbroker.client.UpstreamUnavailableException Smals cannot serve now
     * @throws org.socsecgateway.tokenbroker.client.UpstreamRejectedException Smals refused the request
     * @throws org.socsecgateway.tokenbroker.client.UpstreamAnswerException Smals's answer cannot be used
     */
    public AccessToken fetch(ScopeSet scopes) {
        SigningIdentity identity = keys.usable()
                .orElseThrow(() -> new KeyUnavailableException("The JWT-signing key is missing, unreadable or expired"));
        URI endpoint = endpoints.tokenEndpoint();
        // Lifetimes count from before the request, so network time never makes a token look fresher than it is.
        Instant requestedAt = clock.instant();
        TokenResponse response = client.requestToken(endpoint, assertions.create(identity, endpoint), scopes.values());
        Duration lifetime = TokenLifetime.of(response.expiresIn(), lifetimes);
        Duration ahead = refreshAhead.compareTo(lifetime.dividedBy(2)) < 0 ? refreshAhead : lifetime.dividedBy(2);
        Instant expiresAt = requestedAt.plus(lifetime);
        String scope = response.scope() != null ? response.scope() : scopes.joined();
        return new AccessToken(response.accessToken(), scope, requestedAt, expiresAt, expiresAt.minus(ahead));
    }
}
