package org.socsecgateway.bcssproxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.socsecgateway.bcssproxy.SimulatedPartners.InjectBcss;
import org.socsecgateway.bcssproxy.SimulatedPartners.Partners;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Metric tags come from fixed sets: made-up request methods open no new series. */
@QuarkusTest
@WithTestResource(value = SimulatedPartners.class, scope = TestResourceScope.MATCHING_RESOURCES)
class MetricTagsTest {

    @InjectBcss
    Partners bcss;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private String scrape() {
        return given().get(metrics).then().statusCode(200).extract().asString();
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static long seriesOf(String text, String metric) {
        return text.lines().filter(line -> line.startsWith(metric + "{")).count();
    }

    /** 5 made-up methods without a token; also on the other entry points. */
    @Test
    void madeUpMethodsWithoutATokenOpenNoNewSeries() throws Exception {
        String otherUnauthenticated = "proxy_requests_seconds_count{api=\"demo\",method=\"OTHER\",status=\"401\"}";
        // Warm up the series this test expects, so that only made-up ones could be new.
        RawHttp.send(RestAssured.port, "FOO0 /v1/bcss/demo/v1/organizations/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        for (String path : List.of("/v1/connectivity", "/v1/nothing-here")) {
            RawHttp.send(RestAssured.port, "FOO0 " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> value(scrape(), otherUnauthenticated) >= 1);
        String before = scrape();

        for (String method : List.of("FOO1", "BREW", "PROPFIND", "X-ATTACK", "Get")) {
            RawHttp.Exchange exchange = RawHttp.send(RestAssured.port, method + " /v1/bcss/demo/v1/organizations/1 HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(exchange.status()).as(method).isEqualTo(401);
            for (String path : List.of("/v1/connectivity", "/v1/nothing-here")) {
                RawHttp.send(RestAssured.port, method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            }
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> value(scrape(), otherUnauthenticated) >= value(before, otherUnauthenticated) + 5);
        String after = scrape();
        assertThat(after).doesNotContain("FOO1", "BREW", "PROPFIND", "X-ATTACK", "method=\"Get\"");
        assertThat(seriesOf(after, "proxy_requests_seconds_count")).isEqualTo(seriesOf(before, "proxy_requests_seconds_count"));
        assertThat(seriesOf(after, "http_server_requests_seconds_count")).isEqualTo(seriesOf(before, "http_server_requests_seconds_count"));
    }

    /** A caller's path never becomes a label: not on a 405, a 400 before routing, or a path no route has. */
    @Test
    void pathsCallersMakeUpNeverBecomeLabels() throws Exception {
        for (String request : List.of("DELETE /v1/connectivity/0101850000-cpr-1", "GET /v1/%ZZsecret1",
                "PUT /v1/connectivity", "POST /x/eyJhbGciOiJ1/0101850000")) {
            RawHttp.send(RestAssured.port, request + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        }
        assertThat(scrape()).doesNotContain("0101850000", "secret1", "eyJhbGciOiJ1");
    }
}
