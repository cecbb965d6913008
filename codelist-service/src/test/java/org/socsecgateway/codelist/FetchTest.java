package org.socsecgateway.codelist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.socsecgateway.codelist.SimulatedDfdgCodeLists.READER;

import java.io.IOException;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.codelist.service.FetchScheduler;
import org.socsecgateway.codelist.store.CodeListStore;
import org.socsecgateway.common.testing.LogCapture;
import org.socsecgateway.simulators.codelist.CodeListItem;
import org.socsecgateway.simulators.codelist.DfdgCodeListSimulator;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * Fetching: once a day (the simulator's call counter), an operator's refresh and its forced form, DFDG's changes kept
 * as history, and every fault and invalid list leaving the last good snapshot served, marked stale in the API and the
 * metrics, logged once with its ErrorCode.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatedDfdgCodeLists.class, restrictToAnnotatedClass = true)
class FetchTest {

    private static final String LIST = "client-categories";
    private static final String OPERATION = SimulatedDfdgCodeLists.LISTS.get(LIST);

    @SimulatedDfdgCodeLists.InjectDfdg
    DfdgCodeLists dfdg;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Inject
    FetchScheduler scheduler;

    @Inject
    CodeListStore store;

    private CodeListApi api;

    @BeforeEach
    void goodSnapshot() {
        api = new CodeListApi(dfdg, metrics);
        api.awaitAllFetched();
        DfdgCodeListSimulator sim = dfdg.codeLists();
        sim.faults().clear();
        sim.reset();
        // this test's list as DFDG normally serves it, whatever the test before did
        api.refresh(LIST, true).then().statusCode(200).body("outcome", equalTo("ACCEPTED"));
    }

    @Test
    void eachListIsFetchedOnceAtStartAndTheScheduleDoesNotFetchItAgainWithin24Hours() {
        for (String operation : SimulatedDfdgCodeLists.LISTS.values()) {
            if (!operation.equals(OPERATION)) {
                assertThat(dfdg.codeLists().calls(operation)).as(operation).isEqualTo(1);
            }
        }
        long before = dfdg.codeLists().totalCalls();
        scheduler.check();
        scheduler.check();
        assertThat(dfdg.codeLists().totalCalls()).isEqualTo(before);
    }

