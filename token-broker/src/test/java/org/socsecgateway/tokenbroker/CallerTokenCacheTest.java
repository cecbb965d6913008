package org.socsecgateway.tokenbroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.socsecgateway.tokenbroker.SimulatedBcss.AUDIENCE;
import static org.socsecgateway.tokenbroker.SimulatedBcss.DEFAULT_SCOPE;
import static org.socsecgateway.tokenbroker.SimulatedBcss.LIMITED;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;
import static org.socsecgateway.tokenbroker.TokenRequests.tokenFor;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.socsecgateway.common.auth.VerifiedTokenCache;
import org.socsecgateway.tokenbroker.SimulatedBcss.InjectBcss;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;

/**
 * The broker remembers the caller tokens it accepted (common's {@link VerifiedTokenCache}), so that answering a cached
 * BCSS token does not start with a fresh RS256 check of the same caller token every time. What it remembers never
 * widens what is accepted: only the exact text of an accepted token, and only until that token expires.
 */
@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CallerTokenCacheTest {

    private static final String INVALID_TOKEN = "urn:problem-type:belgif:invalidAccessToken";
    /** mp.jwt.verify.clock.skew of application.properties: the JWT check accepts a token this long after its exp. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    @InjectBcss
    Bcss bcss;

    @Inject
    JWTParser parser;

    private VerifiedTokenCache cache() {
        assertThat(parser).isInstanceOf(VerifiedTokenCache.class);
        return (VerifiedTokenCache) parser;
    }

    @Test
    void aCallersTokenIsRememberedOnceAccepted() {
        String token = bcss.callerToken(PROXY);
        assertThat(cache().remembers(token)).isFalse();
        for (int i = 0; i < 3; i++) {
            tokenFor(token, DEFAULT_SCOPE).then().statusCode(200);
            assertThat(cache().remembers(token)).isTrue();
        }
    }

    @Test
    void aRememberedTokenVouchesForNoOtherText() {
        String accepted = bcss.callerToken(PROXY);
        tokenFor(accepted, DEFAULT_SCOPE).then().statusCode(200);
        String[] parts = accepted.split("\\.");
        String[] other = bcss.callerToken(LIMITED).split("\\.");
        String otherAudience = bcss.issuer().mint(PROXY, "bcss-proxy", Duration.ofMinutes(5));

        // another caller's claims under the accepted token's signature; the accepted claims under another signature;
        // the same subject for another audience. Each is refused twice: a refusal is never remembered.
        for (String refused : new String[] { parts[0] + "." + other[1] + "." + parts[2], parts[0] + "." + parts[1] + "." + other[2],
                otherAudience }) {
            for (int i = 0; i < 2; i++) {
                tokenFor(refused, DEFAULT_SCOPE).then().statusCode(401).body("type", equalTo(INVALID_TOKEN));
            }
            assertThat(cache().remembers(refused)).isFalse();
        }
        tokenFor(accepted, DEFAULT_SCOPE).then().statusCode(200);
    }

    /**
     * A token whose exp has just passed is still within the JWT check's clock skew: accepted, not remembered (its exp is
     * behind it), and refused as soon as the skew is over, although it was accepted a moment before.
     */
    @Test
    void aTokenAcceptedBeforeIsRefusedOnceItHasExpired() {
        Instant expiry = Instant.now().minus(CLOCK_SKEW).plusSeconds(8); // acceptable for about 8 more seconds
        String ending = bcss.issuer().mint(PROXY, AUDIENCE, expiry.minus(Duration.ofMinutes(5)), expiry);

        tokenFor(ending, DEFAULT_SCOPE).then().statusCode(200);
        assertThat(cache().remembers(ending)).isFalse();
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                .until(() -> tokenFor(ending, DEFAULT_SCOPE).statusCode() == 401);
        tokenFor(ending, DEFAULT_SCOPE).then().statusCode(401).body("type", equalTo(INVALID_TOKEN));
    }
}
