package org.socsecgateway.codelist;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The calls the tests make to codelist-service's API and management port. */
final class CodeListApi {

    private final DfdgCodeLists dfdg;
    private final URL metrics;

    CodeListApi(DfdgCodeLists dfdg, URL metrics) {
        this.dfdg = dfdg;
        this.metrics = metrics;
    }

    RequestSpecification as(String subject) {
        return given().auth().oauth2(dfdg.token(subject));
    }

    /** Waits until every list has a snapshot (the start-up fetch). */
    void awaitAllFetched() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Response r = as(SimulatedDfdgCodeLists.READER).get("/v1/codelists");
            return r.statusCode() == 200 && r.jsonPath().getList("lists.fetchedAt").stream().allMatch(f -> f != null)
                    && r.jsonPath().getList("lists").size() == SimulatedDfdgCodeLists.LISTS.size();
        });
    }

    /** {@code GET /v1/codelists} as JSON. */
    JsonPath summaries() {
        return as(SimulatedDfdgCodeLists.READER).get("/v1/codelists").then().statusCode(200).extract().jsonPath();
    }

    /** One list's summary. */
    Map<String, Object> summary(String list) {
        return summaries().getMap("lists.find { it.name == '" + list + "' }");
    }

    /** The identifiers in a list answer. */
    static List<Integer> identifiers(Response response) {
        return response.jsonPath().getList("items.identifier", Integer.class);
    }

    /** {@code POST …/refresh} as the operator: forced with a reason, or not. */
    Response refresh(String list, boolean force) {
        return as(SimulatedDfdgCodeLists.OPERATOR).contentType("application/json")
                .body(force ? "{\"force\":true,\"reason\":\"test: DFDG changed the list\"}" : "{}")
                .post("/v1/codelists/" + list + "/refresh");
    }

    /** The Prometheus exposition text. */
    String metrics() {
        return given().get(metrics).then().statusCode(200).extract().asString();
    }

    /** The value of the first sample of {@code name} whose labels contain all of {@code labels} ({@code k="v"}). */
    double metric(String name, String... labels) {
        return metrics().lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .filter(l -> List.of(labels).stream().allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name + " " + List.of(labels)));
    }
}
