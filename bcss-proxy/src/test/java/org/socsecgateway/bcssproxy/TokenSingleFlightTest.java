package org.socsecgateway.bcssproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.socsecgateway.bcssproxy.SimulatedPartners.InjectBcss;
import org.socsecgateway.bcssproxy.SimulatedPartners.Partners;
import org.socsecgateway.bcssproxy.client.TokenBrokerClient;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Calls that need the same scopes while no token is cached share one request to the token broker. */
@QuarkusTest
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TokenSingleFlightTest {

    @InjectBcss
    Partners bcss;

    @Inject
    TokenBrokerClient tokens;

    @Test
    void concurrentCallsForUncachedScopesShareOneBrokerRequest() throws Exception {
        // No API of the test configuration has exactly these scopes: nothing has cached a token for them.
        Set<String> scopes = Set.of(SimulatedPartners.UPDATE);
        bcss.oauth().faults().latency(Duration.ofMillis(500)); // the broker's own fetch takes a while
        try {
            double before = brokerTokenRequests();
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(tokens.token(scopes).subscribeAsCompletionStage());
            }
            List<String> answers = new ArrayList<>();
            for (CompletableFuture<String> call : calls) {
                answers.add(call.get(30, TimeUnit.SECONDS));
            }
            assertThat(answers).hasSize(16).containsOnly(answers.get(0));
            assertThat(brokerTokenRequests() - before).as("requests to the broker").isEqualTo(1.0);
        } finally {
            bcss.oauth().faults().clear();
        }
    }

    /** Sum of {@code broker_token_requests_total} over its outcomes. */
    private double brokerTokenRequests() {
        Matcher line = Pattern.compile("(?m)^broker_token_requests_total\\{[^}]*} ([0-9.eE+-]+)$")
                .matcher(given().get(bcss.brokerMetricsUrl()).asString());
        double sum = 0;
        while (line.find()) {
            sum += Double.parseDouble(line.group(1));
        }
        return sum;
    }
}
