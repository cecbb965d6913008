package org.socsecgateway.tokenbroker.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.socsecgateway.common.log.RateLimitedLog;
import org.socsecgateway.tokenbroker.config.BrokerConfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.tls.TlsConfigurationRegistry;

/**
 * Talks to the Smals OAuth v5 server with the configured TLS identity and timeouts, measures every call and
 * sorts failures into "unavailable" (unreachable, 5xx, 408 and 429: try again later, not before its
 * {@code Retry-After}), "rejected" (other 4xx: our request is wrong) and "unusable" (an answer that is not what
 * RFC 6749 section 5.1 describes).
 * Retrying is left to the token cache, which backs off; a second layer of retries here would multiply load on
 * a server that is already struggling.
 */
@ApplicationScoped
public class OAuthServerClient {

    private static final Logger LOG = Logger.getLogger(OAuthServerClient.class);
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final BrokerConfig.Upstream config;
    private final TlsConfigurationRegistry tlsRegistry;
    private final ObjectReader tokenReader;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Clock clock;
    private final RateLimitedLog refusals = new RateLimitedLog(LOG, Duration.ofMinutes(1), 64);
    private final Map<URI, OAuthServerApi> clients = new ConcurrentHashMap<>();

    OAuthServerClient(BrokerConfig config, TlsConfigurationRegistry tlsRegistry, ObjectMapper json, MeterRegistry meters,
            Clock clock) {
        this.config = config.upstream();
        this.tlsRegistry = tlsRegistry;
        this.json = json;
        // Exact numbers: 1e12 or 1e999 in expires_in must be judged as what they are, not as a rounded double.
        this.tokenReader = json.readerFor(TokenResponse.class).with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        this.meters = meters;
        this.clock = clock;
    }

    public AuthorizationServerMetadata metadata(URI metadataUrl) {
        String body = call("metadata", metadataUrl, api -> api.get());
        try {
            return json.readValue(body, AuthorizationServerMetadata.class);
        } catch (JsonProcessingException e) {
            throw new UpstreamAnswerException("The metadata at " + metadataUrl + " is not a valid RFC 8414 document");
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
        TokenResponse token;
        try {
            token = tokenReader.readValue(body);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // the parser's message can quote the body, which holds the token: never pass it on
            throw unusable("The token response is not a JSON object with the RFC 6749 members");
        }
        if (token == null || token.accessToken() == null || token.accessToken().isBlank()) {
            throw unusable("The token response has no access_token");
        }
        if (token.tokenType() != null && !token.tokenType().equalsIgnoreCase("Bearer")) {
            throw unusable("The token response's token_type is not Bearer");
        }
        return token;
    }

    private UpstreamAnswerException unusable(String reason) {
        LOG.warnf("Unusable answer from the authorization server: %s", reason);
        return new UpstreamAnswerException(reason);
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
            if (status == 408 || status == 429 || status >= 500) {
                // Throttled, timed out or failing: the same request may well work later (RFC 9110 15.5.9, RFC 6585 4).
                OAuthErrorResponse error = parseError(body);
                Optional<Duration> retryAfter = RetryAfter.parse(response.getHeaderString("Retry-After"), clock.instant(),
                        config.maxRetryAfter());
                LOG.warnf("Authorization server could not serve the %s request: HTTP %d error=%s Retry-After=%s",
                        operation, status, error.error(), retryAfter.map(Duration::toString).orElse("none"));
                throw new UpstreamUnavailableException("The authorization server answered HTTP " + status
                        + ("unknown".equals(error.error()) ? "" : " " + error.error()), null, retryAfter.orElse(null));
            }
            if (status >= 400 && status < 500) {
                outcome = "rejected";
                OAuthErrorResponse error = parseError(body);
                logRefusal(operation, status, error, response.getHeaderString("Date"));
                throw new UpstreamRejectedException(status, error.error(), error.description());
            }
            outcome = "unusable";
            throw unusable("The authorization server answered HTTP " + status + " to the " + operation
                    + " request (redirects are not followed)");
        } catch (ProcessingException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            LOG.warnf("Authorization server unreachable for the %s request to %s: %s", operation, url, cause.toString());
            throw new UpstreamUnavailableException("Authorization server unreachable", e); // the cause is in the WARN line, not for callers
        } finally {
            sample.stop(Timer.builder("broker.upstream.requests")
                    .description("Calls to the Smals authorization server, by operation and outcome")
                    .tags("operation", operation, "outcome", outcome)
                    .publishPercentileHistogram()
                    .register(meters));
        }
    }

    /**
     * A refusal names its RFC 6749 error. Our clock matters to the most puzzling ones (an assertion "not active yet",
     * "issued in the future", "expired"): our time, the server's {@code Date} and the difference are logged with
     * every refusal. Rate-limited per status and error code.
     */
    private void logRefusal(String operation, int status, OAuthErrorResponse error, String serverDate) {
        Instant now = clock.instant();
        String skew = "unknown";
        if (serverDate != null) {
            try {
                Instant server = ZonedDateTime.parse(serverDate, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                // Date has whole seconds: a difference of 1 s or less is no evidence of skew
                skew = Duration.between(server, now.truncatedTo(ChronoUnit.SECONDS)).toSeconds() + "s (ours minus the server's)";
            } catch (DateTimeParseException e) {
                skew = "unknown (Date unreadable)";
            }
        }
        refusals.warnf(operation + status + error.error(),
                "Authorization server rejected the %s request: HTTP %d error=%s description=%s; localTime=%s serverDate=%s skew=%s",
                operation, status, error.error(), error.description(), now, serverDate, skew);
    }

    private OAuthErrorResponse parseError(String body) {
        try {
            OAuthErrorResponse error = json.readValue(body, OAuthErrorResponse.class);
            if (error == null || error.error() == null) {
                return new OAuthErrorResponse("unknown", null);
            }
            // Codes and descriptions are ASCII by RFC 6749 5.2; anything else is cut and stripped of line breaks.
            return new OAuthErrorResponse(printable(error.error(), 64), error.description() == null ? null : printable(error.description(), 300));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new OAuthErrorResponse("unknown", null);
        }
    }

    private static String printable(String text, int max) {
        String cleaned = text.replaceAll("[^\\x20-\\x7e]", "?");
        return cleaned.length() > max ? cleaned.substring(0, max) + "..." : cleaned;
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
