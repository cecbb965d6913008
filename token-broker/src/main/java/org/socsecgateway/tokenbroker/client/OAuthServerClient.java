package org.socsecgateway.tokenbroker.client;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.socsecgateway.tokenbroker.config.BrokerConfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.tls.TlsConfigurationRegistry;

/**
 * Talks to the Smals OAuth v5 server with the configured TLS identity and timeouts, measures every call and
 * sorts failures into "rejected" (4xx: our request is wrong) and "unavailable" (anything else: try again later).
 * Retrying is left to the token cache, which backs off; a second layer of retries here would multiply load on
 * a server that is already struggling.
 */
@ApplicationScoped
public class OAuthServerClient {

    private static final Logger LOG = Logger.getLogger(OAuthServerClient.class);
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final BrokerConfig.Upstream config;
    private final TlsConfigurationRegistry tlsRegistry;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Map<URI, OAuthServerApi> clients = new ConcurrentHashMap<>();

    OAuthServerClient(BrokerConfig config, TlsConfigurationRegistry tlsRegistry, ObjectMapper json, MeterRegistry meters) {
        this.config = config.upstream();
        this.tlsRegistry = tlsRegistry;
        this.json = json;
        this.meters = meters;
    }

    public AuthorizationServerMetadata metadata(URI metadataUrl) {
        String body = call("metadata", metadataUrl, api -> api.get());
        try {
            return json.readValue(body, AuthorizationServerMetadata.class);
        } catch (JsonProcessingException e) {
            throw new UpstreamUnavailableException("Metadata at " + metadataUrl + " is not valid JSON", null);
        }
    }

    public TokenResponse requestToken(URI tokenEndpoint, String clientAssertion, Set<String> scopes) {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle("grant_type", "client_credentials");
        form.putSingle("client_assertion_type", ASSERTION_TYPE);
        form.putSingle("client_assertion", clientAssertion);
        if (!scopes.isEmpty()) {
            form.putSingle("scope", String.join(" ", scopes));
        }
        String body = call("token", tokenEndpoint, api -> api.post(form));
        try {
            TokenResponse token = json.readValue(body, TokenResponse.class);
            if (token.accessToken() == null || token.accessToken().isBlank() || token.expiresIn() == null || token.expiresIn() <= 0) {
                throw new UpstreamUnavailableException("Token response lacks access_token or a positive expires_in", null);
            }
            return token;
        } catch (JsonProcessingException e) {
            throw new UpstreamUnavailableException("Token response is not valid JSON", null);
        }
    }

    private String call(String operation, URI url, java.util.function.Function<OAuthServerApi, Response> request) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "error";
        try (Response response = request.apply(client(url))) {
            int status = response.getStatus();
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            if (status >= 200 && status < 300) {
                outcome = "success";
                return body;
            }
            if (status >= 400 && status < 500) {
                outcome = "rejected";
                OAuthErrorResponse error = parseError(body);
                LOG.warnf("Authorization server rejected the %s request: HTTP %d error=%s description=%s",
                        operation, status, error.error(), error.description());
                throw new UpstreamRejectedException(status, error.error(), error.description());
            }
            LOG.warnf("Authorization server failed the %s request: HTTP %d", operation, status);
            throw new UpstreamUnavailableException("Authorization server answered HTTP " + status, null);
        } catch (ProcessingException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            LOG.warnf("Authorization server unreachable for the %s request to %s: %s", operation, url, cause.toString());
            throw new UpstreamUnavailableException("Authorization server unreachable: " + cause.getClass().getSimpleName(), e);
        } finally {
            sample.stop(Timer.builder("broker.upstream.requests")
                    .description("Calls to the Smals authorization server, by operation and outcome")
                    .tags("operation", operation, "outcome", outcome)
                    .publishPercentileHistogram()
                    .register(meters));
        }
    }

    private OAuthErrorResponse parseError(String body) {
        try {
            OAuthErrorResponse error = json.readValue(body, OAuthErrorResponse.class);
            return error.error() == null ? new OAuthErrorResponse("unknown", null) : error;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new OAuthErrorResponse("unknown", null);
        }
    }

    private OAuthServerApi client(URI url) {
        return clients.computeIfAbsent(url, this::build);
    }

    private OAuthServerApi build(URI url) {
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(url)
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .disableDefaultMapper(true);
        tlsRegistry.get(config.tlsConfigurationName()).ifPresent(builder::tlsConfiguration);
        return builder.build(OAuthServerApi.class);
    }
}
