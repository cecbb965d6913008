package org.socsecgateway.codelist;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.socsecgateway.codelist.SimulatedDfdgCodeLists.READER;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.codelist.service.DanishTime;
import org.socsecgateway.common.auth.VerifiedTokenCache;
import org.socsecgateway.common.testing.ExportedMetrics;
import org.socsecgateway.common.testing.OpenApiDocuments;
import org.socsecgateway.simulators.codelist.CodeListItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.jwt.auth.principal.JWTParser;

/**
 * The read API against lists fetched from the simulated DFDG at start: what each answer holds, validity (start
 * inclusive, end exclusive, bare dates in Danish time), expired codes still readable, ETag/304, Cache-Control,
 * problem+json for every refusal, and who may call.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatedDfdgCodeLists.class, restrictToAnnotatedClass = true)
class CodeListApiTest {

    private static final String MUNICIPALITIES = "municipalities";
    private static final String OPERATION = SimulatedDfdgCodeLists.LISTS.get(MUNICIPALITIES);

    @SimulatedDfdgCodeLists.InjectDfdg
    DfdgCodeLists dfdg;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @Inject
    JWTParser parser;

    private CodeListApi api;

    @BeforeEach
    void fetched() {
        api = new CodeListApi(dfdg, metrics);
        api.awaitAllFetched();
    }

    @Test
    void everyListIsSummarisedWithItsCountFetchTimeAndNextFetch() {
        List<Map<String, Object>> lists = api.summaries().getList("lists");
        assertThat(lists).extracting(l -> l.get("name")).containsExactlyElementsOf(
                SimulatedDfdgCodeLists.LISTS.keySet().stream().sorted().toList());
        for (Map<String, Object> list : lists) {
            String operation = SimulatedDfdgCodeLists.LISTS.get((String) list.get("name"));
            assertThat(list.get("operation")).isEqualTo(operation);
            assertThat(list.get("items")).isEqualTo(dfdg.codeLists().items(operation).size());
            assertThat(list.get("stale")).isEqualTo(false);
            Instant fetched = DanishTime.parseDateTime((String) list.get("fetchedAt"));
            Instant next = DanishTime.parseDateTime((String) list.get("nextFetch"));
            assertThat(next).isAfter(fetched.plusSeconds(24 * 3600 - 1));
        }
        assertThat(dfdg.codeLists().items(OPERATION)).as("the largest list has a few hundred codes").hasSizeGreaterThan(300);
    }

    @Test
    void aListAnswersTheCodesValidNowByDefault() {
        Instant now = Instant.now();
        List<Integer> expected = dfdg.codeLists().items(OPERATION).stream().filter(i -> validAt(i, now))
                .map(CodeListItem::identifier).sorted().toList();
        Response list = api.as(READER).get("/v1/codelists/" + MUNICIPALITIES);
        list.then().statusCode(200).contentType("application/json").body("name", equalTo(MUNICIPALITIES))
                .body("stale", equalTo(false));
        assertThat(CodeListApi.identifiers(list)).isEqualTo(expected).isNotEmpty()
                .hasSizeLessThan(dfdg.codeLists().items(OPERATION).size());
    }

    @Test
    void validAtTakesABareDateAsThatDayInCopenhagenAndIncludeExpiredAddsTheEndedCodes() {
        for (String validAt : List.of("2006-12-31", "2007-01-01", "2026-07-01", "2026-03-29T02:30:00+01:00",
                "2026-10-25T02:30:00", "2030-01-01T00:00:00Z")) {
            Instant at = DanishTime.parseDateOrDateTime(validAt);
            List<CodeListItem> all = dfdg.codeLists().items(OPERATION);
            List<Integer> valid = all.stream().filter(i -> validAt(i, at)).map(CodeListItem::identifier).sorted().toList();
            List<Integer> started = all.stream().filter(i -> !at.isBefore(i.startInstant()))
                    .map(CodeListItem::identifier).sorted().toList();
            assertThat(CodeListApi.identifiers(api.as(READER).queryParam("validAt", validAt)
                    .get("/v1/codelists/" + MUNICIPALITIES))).as(validAt).isEqualTo(valid);
            assertThat(CodeListApi.identifiers(api.as(READER).queryParam("validAt", validAt).queryParam("includeExpired", "true")
                    .get("/v1/codelists/" + MUNICIPALITIES))).as(validAt + " with expired").isEqualTo(started);
        }
    }

    @Test
    void aCodeIsServedWithItsValidityAlsoWhenExpired() {
        Instant now = Instant.now();
        CodeListItem expired = dfdg.codeLists().items(OPERATION).stream()
                .filter(i -> i.endInstant() != null && !now.isBefore(i.endInstant())).findFirst().orElseThrow();
        api.as(READER).get("/v1/codelists/" + MUNICIPALITIES + "/" + expired.identifier()).then().statusCode(200)
                .body("identifier", equalTo(expired.identifier()))
                .body("name", equalTo(expired.name()))
                .body("startDate", equalTo(DanishTime.format(expired.startInstant())))
                .body("endDate", equalTo(DanishTime.format(expired.endInstant())));
    }

    @Test
    void entityTagsGiveNotModifiedAndCacheControlLastsUntilTheAnswerCanChange() {
        for (String path : List.of("/v1/codelists/" + MUNICIPALITIES, "/v1/codelists/" + MUNICIPALITIES + "/101")) {
            Response first = api.as(READER).get(path);
            first.then().statusCode(200).header("Cache-Control", matchesPattern("private, max-age=\\d+"));
            String etag = first.header("ETag");
            long maxAge = Long.parseLong(first.header("Cache-Control").replaceAll(".*max-age=", ""));
            assertThat(maxAge).as(path).isBetween(1L, 86_400L);
            assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
            api.as(READER).header("If-None-Match", etag).get(path).then().statusCode(304).header("ETag", etag)
                    .body(equalTo(""));
            api.as(READER).header("If-None-Match", "W/" + etag).get(path).then().statusCode(304);
            api.as(READER).header("If-None-Match", "\"something-else\"").get(path).then().statusCode(200)
                    .header("ETag", etag);
        }
        String now = api.as(READER).get("/v1/codelists/" + MUNICIPALITIES).header("ETag");
        String before2007 = api.as(READER).queryParam("validAt", "2006-06-01").get("/v1/codelists/" + MUNICIPALITIES)
                .header("ETag");
        assertThat(before2007).isNotEqualTo(now);
    }

    @Test
    void unknownListsAndCodesAre404AndBadParameters400AsProblemJson() {
        for (String path : List.of("/v1/codelists/no-such-list", "/v1/codelists/no-such-list/1",
                "/v1/codelists/no-such-list/changes", "/v1/codelists/" + MUNICIPALITIES + "/999999",
                "/v1/codelists/" + MUNICIPALITIES + "/abc", "/v1/codelists/" + MUNICIPALITIES + "/99999999999999")) {
            api.as(READER).get(path).then().statusCode(404).contentType("application/problem+json")
                    .body("status", equalTo(404));
        }
        for (String validAt : List.of("tomorrow", "2026-13-01", "2026-02-30", "29-11-2026", "2026-11-29T25:00:00",
                "2026-11-29T10:00:00+25:00", "+999999999-01-01", "2026-11-29 10:00")) {
            Response r = api.as(READER).queryParam("validAt", validAt).get("/v1/codelists/" + MUNICIPALITIES);
            r.then().statusCode(400).contentType("application/problem+json").body("detail", containsString("validAt"));
        }
        // an empty validAt is no validAt: now
        assertThat(CodeListApi.identifiers(api.as(READER).queryParam("validAt", "").get("/v1/codelists/" + MUNICIPALITIES)))
                .isEqualTo(CodeListApi.identifiers(api.as(READER).get("/v1/codelists/" + MUNICIPALITIES)));
        api.as(READER).queryParam("includeExpired", "yes").get("/v1/codelists/" + MUNICIPALITIES).then().statusCode(400)
                .contentType("application/problem+json");
        api.as(READER).queryParam("since", "last week").get("/v1/codelists/" + MUNICIPALITIES + "/changes").then()
                .statusCode(400).contentType("application/problem+json");
        api.as(READER).queryParam("limit", "0").get("/v1/codelists/" + MUNICIPALITIES + "/changes").then()
                .statusCode(400).contentType("application/problem+json");
        // instants PostgreSQL cannot hold are a bad request, not a 500 or a "database unavailable"
        for (String since : List.of("-999999999-01-01T00:00:00", "+999999999-12-31T23:59:59", "0000-12-31", "10000-01-01T00:00:00Z")) {
            api.as(READER).queryParam("since", since).get("/v1/codelists/" + MUNICIPALITIES + "/changes").then()
                    .statusCode(400).contentType("application/problem+json");
            api.as(READER).queryParam("validAt", since).get("/v1/codelists/" + MUNICIPALITIES).then()
                    .statusCode(400).contentType("application/problem+json");
        }
        api.as(READER).queryParam("after", "-1").get("/v1/codelists/" + MUNICIPALITIES + "/changes").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void callersWithoutATokenOrNotAllowedAreRefused() {
        given().get("/v1/codelists/" + MUNICIPALITIES).then().statusCode(401);
        given().auth().oauth2("not-a-jwt").get("/v1/codelists/" + MUNICIPALITIES + "/101").then().statusCode(401);
        given().auth().oauth2(dfdg.issuer().mint(READER, "wsb-receiver", Duration.ofMinutes(5)))
                .get("/v1/codelists").then().statusCode(401);
        api.as(SimulatedDfdgCodeLists.STRANGER).get("/v1/codelists/" + MUNICIPALITIES).then().statusCode(403)
                .contentType("application/problem+json");
        api.as(READER).contentType("application/json").body("{\"force\":true,\"reason\":\"x\"}")
                .post("/v1/codelists/" + MUNICIPALITIES + "/refresh").then().statusCode(403)
                .contentType("application/problem+json");
        api.as(SimulatedDfdgCodeLists.OPERATOR).get("/v1/codelists/" + MUNICIPALITIES).then().statusCode(200);
    }

    @Test
    void aCallersTokenIsVerifiedOnceAndRememberedUntilItExpires() {
        assertThat(parser).isInstanceOf(VerifiedTokenCache.class);
        long before = ((VerifiedTokenCache) parser).size();
        String token = dfdg.token(READER);
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).get("/v1/codelists/" + MUNICIPALITIES + "/101").then().statusCode(200);
        }
        assertThat(((VerifiedTokenCache) parser).size()).isEqualTo(before + 1);
        // an expired token is refused, also when its text was accepted before it expired (VerifiedTokenCacheTest)
        given().auth().oauth2(dfdg.issuer().mint(READER, SimulatedDfdgCodeLists.AUDIENCE, Duration.ofSeconds(-120)))
                .get("/v1/codelists/" + MUNICIPALITIES + "/101").then().statusCode(401);
    }

    @Test
    void readinessShowsEveryListAndTheKeyMaterialAndTheOpenApiDescribesTheApi() {
        given().get(ready).then().statusCode(200)
                .body("checks.find { it.name == 'codelist-snapshots' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'codelist-snapshots' }.data.municipalities", containsString("codes fetched"))
                .body("checks.find { it.name == 'dfdg-key-material' }.status", equalTo("UP"));
        assertThat(api.metric("dfdg_client_certificate_days_left")).isGreaterThan(1);
        String openApi = given().queryParam("format", "json").get(openapi).then().statusCode(200).extract().asString();
        assertThat(openApi).contains("/v1/codelists/{name}/{code}", "/v1/codelists/{name}/changes",
                "/v1/codelists/{name}/refresh", "validAt", "includeExpired");
    }

    /** The document served on the management port is the one committed in docs/openapi (common's OpenApiDocuments). */
    @Test
    void theServedOpenApiDocumentIsTheCommittedOne() {
        String served = given().get(openapi).then().statusCode(200).extract().asString();

        OpenApiDocuments.assertCommitted("codelist-service", "CodeListApiTest#theServedOpenApiDocumentIsTheCommittedOne",
                served);
    }

    @Test
    void theChangesOfTheFirstFetchAreEveryCodeAdded() {
        Response changes = api.as(READER).queryParam("since", "2000-01-01").get("/v1/codelists/" + MUNICIPALITIES + "/changes");
        changes.then().statusCode(200).body("name", equalTo(MUNICIPALITIES));
        assertThat(changes.jsonPath().getList("changes.kind", String.class)).containsOnly("ADDED")
                .hasSize(dfdg.codeLists().items(OPERATION).size());
        api.as(READER).queryParam("since", "2999-01-01").get("/v1/codelists/" + MUNICIPALITIES + "/changes").then()
                .statusCode(200).body("changes.size()", equalTo(0)).body("nextAfter", nullValue());
        // pages of 100, one fetch's changes all at one instant: every change once, through nextAfter
        Set<Integer> seen = new HashSet<>();
        String after = "";
        for (int page = 0; page < 10 && after != null; page++) {
            Response r = api.as(READER).queryParam("limit", "100").queryParam("after", after)
                    .get("/v1/codelists/" + MUNICIPALITIES + "/changes");
            r.then().statusCode(200);
            seen.addAll(r.jsonPath().getList("changes.identifier", Integer.class));
            Object next = r.jsonPath().get("nextAfter");
            after = next == null ? null : next.toString();
        }
        assertThat(seen).hasSize(dfdg.codeLists().items(OPERATION).size());
    }

    private static boolean validAt(CodeListItem item, Instant at) {
        return !at.isBefore(item.startInstant()) && (item.endInstant() == null || at.isBefore(item.endInstant()));
    }

    /** Every metric the chart's alerts and dashboard use is exported (after the start-up fetch and an API call). */
    @Test
    void everyMetricTheChartUsesIsExported() throws Exception {
        api.summaries();

        ExportedMetrics.assertAllExported("codelist-service", api.metrics());
    }
}
