package org.socsecgateway.simulators.oauth;

import com.fasterxml.jackson.databind.util.RawValue;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import org.socsecgateway.simulators.internal.Json;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/** {@code POST /REST/oauth/v5/token}: the client credentials grant with a JWT client assertion. */
final class TokenEndpoint implements Handler<RoutingContext> {

    static final String PATH = "/REST/oauth/v5/token";
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private static final System.Logger LOG = System.getLogger(TokenEndpoint.class.getName());

    private final ClientAssertionVerifier verifier;
    private final IssuedTokens tokens;
    private final Faults faults;
    private final Stats stats;
    private final Clock clock;

    TokenEndpoint(ClientAssertionVerifier verifier, IssuedTokens tokens, Faults faults, Stats stats, Clock clock) {
        this.verifier = verifier;
        this.tokens = tokens;
        this.faults = faults;
        this.stats = stats;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        stats.recordRequest();
        long latencyMs = faults.latency().toMillis();
        if (latencyMs > 0) {
            ctx.vertx().setTimer(latencyMs, id -> answer(ctx)); // never block the event loop
        } else {
            answer(ctx);
        }
    }

    private void answer(RoutingContext ctx) {
        // RFC 9110 6.6.1: an origin server with a clock sends Date; clients read clock trouble from it
        ctx.response().putHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(now().atOffset(ZoneOffset.UTC)));
        OptionalInt injected = faults.takeFailure();
        if (injected.isPresent()) {
            String retryAfter = faults.retryAfter();
            if (retryAfter != null) {
                ctx.response().putHeader("Retry-After", retryAfter);
            }
            reject(ctx, injected.getAsInt(), "temporarily_unavailable",
                    "injected fault: HTTP " + injected.getAsInt());
            return;
        }
        try {
            Map<String, Object> body = grant(ctx);
            stats.recordIssued();
            noStore(ctx);
            Json.send(ctx, 200, body);
        } catch (OAuthError e) {
            reject(ctx, e.status(), e.error(), e.description());
        }
    }

    private Map<String, Object> grant(RoutingContext ctx) throws OAuthError {
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).split(";")[0].trim()
                .equals("application/x-www-form-urlencoded")) {
            throw OAuthError.invalidRequest("the body must be application/x-www-form-urlencoded");
        }
        MultiMap form = ctx.request().formAttributes();
        for (String name : form.names()) {
            if (form.getAll(name).size() > 1) {
                throw OAuthError.invalidRequest("parameter " + name + " is repeated"); // RFC 6749 section 3.2
            }
        }
        String grantType = form.get("grant_type");
        if (grantType == null || grantType.isEmpty()) {
            throw OAuthError.invalidRequest("grant_type is missing");
        }
        if (!grantType.equals("client_credentials")) {
            throw OAuthError.unsupportedGrantType("only client_credentials is supported");
        }
        if (!JWT_BEARER.equals(form.get("client_assertion_type"))) {
            throw OAuthError.invalidRequest("client_assertion_type must be " + JWT_BEARER);
        }
        String assertion = form.get("client_assertion");
        if (assertion == null || assertion.isEmpty()) {
            throw OAuthError.invalidRequest("client_assertion is missing");
        }
        Instant now = now();
        RegisteredClient client = verifier.verify(assertion, form.get("client_id"), now);
        Set<String> scopes = grantedScopes(client, form.get("scope"));

        Duration lifetime = faults.tokenLifetime();
        String accessToken = tokens.issue(client.clientId(), scopes, clock.instant(), lifetime); // real time: lifetimes unskewed
        LOG.log(System.Logger.Level.DEBUG, "issued a token to {0} for {1}", client.clientId(), scopes);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("token_type", "Bearer");
        if (faults.omitExpiresIn()) {
            LOG.log(System.Logger.Level.DEBUG, "injected fault: expires_in left out");
        } else {
            String rawExpiresIn = faults.expiresInJson();
            body.put("expires_in", rawExpiresIn != null ? new RawValue(rawExpiresIn) : lifetime.toSeconds());
        }
        body.put("scope", String.join(" ", scopes));
        return body;
    }

    /** The endpoint's idea of now: the real time, off by the injected clock skew. */
    private Instant now() {
        return clock.instant().plus(faults.clockSkew());
    }

    private static Set<String> grantedScopes(RegisteredClient client, String scopeParam) throws OAuthError {
        if (scopeParam == null || scopeParam.isBlank()) {
            if (client.defaultScopes().isEmpty()) {
                throw OAuthError.invalidScope("no scope requested and the client has no default scope");
            }
            return client.defaultScopes();
        }
        Set<String> requested = new LinkedHashSet<>(Arrays.asList(scopeParam.trim().split(" +")));
        for (String scope : requested) {
            if (!client.scopes().contains(scope)) {
                throw OAuthError.invalidScope("scope " + scope + " is not registered for this client");
            }
        }
        return requested;
    }

    private void reject(RoutingContext ctx, int status, String error, String description) {
        stats.recordRejected(error);
        LOG.log(System.Logger.Level.DEBUG, "token request rejected: {0} ({1})", error, description);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        noStore(ctx);
        Json.send(ctx, status, body);
    }

    private static void noStore(RoutingContext ctx) {
        ctx.response().putHeader("Cache-Control", "no-store").putHeader("Pragma", "no-cache");
    }
}
