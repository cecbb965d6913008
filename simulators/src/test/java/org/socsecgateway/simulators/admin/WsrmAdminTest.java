package org.socsecgateway.simulators.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.TestHttp;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.oauth.BcssOAuthSimulator;
import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.simulators.soap.SoapFaults;
import org.socsecgateway.simulators.wsrm.DfdgWsrmSimulator;
import org.socsecgateway.simulators.wsrm.MessageService;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /admin/wsrm/*}: the fake DFDG WSRM service's queue, loads, faults and statistics over plain HTTP. */
class WsrmAdminTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static BcssOAuthSimulator oauth;
    static CallerTokenIssuer callers;
    static DfdgWsrmSimulator wsrm;
    static AdminServer admin;
    static final HttpClient http = TestHttp.plain();

    @BeforeAll
    static void start() {
        LocalPki pki = LocalPki.create(Path.of("target", "wsrm-test-pki"));
        oauth = BcssOAuthSimulator.builder().tls(pki.serverCert(), pki.serverKey()).build().start();
        callers = CallerTokenIssuer.builder().tls(pki.serverCert(), pki.serverKey()).build().start();
        wsrm = DfdgWsrmSimulator.builder().tls(pki.serverCert(), pki.serverKey())
                .requireClientCertificate(pki.focesClientCert()).build().start();
        admin = new AdminServer(oauth, callers, null, null, wsrm, 0).start();
    }

    @AfterAll
    static void stop() {
        admin.close();
        wsrm.close();
        callers.close();
        oauth.close();
    }

    @BeforeEach
    void reset() {
        wsrm.queue().clear();
        wsrm.faults().clear();
    }

    @Test
    void loadsMessagesAndShowsTheQueue() throws Exception {
        HttpResponse<String> load = send("POST", "/admin/wsrm/load",
                "{\"subscriber\":\"8:123\",\"count\":40,\"services\":[\"GetIndkaldelseVersion1\",\"CONTACT_GROUP\"],"
                        + "\"citizens\":5,\"seed\":3}");

        assertThat(load.statusCode()).isEqualTo(200);
        JsonNode loaded = JSON.readTree(load.body());
        assertThat(loaded.get("enqueued").asInt()).isEqualTo(40);
        assertThat(loaded.get("queued").asInt()).isEqualTo(40);
        JsonNode state = JSON.readTree(send("GET", "/admin/wsrm", null).body());
        JsonNode queued = state.get("queued").get("8:123");
        assertThat(queued.get("GetIndkaldelseVersion1").asInt() + queued.get("GetContactGroupVersion4").asInt()).isEqualTo(40);
        assertThat(state.get("inFlight")).isEmpty();
        assertThat(state.get("deleted").asInt()).isZero();
        assertThat(state.get("wsrmServiceUrl").asText()).isEqualTo(wsrm.wsrmServiceUrl());
        assertThat(wsrm.queue().queued(MessageService.INTERVIEW_DEADLINE)).isZero();
    }

    @Test
    void refusesBadLoads() throws Exception {
        assertThat(send("POST", "/admin/wsrm/load", "{\"count\":1}").statusCode()).isEqualTo(400);
        // the JSON literal null is answered too (it was left without an answer), on every admin body
        assertThat(send("POST", "/admin/wsrm/load", "null").statusCode()).isEqualTo(400);
        assertThat(send("PUT", "/admin/wsrm/faults", "null").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/admin/wsrm/load", "{\"subscriber\":\"8\"}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/admin/wsrm/load", "{\"subscriber\":\"8:1\",\"services\":[\"GetNothing\"]}").statusCode())
                .isEqualTo(400);
        assertThat(send("POST", "/admin/wsrm/load", "{\"subscriber\":\"8:1\",\"count\":-1}").statusCode()).isEqualTo(400);
        assertThat(wsrm.queue().queued()).isZero();
    }

    @Test
    void replacesReadsAndClearsFaults() throws Exception {
        HttpResponse<String> put = send("PUT", "/admin/wsrm/faults", "{\"rules\":["
                + "{\"kind\":\"FAULT_DETAILS\",\"operation\":\"CreateSequence\",\"errorCode\":1013,\"message\":\"no\",\"count\":2},"
                + "{\"kind\":\"LATENCY\",\"latencyMs\":250,\"count\":-1},"
                + "{\"kind\":\"DROP_ANSWER\",\"operation\":\"TerminateSequence\",\"skip\":1}]}");

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(wsrm.faults().rules()).extracting(SoapFaults.Rule::kind).containsExactly(
                SoapFaults.Kind.FAULT_DETAILS, SoapFaults.Kind.LATENCY, SoapFaults.Kind.DROP_ANSWER);
        assertThat(wsrm.faults().rules().get(0).errorCode()).isEqualTo(1013);
        assertThat(wsrm.faults().rules().get(2).skip()).isEqualTo(1);
        JsonNode read = JSON.readTree(send("GET", "/admin/wsrm/faults", null).body());
        assertThat(read.get("rules").get(1).get("latencyMs").asLong()).isEqualTo(250);
        assertThat(send("PUT", "/admin/wsrm/faults", "{\"rules\":[{\"kind\":\"NOPE\"}]}").statusCode()).isEqualTo(400);
        assertThat(send("PUT", "/admin/wsrm/faults", "{\"rules\":[{\"kind\":\"FAULT_DETAILS\"}]}").statusCode()).isEqualTo(400);
        assertThat(wsrm.faults().rules()).hasSize(3); // a refused update changes nothing
        assertThat(JSON.readTree(send("DELETE", "/admin/wsrm/faults", null).body()).get("rules")).isEmpty();
        assertThat(wsrm.faults().rules()).isEmpty();
    }

    @Test
    void readsAndResetsStats() throws Exception {
        JsonNode stats = JSON.readTree(send("DELETE", "/admin/wsrm/stats", null).body());

        assertThat(stats.get("requests").asLong()).isZero();
        assertThat(stats.get("recent")).isEmpty();
    }

    private static HttpResponse<String> send(String method, String path, String json) throws Exception {
        return TestHttp.send(http, admin.url() + path, method, json == null ? null : "application/json", json);
    }
}
