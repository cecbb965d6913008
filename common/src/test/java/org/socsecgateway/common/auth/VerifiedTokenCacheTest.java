package org.socsecgateway.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.SecretKey;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

class VerifiedTokenCacheTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    private final MutableClock clock = new MutableClock();
    private final CountingParser verifier = new CountingParser();

    @Test
    void anAcceptedTokenIsNotVerifiedAgainUntilItExpires() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, 10, clock);
        assertThat(cache.remembers("good-a")).isFalse();
        JsonWebToken first = cache.parse("good-a");
        assertThat(cache.remembers("good-a")).isTrue();
        assertThat(cache.parse("good-a")).isSameAs(first);
        assertThat(verifier.calls.get()).isEqualTo(1);
        clock.now = NOW.plusSeconds(599);
        cache.parse("good-a");
        assertThat(verifier.calls.get()).isEqualTo(1);
        clock.now = NOW.plusSeconds(600); // its exp: checked again (and the verifier decides)
        assertThat(cache.remembers("good-a")).isFalse();
        cache.parse("good-a");
        assertThat(verifier.calls.get()).isEqualTo(2);
    }

    @Test
    void aRefusedTokenIsCheckedEveryTimeAndAnotherTokenTextNeverMatches() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, 10, clock);
        assertThatThrownBy(() -> cache.parse("bad")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> cache.parse("bad")).isInstanceOf(ParseException.class);
        assertThat(verifier.calls.get()).isEqualTo(2);
        assertThat(cache.size()).isZero();
        assertThat(cache.remembers("bad")).isFalse();
        cache.parse("good-a");
        cache.parse("good-a ");
        assertThat(verifier.calls.get()).isEqualTo(4);
    }

    @Test
    void theCacheIsBounded() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier, 3, clock);
        for (int i = 0; i < 50; i++) {
            cache.parse("good-" + i);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(3);
        assertThatThrownBy(() -> new VerifiedTokenCache(verifier, 0, clock)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Accepts tokens starting with "good", valid ten minutes from NOW; refuses the rest. */
    private static final class CountingParser implements JWTParser {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public JsonWebToken parse(String token) throws ParseException {
            calls.incrementAndGet();
            if (!token.startsWith("good")) {
                throw new ParseException("refused");
            }
            return new Token(token, NOW.plusSeconds(600).getEpochSecond());
        }

        @Override
        public JsonWebToken parse(String token, JWTAuthContextInfo context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken verify(String token, PublicKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken verify(String token, SecretKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken verify(String token, String secret) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken decrypt(String token, PrivateKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken decrypt(String token, SecretKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken decrypt(String token, String secret) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonWebToken parseOnly(String token) {
            throw new UnsupportedOperationException();
        }
    }

    private record Token(String name, long exp) implements JsonWebToken {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public Set<String> getClaimNames() {
            return Set.of("sub", "exp");
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getClaim(String claim) {
            return (T) Map.<String, Object>of("sub", name, "exp", exp).get(claim);
        }
    }

    private static final class MutableClock extends Clock {
        Instant now = NOW;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
