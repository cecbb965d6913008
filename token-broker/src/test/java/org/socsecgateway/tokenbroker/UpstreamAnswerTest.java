package org.socsecgateway.tokenbroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;
import static org.socsecgateway.tokenbroker.SimulatedBcss.scope;
import static org.socsecgateway.tokenbroker.TokenRequests.tokenFor;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.LogCapture;
import org.socsecgateway.tokenbroker.SimulatedBcss.InjectBcss;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Answers of the token endpoint that are odd (absurd {@code expires_in}), unusable, or say "not now" (429, 408,
 * 503 with {@code Retry-After}). Each case uses a scope set of its own, so backoffs never meet. Own application:
 * the faults would disturb other classes' upstream counts.
 */
@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class UpstreamAnswerTest {

    private static final String BAD_GATEWAY = "urn:problem-type:belgif:badGateway";
    private static final String UNAVAILABLE = "urn:problem-type:belgif:serviceUnavailable";
    private static final long MAX_LIFETIME = Duration.ofHours(1).toSeconds(); // broker.token.max-lifetime default

    @InjectBcss
    Bcss bcss;

    private static final AtomicInteger nextScope = new AtomicInteger(1);

    @AfterEach
    void clearFaults() {
        bcss.oauth().faults().clear();
    }

    @Test
    void absurdlyLongLifetimesAreCutToTheMaximum() {
        // 1e12 s is the year 33715; Long.MAX_VALUE overflowed into a 500; the others are the same mistake bigger.
        for (String huge : new String[] { "1e12", "9223372036854775807", "9223372036854775808", "1e999",
                "123456789012345678901234567890", "\"9223372036854775807\"", "3.6e3000" }) {
            bcss.oauth().faults().expiresInJson(huge);
            Response response = tokenFor(caller(), freshScope());
            response.then().statusCode(200);
            assertThat(response.jsonPath().getLong("expires_in")).as("expires_in for %s", huge)
                    .isBetween(MAX_LIFETIME - 30, MAX_LIFETIME);
            assertThat(Instant.parse(response.jsonPath().getString("expires_at")))
                    .isBefore(Instant.now().plus(Duration.ofHours(1)).plusSeconds(5));
        }
    }

    @Test
    void usualFormsOfAUsableLifetimeAreTakenAsTheyAre() {
        String[][] cases = { { "600", "600" }, { "6e2", "600" }, { "600.0", "600" }, { "599.9", "599" }, { "\"600\"", "600" } };
        for (String[] c : cases) {
            bcss.oauth().faults().expiresInJson(c[0]);
            Response response = tokenFor(caller(), freshScope());
            response.then().statusCode(200);
            assertThat(response.jsonPath().getLong("expires_in")).as("expires_in for %s", c[0])
                    .isBetween(Long.parseLong(c[1]) - 30, Long.parseLong(c[1]));
        }
    }

    @Test
    void aMissingOrNullExpiresInMeansTheConfiguredDefault() {
        bcss.oauth().faults().omitExpiresIn(true);
        Response absent = tokenFor(caller(), freshScope());
        absent.then().statusCode(200);
        assertThat(absent.jsonPath().getLong("expires_in")).isBetween(270L, 300L); // broker.token.default-lifetime

        bcss.oauth().faults().omitExpiresIn(false).expiresInJson("null");
        Response nullValue = tokenFor(caller(), freshScope());
        nullValue.then().statusCode(200);
        assertThat(nullValue.jsonPath().getLong("expires_in")).isBetween(270L, 300L);
    }

    @Test
    void unusableLifetimesAre502WithTheRealReasonNever500() {
        String[][] cases = {
                { "0", "below the minimum" }, { "-5", "below the minimum" }, { "-1e12", "below the minimum" },
                { "1", "below the minimum" }, { "1e-9", "below the minimum" }, { "-9223372036854775809", "below the minimum" },
                { "\"soon\"", "not a number of seconds" }, { "\"\"", "not a number of seconds" }, { "\"-5\"", "not a number of seconds" },
                { "true", "not a number" }, { "{}", "not a number" }, { "[600]", "not a number" },
                { "}", "not a JSON object" } };
        for (String[] c : cases) {
            bcss.oauth().faults().expiresInJson(c[0]);
            Response response = tokenFor(caller(), freshScope());
            response.then().statusCode(502).contentType("application/problem+json")
                    .body("type", equalTo(BAD_GATEWAY))
                    .body("detail", containsString(c[1]))
                    .body("detail", not(containsString("unavailable")));
            assertThat(response.asString()).as("answer for %s", c[0]).doesNotContain("eyJ");
        }
    }

    @Test
    void throttlingAndTimeoutsAreUnavailableWithTheServersRetryAfter() {
        for (int status : new int[] { 429, 408, 503 }) {
            String scope = freshScope();
            bcss.oauth().faults().failAlways(status).retryAfter("4");
            int before = bcss.upstreamTokenRequests();

            Response response = tokenFor(caller(), scope);

            response.then().statusCode(503).contentType("application/problem+json")
                    .body("type", equalTo(UNAVAILABLE))
                    .body("detail", containsString("HTTP " + status));
            assertThat(Integer.parseInt(response.header("Retry-After"))).as("Retry-After after %d", status).isBetween(3, 4);
            // the broker itself waits too: asking again at once does not reach the server
            Response again = tokenFor(caller(), scope);
            again.then().statusCode(503);
            assertThat(Integer.parseInt(again.header("Retry-After"))).isBetween(1, 4);
            assertThat(bcss.upstreamTokenRequests()).as("upstream requests after %d", status).isEqualTo(before + 1);
        }
    }

    @Test
    void aRetryAfterDateIsHonouredAndAHugeOneIsBounded() {
        tokenFor(caller(), freshScope()).then().statusCode(200); // discovery and connections done: the date stays ahead
        String inThirtySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(30).atOffset(ZoneOffset.UTC));
        bcss.oauth().faults().failAlways(503).retryAfter(inThirtySeconds);
        Response dated = tokenFor(caller(), freshScope());
        dated.then().statusCode(503);
        assertThat(Integer.parseInt(dated.header("Retry-After"))).isBetween(15, 31);

        bcss.oauth().faults().retryAfter("99999999999999999999999");
        Response huge = tokenFor(caller(), freshScope());
        huge.then().statusCode(503);
        assertThat(Integer.parseInt(huge.header("Retry-After"))).isBetween(50, 60); // broker.upstream.max-retry-after

        bcss.oauth().faults().retryAfter("soon");
        Response garbage = tokenFor(caller(), freshScope());
        garbage.then().statusCode(503);
        assertThat(Integer.parseInt(garbage.header("Retry-After"))).isBetween(1, 2); // our own backoff
    }

    @Test
    void otherRefusalsStay502WithTheUpstreamError() {
        for (int status : new int[] { 400, 401, 403, 404 }) {
            bcss.oauth().faults().failNext(status, 1);
            tokenFor(caller(), freshScope()).then().statusCode(502)
                    .body("type", equalTo(BAD_GATEWAY))
                    .body("upstreamStatus", equalTo(status))
                    .body("upstreamError", equalTo("temporarily_unavailable"));
        }
    }

    @Test
    void aRefusalForClockReasonsIsLoggedWithOurTimeTheServersDateAndTheSkew() {
        LogCapture log = new LogCapture();
        log.start();
        try {
            bcss.oauth().faults().clockSkew(Duration.ofMinutes(-10)); // Smals 10 minutes behind: our iat is in its future

            tokenFor(caller(), freshScope()).then().statusCode(502).body("upstreamError", equalTo("invalid_client"));

            String line = log.lines().stream().filter(l -> l.contains("rejected the token request")).findFirst().orElseThrow();
            assertThat(line).contains("iat is in the future").contains("localTime=").contains("serverDate=");
            Matcher skew = Pattern.compile("skew=(-?\\d+)s").matcher(line);
            assertThat(skew.find()).as(line).isTrue();
            assertThat(Long.parseLong(skew.group(1))).isBetween(595L, 605L);
        } finally {
            log.stop();
        }
    }

    @Test
    void theScopeSetRecoversOnceTheServerAnswersProperly() throws Exception {
        String scope = freshScope();
        bcss.oauth().faults().expiresInJson("0");
        tokenFor(caller(), scope).then().statusCode(502);
        bcss.oauth().faults().clear();

        Instant end = Instant.now().plusSeconds(10);
        Response response = tokenFor(caller(), scope);
        while (response.statusCode() != 200 && Instant.now().isBefore(end)) {
            Thread.sleep(100);
            response = tokenFor(caller(), scope);
        }
        response.then().statusCode(200);
    }

    private String caller() {
        return bcss.callerToken(PROXY);
    }

    private String freshScope() {
        return scope(nextScope.getAndIncrement());
    }
}
