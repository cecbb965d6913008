package org.socsecgateway.tokenbroker.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.tokenbroker.service.TokenCache.ReportOutcome;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Reports of a rejected token ({@code POST /v1/tokens/rejected}) cannot make the broker ask Smals more than once per
 * scope set per {@code broker.cache.report-min-interval}, however often and by whom they come; the first one is
 * honoured at once.
 */
class TokenCacheReportTest {

    private static final ScopeSet SCOPES = ScopeSet.of(List.of("scope:cbss:api:demo:consult"));

    private final TestBrokerConfig.MutableClock clock = new TestBrokerConfig.MutableClock();
    private final AtomicInteger fetches = new AtomicInteger();
    private final TokenCache cache = new TokenCache(new UpstreamTokenFetcher(null, null, null, null, clock, config()) {
        @Override
        public AccessToken fetch(ScopeSet scopes) {
            Instant now = clock.instant();
            return new AccessToken("token-" + fetches.incrementAndGet(), scopes.joined(), now, now.plusSeconds(600),
                    now.plusSeconds(540));
        }
    }, clock, config(), new SimpleMeterRegistry());

    @AfterEach
    void stop() {
        cache.stop();
    }

    @Test
    void theFirstReportReplacesTheTokenAtOnceLaterOnesOnlyOncePerInterval() {
        String first = token();
        assertThat(cache.reject(first, scopes -> true)).isEqualTo(ReportOutcome.DROPPED); // a real refusal: at once
        String second = token();
        assertThat(second).isNotEqualTo(first);
        assertThat(fetches).hasValue(2);

        for (int i = 0; i < 20; i++) { // a caller reporting in a loop
            assertThat(cache.reject(second, scopes -> true)).isEqualTo(ReportOutcome.TOO_RECENT);
            assertThat(token()).isEqualTo(second);
        }
        assertThat(cache.reject(first, scopes -> true)).as("already replaced").isEqualTo(ReportOutcome.UNKNOWN);
        assertThat(fetches).hasValue(2);

        clock.advance(Duration.ofSeconds(10));
        assertThat(cache.reject(second, scopes -> true)).isEqualTo(ReportOutcome.DROPPED);
        assertThat(token()).isNotEqualTo(second);
        assertThat(fetches).hasValue(3);
    }

    @Test
    void aCallerThatMayNotUseTheScopesCannotDropTheToken() {
        String first = token();
        assertThat(cache.reject(first, scopes -> false)).isEqualTo(ReportOutcome.UNKNOWN);
        assertThat(cache.reject("not-a-token-we-gave", scopes -> true)).isEqualTo(ReportOutcome.UNKNOWN);
        assertThat(token()).isEqualTo(first);
        assertThat(fetches).hasValue(1);
    }

    private String token() {
        return cache.get(SCOPES).await().atMost(Duration.ofSeconds(10)).token().value();
    }

    private static org.socsecgateway.tokenbroker.config.BrokerConfig config() {
        return TestBrokerConfig.with(Map.of());
    }
}
