package org.socsecgateway.simulators.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.TestHttp;
import org.socsecgateway.simulators.codelist.CodeListItem;
import org.socsecgateway.simulators.codelist.DfdgCodeListSimulator;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.oauth.BcssOAuthSimulator;
import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.simulators.soap.SoapFaults;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.simulators.codelist.DfdgCodeListSimulator.CLIENT_CATEGORIES;
import static org.socsecgateway.simulators.codelist.DfdgCodeListSimulator.JOBCENTRES;
import static org.socsecgateway.simulators.codelist.DfdgCodeListSimulator.MUNICIPALITIES;

/** {@code /admin/codelists/*}: the fake DFDG CodeListService's lists, switches and faults over plain HTTP. */
class CodeListAdminTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static BcssOAuthSimulator oauth;
    static CallerTokenIssuer callers;
    static DfdgCodeListSimulator codeLists;
    static AdminServer admin;
    static final HttpClient http = TestHttp.plain();

    @BeforeAll
    static void start() {
        LocalPki pki = LocalPki.create(Path.of("target", "wsrm-test-pki"));
        oauth = BcssOAuthSimulator.builder().tls(pki.serverCert(), pki.serverKey()).build().start();
        callers = CallerTokenIssuer.builder().tls(pki.serverCert(), pki.serverKey()).build().start();
        codeLists = DfdgCodeListSimulator.builder().tls(pki.serverCert(), pki.serverKey())
                .requireClientCertificate(pki.focesClientCert()).build().start();
        admin = new AdminServer(oauth, callers, null, null, null, codeLists, 0).start();
    }

    @AfterAll
    static void stop() {
        admin.close();
        codeLists.close();
        callers.close();
        oauth.close();
    }

    @BeforeEach
    void reset() {
        codeLists.reset();
        codeLists.faults().clear();
    }

    @Test
    void listsEveryOperationWithItsCountsAndOneListWithItsItems() throws Exception {
        JsonNode overview = JSON.readTree(send("GET", "/admin/codelists", null).body());

        assertThat(overview.get("codeListServiceUrl").asText()).isEqualTo(codeLists.codeListServiceUrl());
        assertThat(overview.get("lists")).hasSize(6);
        JsonNode municipalities = overview.get("lists").get(4);
        assertThat(municipalities.get("operation").asText()).isEqualTo(MUNICIPALITIES);
        assertThat(municipalities.get("items").asInt()).isEqualTo(codeLists.items(MUNICIPALITIES).size());
        assertThat(municipalities.get("current").asInt()).isEqualTo(98);
        assertThat(municipalities.get("calls").asLong()).isZero();
        assertThat(municipalities.get("serving").asText()).isEqualTo("NORMAL");

        HttpResponse<String> one = send("GET", "/admin/codelists/" + JOBCENTRES, null);
        assertThat(one.statusCode()).isEqualTo(200);
        JsonNode list = JSON.readTree(one.body()).get("list");
        assertThat(list).hasSize(codeLists.items(JOBCENTRES).size());
        assertThat(list.get(0).get("identifier").asInt()).isEqualTo(101);
        assertThat(list.get(0).get("startDate").asText()).isEqualTo("2009-08-01T00:00:00");
        assertThat(send("GET", "/admin/codelists/GetNothingCodeList", null).statusCode()).isEqualTo(404);
    }

    @Test
    void appliesChangesAllOrNothing() throws Exception {
        HttpResponse<String> changed = send("POST", "/admin/codelists/" + CLIENT_CATEGORIES + "/changes", "{"
                + "\"add\":[{\"identifier\":20,\"name\":\"Ny\",\"description\":\"Ny målgruppe\","
                + "\"startDate\":\"2025-03-01T00:00:00\",\"endDate\":\"9999-12-31T23:59:59\"}],"
                + "\"rename\":[{\"identifier\":1,\"name\":\"Forsikret ledig\"}],"
                + "\"expire\":[{\"identifier\":2,\"endDate\":\"2025-04-01T00:00:00\"}],"
                + "\"remove\":[3]}");

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        List<CodeListItem> items = codeLists.items(CLIENT_CATEGORIES);
        assertThat(items).anyMatch(i -> i.identifier() == 20).noneMatch(i -> i.identifier() == 3);
        assertThat(items).filteredOn(i -> i.identifier() == 1).singleElement()
                .satisfies(i -> assertThat(i.name()).isEqualTo("Forsikret ledig"));
        assertThat(items).filteredOn(i -> i.identifier() == 2).singleElement()
                .satisfies(i -> assertThat(i.endInstant()).isEqualTo(Instant.parse("2025-03-31T22:00:00Z")));

        // a batch with one bad entry changes nothing
        HttpResponse<String> refused = send("POST", "/admin/codelists/" + CLIENT_CATEGORIES + "/changes",
                "{\"rename\":[{\"identifier\":4,\"name\":\"Anden\"}],\"remove\":[4711]}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(codeLists.items(CLIENT_CATEGORIES)).isEqualTo(items);
        assertThat(send("POST", "/admin/codelists/" + CLIENT_CATEGORIES + "/changes",
                "{\"expire\":[{\"identifier\":4,\"endDate\":\"tomorrow\"}]}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/admin/codelists/" + CLIENT_CATEGORIES + "/changes",
                "{\"add\":[{\"identifier\":21,\"name\":\"x\"}]}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/admin/codelists/GetNothingCodeList/changes", "{}").statusCode()).isEqualTo(404);
        assertThat(codeLists.items(CLIENT_CATEGORIES)).isEqualTo(items);
    }

    @Test
    void switchesToBrokenAndEmptyListsAndBack() throws Exception {
        assertThat(send("POST", "/admin/codelists/" + JOBCENTRES + "/invalid", "{\"kind\":\"NAME_TOO_LONG\"}")
                .statusCode()).isEqualTo(200);
        assertThat(codeLists.items(JOBCENTRES).get(0).name()).hasSize(101);
        assertThat(send("POST", "/admin/codelists/" + MUNICIPALITIES + "/empty", null).statusCode()).isEqualTo(200);
        assertThat(codeLists.items(MUNICIPALITIES)).isEmpty();
        assertThat(send("POST", "/admin/codelists/extra-elements", "{\"enabled\":true}").statusCode()).isEqualTo(200);
        assertThat(codeLists.extraElements()).isTrue();

        assertThat(send("POST", "/admin/codelists/" + MUNICIPALITIES + "/restore", null).statusCode()).isEqualTo(200);
        assertThat(codeLists.items(MUNICIPALITIES)).hasSizeGreaterThan(300);
        JsonNode reset = JSON.readTree(send("POST", "/admin/codelists/reset", null).body());

        assertThat(reset.get("extraElements").asBoolean()).isFalse();
        assertThat(reset.get("lists")).allSatisfy(l -> assertThat(l.get("serving").asText()).isEqualTo("NORMAL"));
        assertThat(codeLists.items(JOBCENTRES).get(0).name()).isEqualTo("Jobcenter København");
    }

    @Test
    void refusesBadBodies() throws Exception {
        String invalid = "/admin/codelists/" + JOBCENTRES + "/invalid";
        assertThat(send("POST", invalid, "{\"kind\":\"NOPE\"}").statusCode()).isEqualTo(400);
        assertThat(send("POST", invalid, "{}").statusCode()).isEqualTo(400);
        assertThat(send("POST", invalid, "null").statusCode()).isEqualTo(400);
        assertThat(send("POST", invalid, "{\"kind\":").statusCode()).isEqualTo(400);
        assertThat(send("POST", invalid, null).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/admin/codelists/" + JOBCENTRES + "/changes", "[1]").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/admin/codelists/extra-elements", "{}").statusCode()).isEqualTo(400);
        assertThat(codeLists.serving(JOBCENTRES)).isEqualTo("NORMAL");
    }

    @Test
    void replacesReadsAndClearsFaultsLikeTheWsrmAdmin() throws Exception {
        HttpResponse<String> put = send("PUT", "/admin/codelists/faults", "{\"rules\":["
                + "{\"kind\":\"FAULT_DETAILS\",\"operation\":\"" + MUNICIPALITIES + "\",\"errorCode\":1013,\"count\":2},"
                + "{\"kind\":\"SERVICE_UNAVAILABLE\",\"count\":-1},"
                + "{\"kind\":\"LATENCY\",\"latencyMs\":250}]}");

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(codeLists.faults().rules()).extracting(SoapFaults.Rule::kind).containsExactly(
                SoapFaults.Kind.FAULT_DETAILS, SoapFaults.Kind.SERVICE_UNAVAILABLE, SoapFaults.Kind.LATENCY);
        assertThat(JSON.readTree(send("GET", "/admin/codelists/faults", null).body()).get("rules").get(2)
                .get("latencyMs").asLong()).isEqualTo(250);
        assertThat(send("PUT", "/admin/codelists/faults", "{\"rules\":[{\"kind\":\"LATENCY\"}]}").statusCode())
                .isEqualTo(400);
        assertThat(codeLists.faults().rules()).hasSize(3);
        assertThat(JSON.readTree(send("DELETE", "/admin/codelists/faults", null).body()).get("rules")).isEmpty();
        assertThat(codeLists.faults().rules()).isEmpty();
    }

    private static HttpResponse<String> send(String method, String path, String json) throws Exception {
        return TestHttp.send(http, admin.url() + path, method, json == null ? null : "application/json", json);
    }
}
