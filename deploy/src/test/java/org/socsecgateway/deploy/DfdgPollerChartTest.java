package org.socsecgateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.socsecgateway.deploy.HelmChartTest.NAMESPACE;
import static org.socsecgateway.deploy.HelmChartTest.POLLER;
import static org.socsecgateway.deploy.HelmChartTest.applicationProperties;
import static org.socsecgateway.deploy.HelmChartTest.configText;
import static org.socsecgateway.deploy.HelmChartTest.container;
import static org.socsecgateway.deploy.HelmChartTest.documents;
import static org.socsecgateway.deploy.HelmChartTest.list;
import static org.socsecgateway.deploy.HelmChartTest.named;
import static org.socsecgateway.deploy.HelmChartTest.ofKind;
import static org.socsecgateway.deploy.HelmChartTest.path;
import static org.socsecgateway.deploy.HelmChartTest.render;
import static org.socsecgateway.deploy.HelmChartTest.rendered;
import static org.socsecgateway.deploy.HelmChartTest.renderedEnv;
import static org.socsecgateway.deploy.HelmChartTest.resource;
import static org.socsecgateway.deploy.HelmChartTest.value;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * dfdg-poller in the chart, rendered with the real Helm engine: one replica replaced with Recreate (DFDG allows one
 * open WSRM sequence), egress only to DNS, DFDG's configured addresses on 443 and wsb-receiver's API, its FOCES
 * certificate, trust store and projected token, and wsb-receiver letting it in (ingest callers, NetworkPolicy).
 */
class DfdgPollerChartTest {

    static final Map<String, String> WSRM_URLS = Map.of(
            "test", "https://servicet10.amstest.dk/pjaktasswcftservice/1/WsrmService.svc",
            "acpt", "https://servicet2.startest.dk/pjaktasswcftservice/1/WsrmService.svc",
            "prod", "https://service.bm.dk/PjakTassWCFtService/1/WsrmService.svc");
    static final String SUBJECT = "system:serviceaccount:" + NAMESPACE + ":dfdg-poller";

    static Map<String, Object> deployment(List<Map<String, Object>> documents) {
        return resource(documents, "Deployment", POLLER);
    }

