package org.socsecgateway.tokenbroker.service;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.socsecgateway.common.log.LogSafe;
import org.socsecgateway.common.problem.Problem;
import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;
import org.socsecgateway.tokenbroker.client.UpstreamAnswerException;
import org.socsecgateway.tokenbroker.client.UpstreamRejectedException;
import org.socsecgateway.tokenbroker.client.UpstreamUnavailableException;
import org.socsecgateway.tokenbroker.config.BrokerConfig;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/** Hands out tokens to authorised callers and turns every failure into the problem a caller can act on. */
@ApplicationScoped
public class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class);

    private final CallerPolicy policy;
    private final TokenCache cache;
    private final MeterRegistry meters;
    private final Duration keyRetryAfter;

    TokenService(CallerPolicy policy, TokenCache cache, MeterRegistry meters, BrokerConfig config) {
        this.policy = policy;
        this.cache = cache;
        this.meters = meters;
        this.keyRetryAfter = config.key().reloadInterval();
    }

    /** Every outcome of {@code broker_token_requests_total} (README "Health and metrics"). */
    public static final List<String> OUTCOMES = List.of("cache_hit", "fetched", "forbidden", "bad_request",
            "upstream_rejected", "upstream_unusable", "upstream_unavailable", "key_unavailable", "internal_error",
            "reported_rejected", "reported_too_recent", "reported_unknown");

    /** Registers every outcome's counter at start, so that alerts on rate()/increase() see the first failure. */
    void registerMeters(@Observes StartupEvent start) {
        OUTCOMES.forEach(outcome -> meters.counter("broker.token.requests", "outcome", outcome));
    }

    public Uni<AccessToken> tokenFor(String caller, ScopeSet scopes) {
        try {
            policy.check(caller, scopes);
        } catch (ProblemException e) {
            count(e.problem().getStatus() == 403 ? "forbidden" : "bad_request");
            LOG.infof("Refused a token for %s to caller %s: %s", scopes, LogSafe.escape(caller), e.problem().getDetail());
            return Uni.createFrom().failure(e);
        }
        return cache.get(scopes)
                .invoke(served -> count(served.source() == TokenCache.Source.CACHE ? "cache_hit" : "fetched"))
                .map(TokenCache.Served::token)
                .onFailure().transform(failure -> failure instanceof TokenCache.BackingOff backingOff
                        ? toProblem(backingOff.lastFailure(), backingOff.retryAfter())
                        : toProblem(failure, null));
    }

    /**
     * Drops a token a caller saw refused upstream (see {@link TokenCache#reject}). Only a caller that may use those
     * scopes can drop it, at most once per scope set per {@code broker.cache.report-min-interval}.
     */
    public TokenCache.ReportOutcome reportRejected(String caller, String token) {
        TokenCache.ReportOutcome outcome = cache.reject(token, scopes -> policy.mayUse(caller, scopes));
        count(switch (outcome) {
            case DROPPED -> "reported_rejected";
            case TOO_RECENT -> "reported_too_recent";
            case UNKNOWN -> "reported_unknown";
        });
        return outcome;
    }

    private RuntimeException toProblem(Throwable failure, Duration retryAfter) {
        if (failure instanceof UpstreamRejectedException rejected) {
            count("upstream_rejected");
            return new ProblemException(Problem.of(ProblemType.BAD_GATEWAY,
                    "The authorization server refused the token request: " + rejected.error())
                    .with("upstreamStatus", rejected.status())
                    .with("upstreamError", rejected.error()));
        }
        if (failure instanceof UpstreamAnswerException unusable) {
            count("upstream_unusable");
            return new ProblemException(Problem.of(ProblemType.BAD_GATEWAY,
                    "The authorization server's answer cannot be used: " + unusable.getMessage()));
        }
        if (failure instanceof KeyUnavailableException) {
            count("key_unavailable");
            return new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                    "No usable JWT-signing key is loaded; see the readiness check for the reason")
                    .retryAfter(retryAfter != null ? retryAfter : keyRetryAfter);
        }
        if (failure instanceof UpstreamUnavailableException || failure == null) {
            count("upstream_unavailable");
            String reason = failure == null ? "" : ": " + failure.getMessage();
            return new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                    "No valid token is cached and the authorization server cannot serve one now" + reason)
                    .retryAfter(atLeastOneSecond(retryAfter));
        }
        if (failure instanceof TokenCache.UnexpectedFailure) {
            count("internal_error");
            return new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                    "The token request failed unexpectedly; the broker's log has the details")
                    .retryAfter(atLeastOneSecond(retryAfter));
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    /** Without a known wait, callers are told to come back in a second (the header rounds up to whole seconds). */
    private static Duration atLeastOneSecond(Duration retryAfter) {
        return retryAfter != null ? retryAfter : Duration.ofSeconds(1);
    }

    private void count(String outcome) {
        meters.counter("broker.token.requests", "outcome", outcome).increment();
    }
}
