package org.socsecgateway.tokenbroker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.socsecgateway.tokenbroker.config.BrokerConfig;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A token fetch that ends with something other than a RuntimeException (an Error, a sneaky checked exception) must
 * leave the scope set usable: the failed call gets a 503 reason, and the next attempt after the backoff is made.
 * (Before: the in-flight marker stayed set and every later call waited for a request that had long died.)
 */
class TokenCacheFailureTest {

    private final TestBrokerConfig.MutableClock clock = new TestBrokerConfig.MutableClock();
    private TokenCache cache;

    @AfterEach
    void stop() {
        if (cache != null) {
            cache.stop();
        }
    }

    static List<Supplier<Throwable>> failures() {
        return List.of(StackOverflowError::new, () -> new NoClassDefFoundError("com/example/Missing"),
                () -> new ExceptionInInitializerError("static init"), AssertionError::new, () -> new IOException("checked"),
                () -> new IllegalStateException("runtime"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void aFetchEndingInAnyThrowableLeavesTheScopeSetUsable(Supplier<Throwable> failure) {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Throwable> next = new AtomicReference<>(failure.get());
        cache = new TokenCache(fetcher(scopes -> {
            calls.incrementAndGet();
            Throwable pending = next.getAndSet(null);
            if (pending != null) {
                throw TokenCacheFailureTest.<RuntimeException>sneaky(pending);
            }
            Instant now = clock.instant();
            return new AccessToken("token-" + calls.get(), scopes.joined(), now, now.plusSeconds(600), now.plusSeconds(540));
        }), clock, config(), new SimpleMeterRegistry());
        ScopeSet scopes = ScopeSet.of(List.of("scope:cbss:api:demo:consult"));

        assertThatThrownBy(() -> cache.get(scopes).await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(TokenCache.BackingOff.class)
                .satisfies(e -> assertThat(((TokenCache.BackingOff) e).retryAfter()).isPositive());
        // within the backoff: told to wait, no new request
        assertThatThrownBy(() -> cache.get(scopes).await().atMost(Duration.ofSeconds(10))).isInstanceOf(TokenCache.BackingOff.class);
        assertThat(calls).hasValue(1);

        clock.advance(Duration.ofSeconds(2));
        TokenCache.Served served = cache.get(scopes).await().atMost(Duration.ofSeconds(10));

        assertThat(served.token().value()).isEqualTo("token-2");
        assertThat(calls).hasValue(2);
    }

    private UpstreamTokenFetcher fetcher(java.util.function.Function<ScopeSet, AccessToken> fetch) {
        return new UpstreamTokenFetcher(null, null, null, null, clock, config()) {
            @Override
            public AccessToken fetch(ScopeSet scopes) {
                return fetch.apply(scopes);
            }
        };
    }

    private static BrokerConfig config() {
        return TestBrokerConfig.with(Map.of("broker.upstream.initial-backoff", "1s",
                "broker.upstream.connect-timeout", "1s", "broker.upstream.read-timeout", "1s"));
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