    static Map<String, Object> egressRule(List<Map<String, Object>> egress, int port) {
        List<Map<String, Object>> rules = egress.stream()
                .filter(r -> list(r, "ports").stream().anyMatch(p -> ((Number) p.get("port")).intValue() == port))
                .toList();
        assertThat(rules).as("egress rules for port %d", port).hasSize(1);
        return rules.get(0);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // one poller, never two

    @ParameterizedTest
    @ValueSource(strings = { "", "values-test.yaml", "values-acpt.yaml", "values-prod.yaml" })
    void pollerIsOneReplicaReplacedWithRecreate(String valuesFile) {
        List<Map<String, Object>> documents = documents(rendered(valuesFile));
        Map<String, Object> deployment = deployment(documents);

        assertThat(value(deployment, "spec.replicas")).isEqualTo(1);
        assertThat(path(deployment, "spec.strategy").toString()).isEqualTo("{type=Recreate}");
        assertThat(ofKind(documents, "PodDisruptionBudget")).noneMatch(pdb -> POLLER.equals(path(pdb, "metadata.name")));
        assertThat(path(container(deployment), "image").toString())
                .isEqualTo("registry.example.org/socsec-gateway/dfdg-poller:" + (valuesFile.equals("values-prod.yaml") ? "0.1.0" : "0.1.0-SNAPSHOT"));
        assertThat(path(deployment, "spec.template.spec.serviceAccountName").toString()).isEqualTo(POLLER);
        resource(documents, "ServiceAccount", POLLER);
    }

    @Test
    void aSecondPollerIsRefused() {
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("dfdgPoller.replicaCount", 2)))
                .hasMessageContaining("replicaCount");
    }

    @Test
    void serviceOnlyExposesManagementAndKeepsNotReadyPodsForScraping() {
        Map<String, Object> service = resource(documents(renderedEnv("prod")), "Service", POLLER);
        assertThat(list(service, "spec.ports")).extracting(p -> p.get("name")).containsExactly("management");
        assertThat(value(service, "spec.ports.0.port")).isEqualTo(9004);
        assertThat(value(service, "spec.publishNotReadyAddresses")).isEqualTo(true);

        List<Map<String, Object>> monitored = documents(render("values-prod.yaml", Map.of("metrics.serviceMonitor.enabled", true)));
        Map<String, Object> monitor = resource(monitored, "ServiceMonitor", POLLER);
        assertThat(path(monitor, "spec.endpoints.0.port").toString()).isEqualTo("management");
        Map<String, Object> serviceLabels = path(resource(monitored, "Service", POLLER), "metadata.labels");
        assertThat(serviceLabels).containsAllEntriesOf(path(monitor, "spec.selector.matchLabels"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // network policy

    @Test
    void networkPolicyAllowsOnlyDnsDfdgAndWsbReceiver() {
        List<Map<String, Object>> documents = documents(render("values-prod.yaml", Map.of(
                "dfdgPoller.networkPolicy.dfdgCidrs[0]", "192.0.2.50/32",
                "dfdgPoller.networkPolicy.dfdgCidrs[1]", "198.51.100.0/28")));
        Map<String, Object> policy = resource(documents, "NetworkPolicy", POLLER);
        assertThat(path(policy, "spec.podSelector.matchLabels").toString())
                .isEqualTo(path(deployment(documents), "spec.selector.matchLabels").toString());
        assertThat(path(policy, "spec.policyTypes").toString()).isEqualTo("[Ingress, Egress]");

        List<Map<String, Object>> egress = list(policy, "spec.egress");
        assertThat(egress).as("DNS, DFDG, wsb-receiver").hasSize(3);
        assertThat(egress).as("every rule names its destination").allSatisfy(r -> assertThat(list(r, "to")).isNotEmpty());
        assertThat(HelmChartTest.egressPorts(policy)).containsExactlyInAnyOrder(53, 53, 443, 8083);

        Map<String, Object> dns = egressRule(egress, 53);
        assertThat(path(dns, "to").toString()).contains("k8s-app=kube-dns");

        Map<String, Object> dfdg = egressRule(egress, 443);
        assertThat(list(dfdg, "to")).extracting(p -> path(p, "ipBlock.cidr"))
                .containsExactly("192.0.2.50/32", "198.51.100.0/28");
        assertThat(list(dfdg, "ports")).hasSize(1);

        Map<String, Object> receiver = egressRule(egress, 8083);
        assertThat(list(receiver, "to")).hasSize(1);
        assertThat(path(receiver, "to.0.podSelector.matchLabels").toString())
                .isEqualTo(path(resource(documents, "Deployment", "wsb-receiver"), "spec.selector.matchLabels").toString());
        assertThat(list(receiver, "ports")).hasSize(1);

        // ingress: only the management port, only from the monitoring namespace (and the release's helm test pods,
        // MonitoringChartTest)
        List<Map<String, Object>> ingress = list(policy, "spec.ingress");
        assertThat(ingress).hasSize(2);
        assertThat(ingress).allSatisfy(rule -> assertThat(path(rule, "ports").toString()).isEqualTo("[{protocol=TCP, port=9004}]"));
        assertThat(value(ingress.get(0), "ports.0.port")).isEqualTo(9004);
        assertThat(list(ingress.get(0), "ports")).hasSize(1);
        assertThat(path(ingress.get(0), "from.0.namespaceSelector.matchLabels").toString())
                .isEqualTo("{kubernetes.io/metadata.name=monitoring}");
    }

    @ParameterizedTest
    @ValueSource(strings = { "values-test.yaml", "values-acpt.yaml", "values-prod.yaml" })
    void withoutDfdgAddressesThereIsNoEgressToDfdgAtAll(String valuesFile) {
        Map<String, Object> policy = resource(documents(rendered(valuesFile)), "NetworkPolicy", POLLER);
        List<Map<String, Object>> egress = list(policy, "spec.egress");
        assertThat(egress).allSatisfy(r -> assertThat(list(r, "to")).isNotEmpty());
        assertThat(HelmChartTest.egressPorts(policy)).containsExactlyInAnyOrder(53, 53, 8083);
        assertThat(policy.toString()).doesNotContain("6443").doesNotContain("ipBlock");
        assertThat(list(policy, "spec.egress")).allSatisfy(rule -> assertThat(list(rule, "to")).as("a destination in every rule").isNotEmpty());
    }

    @Test
    void wsbReceiverLetsThePollerIn() {
        for (String environment : HelmChartTest.ENVIRONMENTS) {
            List<Map<String, Object>> documents = documents(renderedEnv(environment));
            Properties receiver = applicationProperties(documents, "wsb-receiver");
            assertThat(Set.of(receiver.getProperty("wsb.ingest.callers").split(","))).as(environment).contains(SUBJECT);

            Map<String, Object> policy = resource(documents, "NetworkPolicy", "wsb-receiver");
            Map<String, Object> api = list(policy, "spec.ingress").stream()
                    .filter(r -> ((Number) value(r, "ports.0.port")).intValue() == 8083).findFirst().orElseThrow();
            Object pollerLabels = path(deployment(documents), "spec.template.metadata.labels");
            assertThat(list(api, "from")).as("a peer selecting the poller's pods in the release namespace only").anySatisfy(peer -> {
                assertThat(path(peer, "namespaceSelector.matchLabels").toString())
                        .isEqualTo("{kubernetes.io/metadata.name=" + NAMESPACE + "}");
                Map<String, Object> selector = path(peer, "podSelector.matchLabels");
                assertThat((Map<String, Object>) pollerLabels).containsAllEntriesOf(selector);
            });
        }

        // a renamed ServiceAccount is the subject wsb-receiver accepts
        Properties renamed = applicationProperties(documents(render("values-prod.yaml",
                Map.of("dfdgPoller.serviceAccount.name", "wsrm-drainer"))), "wsb-receiver");
        assertThat(renamed.getProperty("wsb.ingest.callers")).isEqualTo("system:serviceaccount:" + NAMESPACE + ":wsrm-drainer");

        // without the poller: nobody may ingest unless named, and no poller peer
        List<Map<String, Object>> without = documents(render("values-prod.yaml", Map.of("dfdgPoller.enabled", false)));
        assertThat(ofKind(without, "Deployment")).noneMatch(d -> POLLER.equals(path(d, "metadata.name")));
        assertThat(applicationProperties(without, "wsb-receiver").getProperty("wsb.ingest.callers")).isNull();
        assertThat(configText(resource(without, "ConfigMap", "wsb-receiver-config"))).contains("every ingest is refused");
        assertThat(resource(without, "NetworkPolicy", "wsb-receiver").toString()).doesNotContain("dfdg-poller");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // configuration, key material, token

    @ParameterizedTest
    @ValueSource(strings = { "test", "acpt", "prod" })
    void configurationFollowsTheEnvironment(String environment) {
        List<Map<String, Object>> documents = documents(renderedEnv(environment));
        Properties properties = applicationProperties(documents, POLLER);
        String url = WSRM_URLS.get(environment);

        assertThat(properties.getProperty("quarkus.http.port")).isEqualTo("8084");
        assertThat(properties.getProperty("quarkus.management.port")).isEqualTo("9004");
        assertThat(properties.getProperty("poller.dfdg.wsrm-service-url")).isEqualTo(url);
        assertThat(properties.getProperty("poller.dfdg.allowed-hosts")).isEqualTo(java.net.URI.create(url).getHost());
        assertThat(properties.getProperty("poller.schedule.every")).isEqualTo("5m");
        assertThat(properties.getProperty("poller.schedule.initial-delay")).isEqualTo("10s");
        assertThat(properties.getProperty("poller.schedule.unhealthy-after-intervals")).isEqualTo("3");
        assertThat(properties.getProperty("poller.wsrm.acknowledge")).isEqualTo("auto");
        assertThat(properties.getProperty("poller.wsrm.ingest-batch")).isEqualTo("500");
        assertThat(properties.getProperty("poller.wsrm.sub-queue")).isNull();
        assertThat(properties.getProperty("poller.ingest.authority")).isEqualTo("DFDG-WSRM");
        assertThat(properties.getProperty("poller.ingest.timeout")).isEqualTo("30s");
        assertThat(properties.getProperty("dfdg.caller.organisation-type")).isEqualTo("8");
        assertThat(properties.getProperty("dfdg.caller.organisation-code")).isEqualTo("58");
        assertThat(properties.getProperty("dfdg.caller.user-full-name")).isEqualTo("socsec-gateway dfdg-poller");
        assertThat(properties.getProperty("dfdg.caller.user-type")).isEqualTo("3");
        assertThat(properties.getProperty("dfdg.caller.user-identifier")).matches("CVR:[0-9]{8}-UUID:[0-9a-f-]{36}");
        assertThat(properties.getProperty("dfdg.caller.registration-time-with-offset")).isEqualTo("true");
        assertThat(properties.stringPropertyNames()).doesNotContain("dfdg.caller.user-email", "dfdg.caller.request-organisation-code");
        // it serves no API: no caller-token settings, no cluster CA, no API server in its egress
        assertThat(properties.stringPropertyNames()).noneMatch(k -> k.startsWith("mp.jwt") || k.startsWith("smallrye.jwt"));
        assertThat(list(deployment(documents), "spec.template.spec.volumes")).noneMatch(v -> "cluster-ca".equals(v.get("name")));
        assertThat(path(deployment(documents), "metadata.labels.socsec-gateway/dfdg-environment").toString())
                .isEqualTo(Map.of("test", "T10", "acpt", "T2", "prod", "prod").get(environment));
    }

    @Test
    void focesPkcs12AndTrustStoreAreMountedReadOnlyAndThePasswordComesFromTheSecret() {
        List<Map<String, Object>> documents = documents(renderedEnv("prod"));
        Map<String, Object> deployment = deployment(documents);
        Map<String, Object> container = container(deployment);
        Properties properties = applicationProperties(documents, POLLER);
        List<Map<String, Object>> volumes = list(deployment, "spec.template.spec.volumes");
        List<Map<String, Object>> mounts = list(container, "volumeMounts");

        assertThat(mounts).noneMatch(m -> m.containsKey("subPath"));
        assertThat(path(named(volumes, "dfdg-client"), "secret.secretName").toString()).isEqualTo("dfdg-foces-prod");
        assertThat(list(named(volumes, "dfdg-client"), "secret.items")).extracting(i -> i.get("key")).containsExactly("foces.p12");
        String clientDir = (String) named(mounts, "dfdg-client").get("mountPath");
        assertThat(named(mounts, "dfdg-client").get("readOnly")).isEqualTo(true);
        assertThat(properties.getProperty("quarkus.tls.dfdg.key-store.p12.path")).isEqualTo(clientDir + "/foces.p12");
        assertThat(properties.getProperty("quarkus.tls.dfdg.key-store.p12.password")).isEqualTo("${DFDG_FOCES_P12_PASSWORD}");
        Map<String, Object> password = named(list(container, "env"), "DFDG_FOCES_P12_PASSWORD");
        assertThat(password).doesNotContainKey("value");
        assertThat(path(password, "valueFrom.secretKeyRef.name").toString()).isEqualTo("dfdg-foces-prod");
        assertThat(path(password, "valueFrom.secretKeyRef.key").toString()).isEqualTo("password");

        assertThat(path(named(volumes, "dfdg-trust"), "configMap.name").toString()).isEqualTo("dfdg-trust-prod");
        String trustDir = (String) named(mounts, "dfdg-trust").get("mountPath");
        assertThat(named(mounts, "dfdg-trust").get("readOnly")).isEqualTo(true);
        assertThat(properties.getProperty("quarkus.tls.dfdg.trust-store.pem.certs")).isEqualTo(trustDir + "/ca.crt");
        assertThat(properties.getProperty("quarkus.tls.dfdg.reload-period")).isEqualTo("1h");
        assertThat(configText(resource(documents, "ConfigMap", "dfdg-poller-config")))
                .doesNotContain("PRIVATE KEY").doesNotContainPattern("(?m)^[^#]*password=(?!\\$\\{)");
    }

    @Test
    void focesPemAndTrustSecretVariant() {
        List<Map<String, Object>> documents = documents(render("values-prod.yaml", Map.of(
                "dfdgPoller.clientCertificate.format", "pem",
                "dfdgPoller.serverTrust.kind", "Secret",
                "dfdgPoller.serverTrust.keys[0]", "ca.crt",
                "dfdgPoller.serverTrust.keys[1]", "dfdg-intermediate.pem")));
        Map<String, Object> deployment = deployment(documents);
        Properties properties = applicationProperties(documents, POLLER);
        List<Map<String, Object>> volumes = list(deployment, "spec.template.spec.volumes");

        assertThat(list(named(volumes, "dfdg-client"), "secret.items")).extracting(i -> i.get("key"))
                .containsExactly("tls.crt", "tls.key");
        assertThat(properties.getProperty("quarkus.tls.dfdg.key-store.pem.0.cert")).isEqualTo("/etc/socsec-gateway/dfdg-client/tls.crt");
        assertThat(properties.getProperty("quarkus.tls.dfdg.key-store.pem.0.key")).isEqualTo("/etc/socsec-gateway/dfdg-client/tls.key");
        assertThat(properties.stringPropertyNames()).noneMatch(k -> k.contains(".p12."));
        assertThat(list(container(deployment), "env")).noneMatch(e -> "DFDG_FOCES_P12_PASSWORD".equals(e.get("name")));
        assertThat(path(named(volumes, "dfdg-trust"), "secret.secretName").toString()).isEqualTo("dfdg-trust-prod");
        assertThat(properties.getProperty("quarkus.tls.dfdg.trust-store.pem.certs"))
                .isEqualTo("/etc/socsec-gateway/dfdg-trust/ca.crt,/etc/socsec-gateway/dfdg-trust/dfdg-intermediate.pem");
    }

    @Test
    void projectedTokenIsTheOneWsbReceiverAccepts() {
        List<Map<String, Object>> documents = documents(renderedEnv("prod"));
        Map<String, Object> deployment = deployment(documents);
        Properties properties = applicationProperties(documents, POLLER);

        Map<String, Object> token = path(named(list(deployment, "spec.template.spec.volumes"), "receiver-token"),
                "projected.sources.0.serviceAccountToken");
        assertThat(token).containsEntry("audience", "wsb-receiver.socsec-gateway." + NAMESPACE).containsEntry("expirationSeconds", 3600);
        String tokenFile = named(list(container(deployment), "volumeMounts"), "receiver-token").get("mountPath") + "/"
                + token.get("path");
        assertThat(tokenFile).isEqualTo("/var/run/secrets/tokens/wsb-receiver");
        assertThat(properties.getProperty("poller.ingest.token-file")).isEqualTo(tokenFile);
        assertThat(applicationProperties(documents, "wsb-receiver").getProperty("mp.jwt.verify.audiences"))
                .isEqualTo(token.get("audience"));

        // the URL is the chart's wsb-receiver Service and its API port
        Map<String, Object> receiverService = resource(documents, "Service", "wsb-receiver");
        int port = ((Number) named(list(receiverService, "spec.ports"), "http").get("port")).intValue();
        assertThat(properties.getProperty("poller.ingest.url")).isEqualTo("http://wsb-receiver." + NAMESPACE + ".svc:" + port);
    }

    @Test
    void valuesReachTheProperties() {
        Properties properties = applicationProperties(documents(render("values-prod.yaml", Map.ofEntries(
                Map.entry("dfdgPoller.schedule.every", "2m"),
                Map.entry("dfdgPoller.dfdg.allowedHosts[1]", "service2.bm.dk"),
                Map.entry("dfdgPoller.wsrm.subQueue", 3),
                Map.entry("dfdgPoller.wsrm.acknowledge", "never"),
                Map.entry("dfdgPoller.caller.requestOrganisationCode", "-1"),
                Map.entry("dfdgPoller.caller.userEmail", "drift@example.org"),
                Map.entry("dfdgPoller.caller.registrationTimeWithOffset", false),
                Map.entry("dfdgPoller.clientCertificate.pkcs12.alias", "foces"),
                Map.entry("dfdgPoller.extraProperties.poller\\.wsrm\\.items\\.event-date", "HaendelseDato")))), POLLER);
        assertThat(properties.getProperty("poller.schedule.every")).isEqualTo("2m");
        assertThat(properties.getProperty("poller.dfdg.allowed-hosts")).isEqualTo("service.bm.dk,service2.bm.dk");
        assertThat(properties.getProperty("poller.wsrm.sub-queue")).isEqualTo("3");
        assertThat(properties.getProperty("poller.wsrm.acknowledge")).isEqualTo("never");
        assertThat(properties.getProperty("dfdg.caller.request-organisation-code")).isEqualTo("-1");
        // eight digits written as a YAML number stay digits
        assertThat(applicationProperties(documents(render("values-prod.yaml",
                Map.of("dfdgPoller.caller.requestOrganisationCode", 12345678))), POLLER)
                .getProperty("dfdg.caller.request-organisation-code")).isEqualTo("12345678");
        assertThat(properties.getProperty("dfdg.caller.user-email")).isEqualTo("drift@example.org");
        assertThat(properties.getProperty("dfdg.caller.registration-time-with-offset")).isEqualTo("false");
        assertThat(properties.getProperty("quarkus.tls.dfdg.key-store.p12.alias")).isEqualTo("foces");
        assertThat(properties.getProperty("poller.wsrm.items.event-date")).isEqualTo("HaendelseDato");

        // another wsb-receiver: its URL, required when the chart's receiver is off
        List<Map<String, Object>> external = documents(render("values-prod.yaml", Map.of("wsbReceiver.enabled", false,
                "dfdgPoller.ingest.url", "http://wsb-receiver.dfdg.svc:8083")));
        assertThat(applicationProperties(external, POLLER).getProperty("poller.ingest.url")).isEqualTo("http://wsb-receiver.dfdg.svc:8083");
        assertThat(HelmChartTest.egressPorts(resource(external, "NetworkPolicy", POLLER))).containsExactlyInAnyOrder(53, 53);
    }

    @Test
    void invalidPollerValuesAreRefused() {
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("wsbReceiver.enabled", false)))
                .hasMessageContaining("dfdgPoller.ingest.url is required");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("dfdgPoller.clientCertificate.existingSecret", "")))
                .hasMessageContaining("dfdgPoller.clientCertificate.existingSecret is required").hasMessageContaining("FOCES");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("dfdgPoller.serverTrust.name", "")))
                .hasMessageContaining("dfdgPoller.serverTrust.name is required");
        assertThatThrownBy(() -> render("values-prod.yaml",
                Map.of("dfdgPoller.dfdg.wsrmServiceUrl", "http://service.bm.dk/PjakTassWCFtService/1/WsrmService.svc")))
                .hasMessageContaining("wsrmServiceUrl");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("dfdgPoller.caller.userIdentifier", "CVR:1234-UUID:x")))
                .hasMessageContaining("userIdentifier");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("dfdgPoller.schedule.every", "1h")))
                .hasMessageContaining("every");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("dfdgPoller.wsrm.acknowledge", "sometimes")))
                .hasMessageContaining("acknowledge");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("dfdgPoller.clientCertificate.format", "jks")))
                .hasMessageContaining("format");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("dfdgPoller.wsrm.ingestBatch", 1000)))
                .hasMessageContaining("wsbReceiver.ingest.maxBatch");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("dfdgPoller.networkPolicy.dfdgCidrs[0]", "service.bm.dk")))
                .hasMessageContaining("dfdgCidrs");
    }

    @Test
    void disabledPollerNeedsNoneOfItsValues() {
        String output = render("values-prod.yaml", Map.of("dfdgPoller.enabled", false,
                "dfdgPoller.clientCertificate.existingSecret", "", "dfdgPoller.serverTrust.name", ""));
        assertThat(documents(output)).noneMatch(d -> POLLER.equals(path(d, "metadata.labels.app.kubernetes.io/name")));
        assertThat(output).doesNotContain("poller.");
        // only codelist-service, with its own DFDG settings, still calls DFDG
        assertThat(ofKind(documents(output), "ConfigMap")).filteredOn(c -> configText(c).contains("dfdg.caller"))
                .extracting(c -> path(c, "metadata.name")).containsExactly("codelist-service-config");
        assertThat(documents(output).stream().map(d -> (String) d.get("kind")).collect(Collectors.toSet()))
                .contains("Deployment", "NetworkPolicy");
    }
}
