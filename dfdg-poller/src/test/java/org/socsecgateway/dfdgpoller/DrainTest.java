package org.socsecgateway.dfdgpoller;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.ExportedMetrics;
import org.socsecgateway.common.testing.LogCapture;
import org.socsecgateway.dfdgpoller.service.DrainReport;
import org.socsecgateway.dfdgpoller.service.Drainer;
import org.socsecgateway.dfdgpoller.service.SequenceOutcome;
import org.socsecgateway.simulators.soap.SoapExchange;
import org.socsecgateway.simulators.wsrm.MessageService;
import org.socsecgateway.simulators.wsrm.QueuedMessage;

/**
 * A real drain: the simulated DFDG queue over mutual TLS into the real wsb-receiver, and what each side then holds;
 * and what an operator sees: readiness with the key material, the metrics of a drain, a renewed certificate in use.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatedDfdg.class, restrictToAnnotatedClass = true)
class DrainTest {

    @SimulatedDfdg.InjectDfdg
    Dfdg dfdg;

    @Inject
    Drainer drainer;

    @Test
    void everyQueuedMessageEndsUpInTheFeedOnceOldestFirstAndDfdgDeletesThem() {
        List<QueuedMessage> queued = new ArrayList<>();
        queued.addAll(dfdg.wsrm().queue().enqueue(SimulatedDfdg.SUBSCRIBER, MessageService.INDKALDELSE, 700, 200, 1));
        queued.addAll(dfdg.wsrm().queue().enqueue(SimulatedDfdg.SUBSCRIBER, MessageService.CONTACT_GROUP, 450, 200, 2));
        queued.addAll(dfdg.wsrm().queue().enqueue(SimulatedDfdg.SUBSCRIBER, MessageService.INTERVIEW_DEADLINE, 250, 200, 3));
        queued.addAll(dfdg.wsrm().queue().enqueue(SimulatedDfdg.SUBSCRIBER, MessageService.MEMBERSHIP_CANCELLATION, 150, 200, 4));
        Map<String, QueuedMessage> byId = queued.stream()
                .collect(Collectors.toMap(QueuedMessage::messageIdentifier, Function.identity()));

        LogCapture capture = new LogCapture();
        capture.start();
        DrainReport report;
        try {
            report = drainer.drain();
        } finally {
            capture.stop();
        }
        List<String> logs = capture.lines();

        assertThat(report.succeeded()).isTrue();
        assertThat(report.sequences().get(0).outcome()).isEqualTo(SequenceOutcome.TERMINATED);
        assertThat(report.fetched()).isEqualTo(queued.size());
        List<JsonNode> events = dfdg.feed().stream().filter(e -> byId.containsKey(e.path("messageId").asText())).toList();
        assertThat(events).hasSize(queued.size());
        assertThat(events.stream().map(e -> e.path("messageId").asText()).collect(Collectors.toSet()))
                .isEqualTo(byId.keySet());
        // one sequence here (the simulator's inventory holds up to 10000): the whole feed part is oldest first
        List<OffsetDateTime> times = events.stream()
                .map(e -> OffsetDateTime.parse(e.path("message").path("EventDate").asText())).toList();
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i)).as("event %d", i).isAfterOrEqualTo(times.get(i - 1));
        }
        for (JsonNode event : events) {
            QueuedMessage sent = byId.get(event.path("messageId").asText());
            assertThat(event.path("channel").asText()).isEqualTo("wsrm");
            assertThat(event.path("authority").asText()).isEqualTo(SimulatedDfdg.AUTHORITY);
            assertThat(event.path("type").asText()).isEqualTo(sent.service().serviceName());
            String xml = event.path("message").path("Xml").asText();
            assertThat(xml).contains(sent.messageIdentifier()).contains("EventDate");
            if (sent.cpr() != null) {
                assertThat(event.path("subject").path("id").asText()).isEqualTo(sent.cpr());
                assertThat(xml).contains(sent.cpr());
            } else {
                assertThat(event.path("subject").isMissingNode() || event.path("subject").isNull()).isTrue();
            }
        }
        assertThat(dfdg.wsrm().queue().deletedIds()).containsAll(byId.keySet());
        assertThat(dfdg.wsrm().queue().queued(SimulatedDfdg.SUBSCRIBER)).isZero();
        JsonNode receipt = dfdg.receipts().path("sequences").get(0);
        assertThat(receipt.path("outcome").asText()).isEqualTo("TERMINATED");
        assertThat(receipt.path("fetched").asInt()).isEqualTo(queued.size());

        // no CPR number in any log line
        Set<String> cprs = new HashSet<>();
        queued.stream().map(QueuedMessage::cpr).filter(c -> c != null).forEach(cprs::add);
        for (String line : logs) {
            for (String cpr : cprs) {
                assertThat(line).doesNotContain(cpr);
            }
        }

        // the next drain finds nothing and changes nothing
        DrainReport again = drainer.drain();
        assertThat(again.succeeded()).isTrue();
        assertThat(again.fetched()).isZero();
        assertThat(dfdg.feed().stream().filter(e -> byId.containsKey(e.path("messageId").asText())).count())
                .isEqualTo(queued.size());
    }

    @Inject
    TlsConfigurationRegistry tls;

    @Inject
    Event<CertificateUpdatedEvent> certificateUpdated;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void readyWithKeyMaterialAndNoDrainOverdue() throws Exception {
        X509Certificate foces = certificate(dfdg);
        given().get(ready).then().log().ifValidationFails().statusCode(200)
                .body("checks.find { it.name == 'dfdg-key-material' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'dfdg-key-material' }.data.clientNotAfter",
                        equalTo(foces.getNotAfter().toInstant().toString()))
                .body("checks.find { it.name == 'wsrm-drain' }.status", equalTo("UP"));
    }

    @Test
    void aDrainShowsInTheMetricsWithoutACprNumber() {
        Set<String> ids = dfdg.enqueue(MessageService.MEMBERSHIP_CANCELLATION, 40, 31);
        Instant before = Instant.now().minusSeconds(1);
        assertThat(drainer.drain().succeeded()).isTrue();
        String text = given().get(metrics).then().statusCode(200).extract().asString();
        assertThat(text)
                .contains("dfdg_wsrm_sequences_total{outcome=\"terminated\"}")
                .contains("dfdg_wsrm_sequences_total{outcome=\"empty\"}")
                .contains("dfdg_wsrm_messages_fetched_total{service=\"GetMembershipCancellationVersion1\"}")
                .contains("dfdg_wsrm_messages_ingested_total{result=\"stored\"}")
                .contains("dfdg_wsrm_messages_waiting")
                .contains("dfdg_wsrm_drain_duration_seconds_count")
                .contains("dfdg_client_certificate_days_left")
                .contains("dfdg_server_trust_certificate_days_left");
        double lastSuccess = value(text, "dfdg_wsrm_last_success_timestamp_seconds");
        assertThat(lastSuccess).isGreaterThanOrEqualTo(before.getEpochSecond());
        assertThat(value(text, "dfdg_wsrm_messages_waiting")).isZero();
        assertThat(value(text, "dfdg_client_certificate_days_left")).isBetween(300.0, 400.0);
        for (String id : ids) {
            assertThat(text).doesNotContain(id);
        }
        dfdg.wsrm().queue().enqueued().stream().map(m -> m.cpr()).filter(c -> c != null)
                .forEach(cpr -> assertThat(text).doesNotContain(cpr));
    }

    @Test
    void aRenewedFocesCertificateIsUsedAfterTheReload() {
        dfdg.enqueue(MessageService.INDKALDELSE, 5, 32);
        assertThat(drainer.drain().succeeded()).isTrue();
        assertThat(lastSubject()).doesNotContain(SimulatedDfdg.RENEWED_UUID);

        // what quarkus.tls.dfdg.reload-period does: read the files again, tell the clients
        dfdg.renewFocesCertificate();
        TlsConfiguration config = tls.get("dfdg").orElseThrow();
        assertThat(config.reload()).isTrue();
        certificateUpdated.fire(new CertificateUpdatedEvent("dfdg", config));

        dfdg.enqueue(MessageService.INDKALDELSE, 5, 33);
        assertThat(drainer.drain().succeeded()).isTrue();
        assertThat(lastSubject()).contains("CVR:12345678-UUID:" + SimulatedDfdg.RENEWED_UUID);
    }

    private String lastSubject() {
        List<SoapExchange> recent = dfdg.wsrm().stats().recent();
        return recent.get(recent.size() - 1).clientSubject();
    }

    private static double value(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
    }

    private static X509Certificate certificate(Dfdg dfdg) throws Exception {
        try (InputStream in = Files.newInputStream(dfdg.focesCert())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /**
     * Every metric the chart's alerts and dashboard use is exported, before any drain: the alerts use increase() on
     * the failure counters, whose every label value is registered at start.
     */
    @Test
    void everyMetricTheChartUsesIsExportedFromTheStart() throws Exception {
        String text = given().get(metrics).then().statusCode(200).extract().asString();

        ExportedMetrics.assertAllExported("dfdg-poller", text);
        assertThat(text)
                .contains("dfdg_wsrm_receiver_failures_total{call=\"ingest\"}")
                .contains("dfdg_wsrm_receiver_failures_total{call=\"receipt\"}")
                .contains("dfdg_wsrm_inventory_refused_total{reason=\"unknown_operation\"}")
                .contains("dfdg_wsrm_inventory_refused_total{reason=\"endpoint_not_allowed\"}");
    }
}
