package org.socsecgateway.tokenbroker.service;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.socsecgateway.tokenbroker.client.AuthorizationServerMetadata;
import org.socsecgateway.tokenbroker.client.OAuthServerClient;
import org.socsecgateway.tokenbroker.config.BrokerConfig;

/**
 * Finds the token endpoint: from the RFC 8414 metadata when discovery is on, otherwise (or when the metadata
 * cannot be had) the configured one, which defaults to the environment's endpoint for the channel.
 */
@ApplicationScoped
public class TokenEndpointResolver {

    private static final Logger LOG = Logger.getLogger(TokenEndpointResolver.class);
    private static final Duration RETRY_DISCOVERY_AFTER_FAILURE = Duration.ofMinutes(1);

    private final BrokerConfig.Endpoints config;
    private final OAuthServerClient client;
    private final Clock clock;
    private final URI fallback;
    private final URI metadataUrl;

    private volatile Discovered discovered;

    /** The outcome of the last discovery, valid until {@code until}. */
    private record Discovered(URI tokenEndpoint, String source, Instant until) {
    }

    TokenEndpointResolver(BrokerConfig config, OAuthServerClient client, Clock clock) {
        this.config = config.endpoints();
        this.client = client;
        this.clock = clock;
        this.fallback = config.endpoints().token().orElse(config.environment().tokenEndpoint(config.channel()));
        this.metadataUrl = config.endpoints().metadata().orElse(config.environment().metadata());
    }

    public URI tokenEndpoint() {
        if (!config.discovery()) {
            return fallback;
        }
        Discovered current = discovered;
        if (current == null || clock.instant().isAfter(current.until())) {
            current = discover();
            discovered = current;
        }
        return current.tokenEndpoint();
    }

    /** Where the endpoint in use came from, for the certificate and status views. */
    public String source() {
        Discovered current = discovered;
        return config.discovery() ? (current == null ? "not discovered yet" : current.source()) : "configured";
    }

    public URI metadataUrl() {
        return metadataUrl;
    }

    private Discovered discover() {
        Instant now = clock.instant();
        try {
            AuthorizationServerMetadata metadata = client.metadata(metadataUrl);
            if (metadata.tokenEndpoint() == null || !metadata.tokenEndpoint().startsWith("https://")) {
                throw new IllegalStateException("metadata has no https token_endpoint");
            }
            if (metadata.authMethods() != null && !metadata.authMethods().contains("private_key_jwt")) {
                LOG.warnf("Metadata at %s does not list private_key_jwt among token_endpoint_auth_methods_supported", metadataUrl);
            }
            URI endpoint = URI.create(metadata.tokenEndpoint());
            LOG.infof("Discovered token endpoint %s (issuer %s)", endpoint, metadata.issuer());
            return new Discovered(endpoint, "discovered from " + metadataUrl, now.plus(config.discoveryTtl()));
        } catch (RuntimeException e) {
            LOG.warnf("Discovery through %s failed (%s); using the configured token endpoint %s", metadataUrl, e.getMessage(), fallback);
            return new Discovered(fallback, "configured (discovery failed)", now.plus(RETRY_DISCOVERY_AFTER_FAILURE));
        }
    }
}
