package org.socsecgateway.common.auth;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import javax.crypto.SecretKey;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * smallrye-jwt's caller-token check, remembering the tokens it accepted until they expire: a service that answers
 * in microseconds (codelist-service) would otherwise spend most of each request verifying the same caller's RS256
 * signature again. Only {@link #parse(String)} (the bearer-token check) is cached, by the exact token text; a token
 * it refused is checked again every time (and logged as before). A cached token stops being accepted at its
 * {@code exp} (no clock skew allowance), and the cache holds at most
 * {@code socsec.caller-auth.verified-token-cache-size} tokens (Caffeine, least recently used evicted).
 * <p>
 * What this gives up: a token already accepted stays accepted until its expiry even if its signing key is removed
 * from the issuer's JWKS in the meantime (ServiceAccount tokens live an hour at most). Opt-in per service:
 * {@code quarkus.arc.selected-alternatives=org.socsecgateway.common.auth.VerifiedTokenCache}.
 */
@Alternative
@ApplicationScoped
public class VerifiedTokenCache implements JWTParser {

    private final JWTParser delegate;
    private final Cache<String, JsonWebToken> accepted;
    private final Clock clock;

    @Inject
    VerifiedTokenCache(JWTAuthContextInfo authContextInfo,
                       @ConfigProperty(name = "socsec.caller-auth.verified-token-cache-size", defaultValue = "1000") int size) {
        this(new DefaultJWTParser(authContextInfo), size, Clock.systemUTC());
    }

    VerifiedTokenCache(JWTParser delegate, int size, Clock clock) {
        if (size < 1) {
            throw new IllegalArgumentException("socsec.caller-auth.verified-token-cache-size must be at least 1");
        }
        this.delegate = delegate;
        this.clock = clock;
        this.accepted = Caffeine.newBuilder().maximumSize(size).expireAfter(new UntilExpiry(clock)).build();
    }

    /** The caller-token check: a token accepted before and not yet expired is accepted again without verifying. */
    @Override
    public JsonWebToken parse(String token) throws ParseException {
        JsonWebToken known = remembered(token);
        if (known != null) {
            return known;
        }
        JsonWebToken verified = delegate.parse(token);
        if (verified.getExpirationTime() > 0) {
            accepted.put(token, verified);
        }
        return verified;
    }

    /** Whether this exact token text is remembered as accepted and not expired (for tests and diagnostics). */
    public boolean remembers(String token) {
        return remembered(token) != null;
    }

    private JsonWebToken remembered(String token) {
        JsonWebToken known = accepted.getIfPresent(token);
        return known != null && clock.millis() < known.getExpirationTime() * 1000L ? known : null;
    }

    /** How many accepted tokens are remembered now (for tests and diagnostics). */
    public long size() {
        accepted.cleanUp();
        return accepted.estimatedSize();
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return delegate.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return delegate.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return delegate.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return delegate.parseOnly(token);
    }

    /** An entry lives until its token's {@code exp}. */
    private record UntilExpiry(Clock clock) implements Expiry<String, JsonWebToken> {
        @Override
        public long expireAfterCreate(String key, JsonWebToken token, long currentTime) {
            return TimeUnit.MILLISECONDS.toNanos(Math.max(0, token.getExpirationTime() * 1000L - clock.millis()));
        }

        @Override
        public long expireAfterUpdate(String key, JsonWebToken token, long currentTime, long currentDuration) {
            return expireAfterCreate(key, token, currentTime);
        }

        @Override
        public long expireAfterRead(String key, JsonWebToken token, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
