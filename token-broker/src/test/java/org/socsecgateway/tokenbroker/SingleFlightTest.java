package org.socsecgateway.tokenbroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;
import static org.socsecgateway.tokenbroker.SimulatedBcss.scope;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.tokenbroker.SimulatedBcss.InjectBcss;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SingleFlightTest {

    /** More than the Quarkus worker pool (200 threads here): waiting callers must not starve the one upstream call. */
    private static final int CALLERS = 250;

    @InjectBcss
    Bcss bcss;

    @AfterEach
    void clearFaults() {
        bcss.oauth().faults().clear();
    }

    @Test
    void concurrentColdRequestsCauseExactlyOneUpstreamRequest() throws Exception {
        // A slow upstream keeps the first request in flight while all the others arrive.
        bcss.oauth().faults().latency(Duration.ofMillis(500));
        String caller = bcss.callerToken(PROXY);
        int before = bcss.upstreamTokenRequests();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return TokenRequests.tokenFor(caller, scope(10), scope(11));
                }));
            }
            start.countDown();
            Set<String> tokens = new HashSet<>();
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                assertThat(response.statusCode()).isEqualTo(200);
                tokens.add(response.jsonPath().getString("access_token"));
            }

            assertThat(tokens).hasSize(1);
            assertThat(bcss.upstreamTokenRequests() - before).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