    @Test
    void aRefreshWithin24HoursIsRefusedUnlessForcedWithAReasonThatIsLogged() {
        long before = dfdg.codeLists().calls(OPERATION);
        api.refresh(LIST, false).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("one fetch of a list a day")).body("nextFetch", notNullValue());
        assertThat(dfdg.codeLists().calls(OPERATION)).isEqualTo(before);
        api.as(SimulatedDfdgCodeLists.OPERATOR).contentType("application/json").body("{\"force\":true}")
                .post("/v1/codelists/" + LIST + "/refresh").then().statusCode(400).contentType("application/problem+json");
        LogCapture log = new LogCapture();
        log.start();
        try {
            api.refresh(LIST, true).then().statusCode(200).body("outcome", equalTo("ACCEPTED"))
                    .body("list.stale", equalTo(false));
        } finally {
            log.stop();
        }
        assertThat(dfdg.codeLists().calls(OPERATION)).isEqualTo(before + 1);
        assertThat(log.lines()).anyMatch(l -> l.contains("Forced fetch") && l.contains(SimulatedDfdgCodeLists.OPERATOR)
                && l.contains("test: DFDG changed the list"));
    }

    @Test
    void aForcedFetchIsRefusedWithinTheForcedMinimumIntervalOfTheLastAttempt() {
        Instant now = Instant.now();
        // the list was just fetched (goodSnapshot): a forced claim with a 10-minute interval is refused, 0 is not
        assertThat(store.claim(LIST, "test", now, now.plusSeconds(60), Duration.ofMinutes(10))).isFalse();
        assertThat(store.claim(LIST, "test", now, now.plusSeconds(60), null)).as("unforced: within 24 h").isFalse();
        assertThat(store.claim(LIST, "test", now, now.plusMillis(300), Duration.ZERO)).isTrue();
        assertThat(store.claim(LIST, "other", now, now.plusSeconds(60), Duration.ZERO)).as("a live claim").isFalse();
        // the claim lapses (as a crashed instance's does) and the next test can refresh
        await().atMost(Duration.ofSeconds(10)).until(() -> store.claim(LIST, "test", Instant.now(), Instant.now(), Duration.ZERO));
    }

    @Test
    void aRefreshBodyIsReadStrictly() {
        for (String body : List.of("{\"force\":\"true\"}", "{\"force\":1}", "{\"forse\":true,\"reason\":\"x\"}",
                "{\"force\":true,\"reason\":12}", "[true]", "\"force\"", "{\"force\":true,\"reason\":\"x\"} {}")) {
            long before = dfdg.codeLists().calls(OPERATION);
            api.as(SimulatedDfdgCodeLists.OPERATOR).contentType("application/json").body(body)
                    .post("/v1/codelists/" + LIST + "/refresh").then().statusCode(400).contentType("application/problem+json");
            assertThat(dfdg.codeLists().calls(OPERATION)).as(body).isEqualTo(before);
        }
    }

    @Test
    void aReasonHoldingWhatCouldBeACprNumberIsRefusedBeforeAnyFetch() {
        for (String reason : List.of("citizen 0103851234 complained", "citizen 010385-1234", "see 010385 1234")) {
            long before = dfdg.codeLists().calls(OPERATION);
            api.as(SimulatedDfdgCodeLists.OPERATOR).contentType("application/json")
                    .body("{\"force\":true,\"reason\":\"" + reason + "\"}")
                    .post("/v1/codelists/" + LIST + "/refresh").then().statusCode(400).contentType("application/problem+json");
            assertThat(dfdg.codeLists().calls(OPERATION)).as(reason).isEqualTo(before);
        }
    }

    @Test
    void dfdgsChangesBecomeTheNewSnapshotAndTheHistory() {
        List<CodeListItem> items = dfdg.codeLists().items(OPERATION);
        CodeListItem renamed = items.get(0);
        CodeListItem expiring = items.stream().filter(i -> i.endInstant() == null || i.endInstant().isAfter(Instant.now().plusSeconds(86400)))
                .filter(i -> i.identifier() != renamed.identifier()).findFirst().orElseThrow();
        Instant since = Instant.now();
        dfdg.codeLists().renameCode(OPERATION, renamed.identifier(), "Renamed by DFDG");
        Instant end = Instant.now().minusSeconds(60);
        dfdg.codeLists().expireCode(OPERATION, expiring.identifier(), end);
        dfdg.codeLists().addCode(OPERATION, new CodeListItem(9901, "New category", "Added by DFDG",
                CodeListItem.withOffset(Instant.parse("2026-01-01T00:00:00Z")), CodeListItem.OPEN_END));

        api.refresh(LIST, true).then().statusCode(200).body("outcome", equalTo("ACCEPTED"));

        api.as(READER).get("/v1/codelists/" + LIST + "/" + renamed.identifier()).then().statusCode(200)
                .body("name", equalTo("Renamed by DFDG"));
        api.as(READER).get("/v1/codelists/" + LIST + "/9901").then().statusCode(200);
        List<Integer> valid = CodeListApi.identifiers(api.as(READER).get("/v1/codelists/" + LIST));
        assertThat(valid).contains(9901).doesNotContain(expiring.identifier());
        api.as(READER).get("/v1/codelists/" + LIST + "/" + expiring.identifier()).then().statusCode(200);

        Response changes = api.as(READER).queryParam("since", since.toString()).get("/v1/codelists/" + LIST + "/changes");
        List<Map<String, Object>> seen = changes.jsonPath().getList("changes");
        assertThat(seen).extracting(c -> c.get("identifier"), c -> c.get("kind")).containsExactlyInAnyOrder(
                tuple(renamed.identifier(), "CHANGED"),
                tuple(expiring.identifier(), "EXPIRED"),
                tuple(9901, "ADDED"));
        assertThat(changes.jsonPath().getString("changes.find { it.kind == 'CHANGED' }.before.name")).isEqualTo(renamed.name());
        assertThat(api.metric("codelist_changes_total", "list=\"" + LIST + "\"", "kind=\"expired\"")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void everyFaultKeepsTheLastGoodSnapshotMarksItStaleAndIsLoggedOnceWithItsErrorCode() {
        String goodTag = api.as(READER).get("/v1/codelists/" + LIST).header("ETag");
        List<Integer> good = CodeListApi.identifiers(api.as(READER).get("/v1/codelists/" + LIST));
        record Fault(String name, Runnable inject, int status, String outcome, String logged) {
        }
        DfdgCodeListSimulator sim = dfdg.codeLists();
        List<Fault> faults = List.of(
                new Fault("ErrorCode 1013", () -> sim.faults().faultDetails(OPERATION, 1013, "Insufficient permissions", 5),
                        502, "failed", "ErrorCode=1013"),
                new Fault("HTML 503", () -> sim.faults().serviceUnavailable(OPERATION, 5), 502, "failed", "status=503"),
                new Fault("empty answer", () -> sim.faults().emptyAnswers(OPERATION, 5), 502, "failed", "EMPTY_ANSWER"),
                new Fault("latency", () -> sim.faults().latency(OPERATION, Duration.ofSeconds(10), 5), 502, "failed", "TRANSPORT"),
                new Fault("empty list", () -> sim.serveEmptyList(OPERATION), 200, "refused", "the list is empty"),
                new Fault("Name of 101", () -> sim.serveInvalid(OPERATION, DfdgCodeListSimulator.Invalid.NAME_TOO_LONG), 200,
                        "refused", "Name longer than 100"),
                new Fault("End before Start", () -> sim.serveInvalid(OPERATION, DfdgCodeListSimulator.Invalid.END_BEFORE_START),
                        200, "refused", "EndDate before StartDate"),
                new Fault("duplicate", () -> sim.serveInvalid(OPERATION, DfdgCodeListSimulator.Invalid.DUPLICATE_IDENTIFIER),
                        200, "refused", "duplicate Identifier"),
                new Fault("empty Description", () -> sim.serveInvalid(OPERATION, DfdgCodeListSimulator.Invalid.DESCRIPTION_EMPTY),
                        200, "refused", "no Description"),
                new Fault("Description of 501", () -> sim.serveInvalid(OPERATION, DfdgCodeListSimulator.Invalid.DESCRIPTION_TOO_LONG),
                        200, "refused", "Description longer than 500"),
                new Fault("no StartDate", () -> sim.serveInvalid(OPERATION, DfdgCodeListSimulator.Invalid.MISSING_START_DATE),
                        200, "refused", "no StartDate"));
        for (Fault fault : faults) {
            sim.faults().clear();
            sim.reset();
            fault.inject().run();
            double before = api.metric("codelist_fetches_total", "list=\"" + LIST + "\"", "outcome=\"" + fault.outcome() + "\"");
            LogCapture log = new LogCapture();
            log.start();
            Response refresh;
            try {
                refresh = api.refresh(LIST, true);
            } finally {
                log.stop();
            }
            refresh.then().statusCode(fault.status());
            if (fault.status() == 502) {
                refresh.then().contentType("application/problem+json");
            } else {
                refresh.then().body("outcome", equalTo("REFUSED")).body("list.stale", equalTo(true));
            }
            List<String> warnings = log.lines().stream().filter(l -> l.contains(LIST)
                    && l.contains("marked stale")).toList();
            assertThat(warnings).as(fault.name()).hasSize(1).allMatch(l -> l.contains(fault.logged()));
            assertThat(log.errors()).as(fault.name()).isEmpty();

            Response list = api.as(READER).get("/v1/codelists/" + LIST);
            list.then().statusCode(200).body("stale", equalTo(true));
            assertThat(CodeListApi.identifiers(list)).as(fault.name()).isEqualTo(good);
            assertThat(list.header("ETag")).isNotEqualTo(goodTag);
            assertThat(api.summary(LIST).get("stale")).isEqualTo(true);
            assertThat(api.metric("codelist_stale", "list=\"" + LIST + "\"")).as(fault.name()).isEqualTo(1.0);
            assertThat(api.metric("codelist_stale_lists")).isGreaterThanOrEqualTo(1.0);
            assertThat(api.metric("codelist_fetches_total", "list=\"" + LIST + "\"", "outcome=\"" + fault.outcome() + "\""))
                    .as(fault.name()).isEqualTo(before + 1);
        }
        assertThat(api.metric("codelist_dfdg_faults_total", "list=\"" + LIST + "\"", "code=\"1013\"")).isGreaterThanOrEqualTo(1);
        assertThat(api.summary(LIST).get("staleReason").toString()).contains("StartDate");

        sim.faults().clear();
        sim.reset();
        api.refresh(LIST, true).then().statusCode(200).body("outcome", equalTo("ACCEPTED")).body("list.stale", equalTo(false));
        assertThat(api.metric("codelist_stale", "list=\"" + LIST + "\"")).isEqualTo(0.0);
        assertThat(api.as(READER).get("/v1/codelists/" + LIST).header("ETag")).isEqualTo(goodTag);
    }

    @Test
    void extraElementsInDfdgsItemsAreIgnored() {
        List<Integer> good = CodeListApi.identifiers(api.as(READER).get("/v1/codelists/" + LIST));
        dfdg.codeLists().extraElements(true);
        try {
            api.refresh(LIST, true).then().statusCode(200).body("outcome", equalTo("ACCEPTED"));
        } finally {
            dfdg.codeLists().extraElements(false);
        }
        assertThat(CodeListApi.identifiers(api.as(READER).get("/v1/codelists/" + LIST))).isEqualTo(good);
    }

    @Test
    void listsAreServedWhilePostgresqlIsDownAndWhatNeedsItIs503() {
        Response before = api.as(READER).get("/v1/codelists/" + LIST);
        int code = CodeListApi.identifiers(before).get(0);
        dfdg.postgres().stop();
        LogCapture log = new LogCapture();
        log.start();
        try {
            api.as(READER).get("/v1/codelists/" + LIST).then().statusCode(200).header("ETag", before.header("ETag"));
            api.as(READER).get("/v1/codelists/" + LIST + "/" + code).then().statusCode(200);
            api.as(READER).get("/v1/codelists").then().statusCode(200);
            api.as(READER).get("/v1/codelists/" + LIST + "/changes").then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", notNullValue());
            api.refresh(LIST, true).then().statusCode(503).contentType("application/problem+json");
            scheduler.check();
            given().get(ready).then().statusCode(200);
        } finally {
            log.stop();
            dfdg.postgres().restart();
        }
        assertThat(log.errors()).isEmpty();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> api.refresh(LIST, true).statusCode() == 200);
    }

    /** A request no HTTP client library would send (a malformed percent escape), on its own connection. */
    private static String rawGet(String target) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theMetricsShowAgeItemsAndNoCodeOrNameInALabel() throws Exception {
        assertThat(api.metric("codelist_items", "list=\"municipalities\"")).isGreaterThan(300);
        assertThat(api.metric("codelist_snapshot_age_seconds", "list=\"jobcentres\"")).isBetween(0.0, 3600.0);
        api.as(READER).get("/v1/codelists/municipalities/101").then().statusCode(200);
        // what a caller puts in a path never becomes a label: not for a 405, a 400 before routing, or any other path
        given().delete("/v1/codelists/0101850000-cpr-1").then().statusCode(greaterThanOrEqualTo(400));
        assertThat(rawGet("/v1/codelists/%ZZsecret1")).startsWith("HTTP/1.1 400");
        given().put("/v1/codelists/x/eyJhbGciOiJ1").then().statusCode(greaterThanOrEqualTo(400));
        given().get("/somewhere/else/0101850000").then().statusCode(greaterThanOrEqualTo(400));
        String text = api.metrics();
        assertThat(text).contains("uri=\"/v1/codelists/{name}/{code}\"").doesNotContain("/municipalities/101")
                .doesNotContain("0101850000").doesNotContain("secret1").doesNotContain("eyJhbGciOiJ1");
    }
}
