package org.socsecgateway.codelist;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.QuarkusJarProcess;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.Response;

/**
 * The packaged service, and more instances of it started from the same jar: "once a day" holds across replicas and
 * restarts (the simulator's call counter), and a restarted instance serves from PostgreSQL without calling DFDG.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = SimulatedDfdgCodeLists.class, restrictToAnnotatedClass = true)
class CodeListServiceIT {

    private static final Path JAR = QuarkusJarProcess.jar("codelist-service.jar", "target/quarkus-app/quarkus-run.jar");

    @SimulatedDfdgCodeLists.InjectDfdg
    DfdgCodeLists dfdg;

    @Test
    void replicasAndRestartsNeverFetchAListTwiceADayAndServeFromPostgresql() throws Exception {
        String token = dfdg.token(SimulatedDfdgCodeLists.READER);
        // the packaged jar under test fetched every list once at start
        await().atMost(Duration.ofSeconds(90)).until(() -> SimulatedDfdgCodeLists.LISTS.values().stream()
                .allMatch(op -> dfdg.codeLists().calls(op) >= 1)
                && given().auth().oauth2(token).get("/v1/codelists/municipalities").statusCode() == 200);
        assertThat(callsPerOperation()).allSatisfy((op, calls) -> assertThat(calls).as(op).isEqualTo(1L));
        Response served = given().auth().oauth2(token).get("/v1/codelists/municipalities");
        served.then().statusCode(200);

        // a second replica on the same database (what a restarted instance also meets): ready from PostgreSQL, no DFDG
        // call, the same answer; a code too
        try (QuarkusJarProcess second = start("second", dfdg.config())) {
            assertThat(callsPerOperation()).allSatisfy((op, calls) -> assertThat(calls).as(op).isEqualTo(1L));
            Response fromSecond = given().auth().oauth2(token).get(second.url() + "/v1/codelists/municipalities");
            assertThat(fromSecond.statusCode()).isEqualTo(200);
            assertThat(fromSecond.header("ETag")).isEqualTo(served.header("ETag"));
            given().auth().oauth2(token).get(second.url() + "/v1/codelists/municipalities/101").then().statusCode(200);
        }
        // two replicas starting together on an empty database: one fetch of each list between them
        Map<String, String> fresh = new HashMap<>(dfdg.config());
        fresh.put("quarkus.datasource.jdbc.url", dfdg.postgres().jdbcUrl("codelists_pair"));
        dfdg.codeLists().resetCounts();
        CompletableFuture<QuarkusJarProcess> a = CompletableFuture.supplyAsync(() -> start("pair-a", fresh));
        CompletableFuture<QuarkusJarProcess> b = CompletableFuture.supplyAsync(() -> start("pair-b", fresh));
        try {
            CompletableFuture.allOf(a, b).join();
            // both are ready: every list has a snapshot in each (one fetched it, the other reloaded it)
            assertThat(callsPerOperation()).allSatisfy((op, calls) -> assertThat(calls).as(op).isEqualTo(1L));
            for (QuarkusJarProcess replica : List.of(a.join(), b.join())) {
                given().auth().oauth2(token).get(replica.url() + "/v1/codelists/jobcentres").then().statusCode(200);
            }
        } finally {
            // whichever started is stopped, also when the other did not
            for (CompletableFuture<QuarkusJarProcess> replica : List.of(a, b)) {
                replica.thenAccept(QuarkusJarProcess::close);
            }
        }
    }

    private Map<String, Long> callsPerOperation() {
        return SimulatedDfdgCodeLists.LISTS.values().stream()
                .collect(Collectors.toMap(op -> op, op -> dfdg.codeLists().calls(op)));
    }

    private QuarkusJarProcess start(String name, Map<String, String> config) {
        return QuarkusJarProcess.start(name, JAR, config, dfdg.dir().resolve(name + ".log"));
    }
}
