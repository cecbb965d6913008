package org.socsecgateway.tokenbroker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;
import static org.socsecgateway.tokenbroker.SimulatedBcss.scope;
import static org.socsecgateway.tokenbroker.TokenRequests.tokenFor;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.tokenbroker.SimulatedBcss.InjectBcss;
import org.socsecgateway.tokenbroker.service.TokenCache;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.scheduler.Scheduler;
import io.restassured.response.Response;

/**
 * Short token lifetimes (set on the simulator) make expiry, refresh and outages happen within seconds. Runs in its
 * own application: the background refreshes it causes would disturb other tests' upstream counts.
 */
@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class OutageTest {

    @InjectBcss
    Bcss bcss;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/live", management = true)
    URL liveness;

    @Inject
    Scheduler scheduler;

    @AfterEach
    void clearFaults() {
        bcss.oauth().faults().clear();
    }

    @Test
    void servesTheCachedTokenDuringAnOutageUntilItExpiresThen503AndRecoversWithoutRestart() throws Exception {
        bcss.oauth().faults().tokenLifetime(Duration.ofSeconds(5));
        String caller = bcss.callerToken(PROXY);
        Instant fetched = Instant.now();
        String cached = TokenRequests.accessToken(caller, scope(12));

        bcss.oauth().faults().refuseConnections(true);
        // Served until 1 s (min-remaining) before the 5 s lifetime ends, although refreshes fail from 3 s on.
        while (Instant.now().isBefore(fetched.plusMillis(3_500))) {
            assertThat(TokenRequests.accessToken(caller, scope(12))).isEqualTo(cached);
            Thread.sleep(250);
        }
        Response refused = awaitStatus(caller, 503, Duration.ofSeconds(5));
        refused.then().contentType("application/problem+json");
        assertThat(refused.jsonPath().getString("type")).isEqualTo("urn:problem-type:belgif:serviceUnavailable");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
        // what went wrong is in the broker's WARN line; the caller is not told the broker's internals (exception classes)
        assertThat(refused.jsonPath().getString("detail")).contains("unreachable").doesNotContainPattern("[A-Z][a-z]+Exception");
        assertThat(Instant.now()).isAfter(fetched.plusSeconds(3));

        bcss.oauth().faults().refuseConnections(false);
        Response recovered = awaitStatus(caller, 200, Duration.ofSeconds(5));
        assertThat(recovered.jsonPath().getString("access_token")).isNotEqualTo(cached);
    }

    @Test
    void refreshesAheadOfExpirySoNoCallerWaitsInSteadyState() throws Exception {
        bcss.oauth().faults().tokenLifetime(Duration.ofSeconds(4));
        String caller = bcss.callerToken(PROXY);
        TokenRequests.accessToken(caller, scope(13)); // the one cold request
        double fetchedBefore = fetchedCount();

        Set<String> seen = new LinkedHashSet<>();
        Instant end = Instant.now().plusSeconds(9);
        while (Instant.now().isBefore(end)) {
            seen.add(TokenRequests.accessToken(caller, scope(13)));
            Thread.sleep(100);
        }

        assertThat(seen).as("tokens were renewed during the run").hasSizeGreaterThanOrEqualTo(3);
        assertThat(fetchedCount()).as("requests that had to wait for the upstream").isEqualTo(fetchedBefore);
    }

    @Test
    void livenessWatchesTheSweepAgainstItsConfiguredInterval() throws Exception {
        // broker.cache.sweep-interval=1s here: stalled after three missed runs plus 5 s, not a fixed 2 minutes
        given().get(liveness).then().statusCode(200)
                .body("checks.find { it.name == 'token-refresher' }.data.stalledAfterSeconds", equalTo(8));
        scheduler.pause(TokenCache.SWEEP_JOB);
        try {
            awaitHealth(liveness, 503, Duration.ofSeconds(20));
        } finally {
            scheduler.resume(TokenCache.SWEEP_JOB);
        }
        awaitHealth(liveness, 200, Duration.ofSeconds(10));
    }

    private static void awaitHealth(URL url, int status, Duration limit) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (given().get(url).statusCode() != status && Instant.now().isBefore(end)) {
            Thread.sleep(200);
        }
        given().get(url).then().statusCode(status);
    }

    private Response awaitStatus(String caller, int status, Duration limit) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        Response response = tokenFor(caller, scope(12));
        while (response.statusCode() != status && Instant.now().isBefore(end)) {
            Thread.sleep(100);
            response = tokenFor(caller, scope(12));
        }
        assertThat(response.statusCode()).isEqualTo(status);
        return response;
    }

    private double fetchedCount() {
        String text = given().get(metrics).then().statusCode(200).extract().asString();
        Matcher matcher = Pattern.compile("broker_token_requests_total\\{outcome=\"fetched\"} ([0-9.E]+)").matcher(text);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
