package org.socsecgateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.socsecgateway.deploy.HelmChartTest.applicationProperties;
import static org.socsecgateway.deploy.HelmChartTest.configText;
import static org.socsecgateway.deploy.HelmChartTest.container;
import static org.socsecgateway.deploy.HelmChartTest.documents;
import static org.socsecgateway.deploy.HelmChartTest.egressPorts;
import static org.socsecgateway.deploy.HelmChartTest.env;
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
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * codelist-service in the chart, rendered with the real Helm engine: several replicas rolled without downtime, its
 * API on 8085 for the chart's internal-API callers, health and metrics on 9005, the code lists, schedule and callers
 * as application properties, the FOCES certificate and DFDG trust store mounted read-only, the PKCS#12 password and
 * the PostgreSQL connection only from Secrets, and egress only to DNS, the API server (JWKS), PostgreSQL and DFDG's
 * configured addresses.
 */
class CodeListServiceChartTest {

    static final String CODELIST = "codelist-service";
    static final Map<String, String> CODE_LIST_URLS = Map.of(
            "test", "https://servicet10.amstest.dk/pjaktasswcftservice/1/CodeListService.svc",
            "acpt", "https://servicet2.startest.dk/pjaktasswcftservice/1/CodeListService.svc",
            "prod", "https://service.bm.dk/PjakTassWCFtService/1/CodeListService.svc");
    /** The service's built-in lists (codelist-service's application.properties). */
    static final Map<String, String> DEFAULT_LISTS = Map.of(
            "client-system-types", "GetClientSystemTypeIdentifierTypeCodeList",
            "activation-types", "GetActivationTypeIdentifierCodeList",
            "jobcentres", "GetJobcenterIdentifierCodeList",
            "unemployment-funds", "GetUnemploymentFundIdentifierCodeList",
            "municipalities", "GetMunicipalityIdentifierCodeList",
            "client-categories", "GetClientCategoryIdentifierCodeList");
    /** Container env that may carry a literal value; everything else must come from a Secret. */
    static final Set<String> PLAIN_ENV = Set.of("QUARKUS_CONFIG_LOCATIONS", "JDK_JAVA_OPTIONS");

    static Map<String, Object> deployment(List<Map<String, Object>> documents) {
        return resource(documents, "Deployment", CODELIST);
    }

    static List<Map<String, Object>> rulesForPort(List<Map<String, Object>> rules, int port) {
        return rules.stream()
                .filter(r -> list(r, "ports").stream().anyMatch(p -> ((Number) p.get("port")).intValue() == port))
                .toList();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Deployment, Service, ServiceAccount

    @ParameterizedTest
    @ValueSource(strings = { "", "values-test.yaml", "values-acpt.yaml", "values-prod.yaml" })
    void twoReplicasRolledWithoutDowntime(String valuesFile) {
        List<Map<String, Object>> documents = documents(rendered(valuesFile));
        Map<String, Object> deployment = deployment(documents);
        Map<String, Object> container = container(deployment);

        assertThat(value(deployment, "spec.replicas")).isEqualTo(2);
        assertThat(value(deployment, "spec.strategy.type")).isEqualTo("RollingUpdate");
        assertThat(value(deployment, "spec.strategy.rollingUpdate.maxUnavailable")).isEqualTo(0);
        assertThat(path(resource(documents, "PodDisruptionBudget", CODELIST), "spec.selector.matchLabels").toString())
                .isEqualTo(path(deployment, "spec.selector.matchLabels").toString());
        assertThat(value(container, "image")).isEqualTo("registry.example.org/socsec-gateway/codelist-service:"
                + (valuesFile.equals("values-prod.yaml") ? "0.1.0" : "0.1.0-SNAPSHOT"));
        assertThat(value(deployment, "spec.template.spec.serviceAccountName")).isEqualTo(CODELIST);
        assertThat(resource(documents, "ServiceAccount", CODELIST).get("automountServiceAccountToken")).isEqualTo(false);

        assertThat(((Number) named(list(container, "ports"), "http").get("containerPort")).intValue()).isEqualTo(8085);
        assertThat(((Number) named(list(container, "ports"), "management").get("containerPort")).intValue()).isEqualTo(9005);
        assertThat(value(container, "readinessProbe.httpGet.path")).isEqualTo("/q/health/ready");
        assertThat(value(container, "livenessProbe.httpGet.path")).isEqualTo("/q/health/live");
        assertThat(value(container, "readinessProbe.httpGet.port")).isEqualTo("management");
        assertThat(value(container, "livenessProbe.httpGet.port")).isEqualTo("management");
        assertThat(env(container, "JDK_JAVA_OPTIONS")).containsPattern("-XX:MaxRAMPercentage=50\\b");
        assertThat(value(container, "resources.limits.memory")).isEqualTo("512Mi");
        assertThat(value(container, "resources.requests.memory")).isEqualTo("512Mi");
        assertThat(value(container, "resources.requests.cpu")).isEqualTo("100m");

        Map<String, Object> service = resource(documents, "Service", CODELIST);
        assertThat(value(service, "spec.type")).isEqualTo("ClusterIP");
        assertThat(list(service, "spec.ports")).extracting(p -> p.get("name"), p -> p.get("port"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("http", 8085), org.assertj.core.groups.Tuple.tuple("management", 9005));
        assertThat(service.get("spec").toString()).doesNotContain("publishNotReadyAddresses");
    }

    @Test
    void replicasAndDisruptionBudgetFollowTheValues() {
        List<Map<String, Object>> one = documents(render("values-prod.yaml", Map.of("codelistService.replicaCount", 1)));
        assertThat(value(deployment(one), "spec.replicas")).isEqualTo(1);
        assertThat(ofKind(one, "PodDisruptionBudget")).noneMatch(pdb -> CODELIST.equals(path(pdb, "metadata.name")));
        assertThat(value(deployment(documents(render("values-prod.yaml", Map.of("codelistService.replicaCount", 3)))),
                "spec.replicas")).isEqualTo(3);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // application.properties

    @ParameterizedTest
    @ValueSource(strings = { "test", "acpt", "prod" })
    void configurationFollowsTheEnvironment(String environment) {
        List<Map<String, Object>> documents = documents(renderedEnv(environment));
        Properties properties = applicationProperties(documents, CODELIST);
        Properties poller = applicationProperties(documents, HelmChartTest.POLLER);

        assertThat(properties.getProperty("quarkus.http.port")).isEqualTo("8085");
        assertThat(properties.getProperty("quarkus.management.port")).isEqualTo("9005");
        assertThat(properties.getProperty("codelist.dfdg.code-list-service-url")).isEqualTo(CODE_LIST_URLS.get(environment));
        // the same DFDG environment as the poller
        assertThat(java.net.URI.create(properties.getProperty("codelist.dfdg.code-list-service-url")).getHost())
                .isEqualTo(java.net.URI.create(poller.getProperty("poller.dfdg.wsrm-service-url")).getHost());
        DEFAULT_LISTS.forEach((name, operation) ->
                assertThat(properties.getProperty("codelist.lists." + name + ".operation")).as(name).isEqualTo(operation));
        assertThat(properties.stringPropertyNames().stream().filter(k -> k.startsWith("codelist.lists."))).hasSize(DEFAULT_LISTS.size());

        assertThat(properties.getProperty("codelist.schedule.enabled")).isEqualTo("true");
        assertThat(properties.getProperty("codelist.schedule.time-of-day")).isEqualTo("03:30");
        assertThat(properties.getProperty("codelist.schedule.jitter")).isEqualTo("30m");
        assertThat(properties.getProperty("codelist.schedule.retry-after-failure")).isEqualTo("1h");
        assertThat(properties.getProperty("codelist.schedule.check-every")).isEqualTo("1m");
        assertThat(properties.getProperty("codelist.schedule.claim-timeout")).isEqualTo("5m");
        assertThat(properties.getProperty("codelist.schedule.forced-min-interval")).isEqualTo("10m");
        assertThat(properties.getProperty("codelist.access.readers")).isEqualTo("*");
        assertThat(properties.getProperty("codelist.access.operators")).isNull();

        // the two DFDG headers: the poller's organisation and FOCES identity, its own system name
        for (String key : List.of("dfdg.caller.organisation-type", "dfdg.caller.organisation-code", "dfdg.caller.user-type",
                "dfdg.caller.user-identifier", "dfdg.caller.registration-time-with-offset")) {
            assertThat(properties.getProperty(key)).as(key).isNotBlank().isEqualTo(poller.getProperty(key));
        }
        assertThat(properties.getProperty("dfdg.caller.user-full-name")).isEqualTo("socsec-gateway codelist-service");

        // caller tokens of the cluster's issuer, audience codelist-service
        assertThat(properties.getProperty("mp.jwt.verify.audiences")).isEqualTo(CODELIST + ".socsec-gateway." + HelmChartTest.NAMESPACE);
        assertThat(properties.getProperty("mp.jwt.verify.issuer")).isEqualTo("https://kubernetes.default.svc.cluster.local");
        assertThat(properties.getProperty("mp.jwt.verify.publickey.location")).isEqualTo("https://kubernetes.default.svc/openid/v1/jwks");
        assertThat(properties.getProperty("smallrye.jwt.client.tls.certificate.path")).isEqualTo("/etc/socsec-gateway/cluster-ca/ca.crt");

        assertThat(path(deployment(documents), "metadata.labels.socsec-gateway/dfdg-environment").toString())
                .isEqualTo(HelmChartTest.DFDG_ENVIRONMENTS.get(environment));
    }

    @Test
    void valuesReachTheProperties() {
        Properties properties = applicationProperties(documents(render("values-prod.yaml", Map.ofEntries(
                Map.entry("codelistService.lists.benefit-types", "GetBenefitTypeIdentifierCodeList"),
                Map.entry("codelistService.lists.jobcentres", "GetJobcentreIdentifierCodeList"),
                Map.entry("codelistService.schedule.enabled", false),
                Map.entry("codelistService.schedule.timeOfDay", "05:15"),
                Map.entry("codelistService.schedule.jitter", "10m"),
                Map.entry("codelistService.schedule.retryAfterFailure", "2h"),
                Map.entry("codelistService.schedule.checkEvery", "30s"),
                Map.entry("codelistService.schedule.claimTimeout", "3m"),
                Map.entry("codelistService.access.readers[0]", "system:serviceaccount:akasse:case-handling"),
                Map.entry("codelistService.access.readers[1]", "system:serviceaccount:akasse:archive"),
                Map.entry("codelistService.access.operators[0]", "system:serviceaccount:ops:codelist-admin"),
                Map.entry("codelistService.caller.requestOrganisationCode", 12345678),
                Map.entry("codelistService.caller.userEmail", "drift@example.org"),
                Map.entry("codelistService.clientCertificate.pkcs12.alias", "foces"),
                Map.entry("codelistService.extraProperties.codelist\\.items\\.start-date", "GyldigFra")))), CODELIST);

        assertThat(properties.getProperty("codelist.lists.benefit-types.operation")).isEqualTo("GetBenefitTypeIdentifierCodeList");
        assertThat(properties.getProperty("codelist.lists.jobcentres.operation")).isEqualTo("GetJobcentreIdentifierCodeList");
        assertThat(properties.getProperty("codelist.lists.municipalities.operation")).isEqualTo("GetMunicipalityIdentifierCodeList");
        assertThat(properties.getProperty("codelist.schedule.enabled")).isEqualTo("false");
        assertThat(properties.getProperty("codelist.schedule.time-of-day")).isEqualTo("05:15");
        assertThat(properties.getProperty("codelist.schedule.jitter")).isEqualTo("10m");
        assertThat(properties.getProperty("codelist.schedule.retry-after-failure")).isEqualTo("2h");
        assertThat(properties.getProperty("codelist.schedule.check-every")).isEqualTo("30s");
        assertThat(properties.getProperty("codelist.schedule.claim-timeout")).isEqualTo("3m");
        assertThat(properties.getProperty("codelist.access.readers"))
                .isEqualTo("system:serviceaccount:akasse:archive,system:serviceaccount:akasse:case-handling");
        assertThat(properties.getProperty("codelist.access.operators")).isEqualTo("system:serviceaccount:ops:codelist-admin");
        assertThat(properties.getProperty("dfdg.caller.request-organisation-code")).isEqualTo("12345678");
        assertThat(properties.getProperty("dfdg.caller.user-email")).isEqualTo("drift@example.org");
        assertThat(properties.getProperty("quarkus.tls.dfdg.key-store.p12.alias")).isEqualTo("foces");
        assertThat(properties.getProperty("codelist.items.start-date")).isEqualTo("GyldigFra");

        // a list removed from the values is not rendered (the service's built-in default for it still applies)
        Properties fewer = applicationProperties(documents(render("values-prod.yaml",
                Map.of("codelistService.lists.client-categories", "null"))), CODELIST);
        assertThat(fewer.getProperty("codelist.lists.client-categories.operation")).isNull();
        assertThat(fewer.getProperty("codelist.lists.municipalities.operation")).isNotNull();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // key material and credentials

    @Test
    void secretsReachThePodOnlyFromSecrets() {
        List<Map<String, Object>> documents = documents(renderedEnv("prod"));
        Map<String, Object> deployment = deployment(documents);
        Map<String, Object> container = container(deployment);
        Properties properties = applicationProperties(documents, CODELIST);

        assertThat(list(container, "env")).allSatisfy(e -> {
            if (!PLAIN_ENV.contains((String) e.get("name"))) {
                assertThat(e).as("env %s", e.get("name")).doesNotContainKey("value");
                assertThat(path(e, "valueFrom.secretKeyRef.name").toString()).isNotBlank();
            }
        });
        Map<String, String> secretOf = Map.of("QUARKUS_DATASOURCE_JDBC_URL", "codelist-service-db-prod:url",
                "QUARKUS_DATASOURCE_USERNAME", "codelist-service-db-prod:username",
                "QUARKUS_DATASOURCE_PASSWORD", "codelist-service-db-prod:password",
                "DFDG_FOCES_P12_PASSWORD", "dfdg-foces-prod:password");
        secretOf.forEach((name, ref) -> {
            Map<String, Object> entry = named(list(container, "env"), name);
            assertThat(path(entry, "valueFrom.secretKeyRef.name") + ":" + path(entry, "valueFrom.secretKeyRef.key"))
                    .as(name).isEqualTo(ref);
        });
        assertThat(list(container, "env")).extracting(e -> e.get("name"))
                .containsExactlyInAnyOrderElementsOf(union(PLAIN_ENV, secretOf.keySet()));

        String config = configText(resource(documents, "ConfigMap", "codelist-service-config"));
        assertThat(config).doesNotContain("jdbc:").doesNotContain("PRIVATE KEY").doesNotContain("BEGIN CERTIFICATE")
                .doesNotContainPattern(Pattern.compile("(?m)^[^#]*password=(?!\\$\\{)"));
        assertThat(properties.getProperty("quarkus.tls.dfdg.key-store.p12.password")).isEqualTo("${DFDG_FOCES_P12_PASSWORD}");

        // the FOCES certificate and DFDG's trust store: read-only directories (renewals reach the pod)
        List<Map<String, Object>> volumes = list(deployment, "spec.template.spec.volumes");
        List<Map<String, Object>> mounts = list(container, "volumeMounts");
        assertThat(mounts).noneMatch(m -> m.containsKey("subPath"));
        assertThat(mounts).filteredOn(m -> !"tmp".equals(m.get("name"))).allMatch(m -> Boolean.TRUE.equals(m.get("readOnly")));
        assertThat(value(named(volumes, "dfdg-client"), "secret.secretName")).isEqualTo("dfdg-foces-prod");
        assertThat(list(named(volumes, "dfdg-client"), "secret.items")).extracting(i -> i.get("key")).containsExactly("foces.p12");
        assertThat(properties.getProperty("quarkus.tls.dfdg.key-store.p12.path"))
                .isEqualTo(named(mounts, "dfdg-client").get("mountPath") + "/foces.p12");
        assertThat(value(named(volumes, "dfdg-trust"), "configMap.name")).isEqualTo("dfdg-trust-prod");
        assertThat(properties.getProperty("quarkus.tls.dfdg.trust-store.pem.certs"))
                .isEqualTo(named(mounts, "dfdg-trust").get("mountPath") + "/ca.crt");
        assertThat(properties.getProperty("quarkus.tls.dfdg.reload-period")).isEqualTo("1h");
    }

    @Test
    void pemCertificateSecretTrustAndOwnDatabaseKeys() {
        List<Map<String, Object>> documents = documents(render("values-prod.yaml", Map.of(
                "codelistService.clientCertificate.format", "pem",
                "codelistService.serverTrust.kind", "Secret",
                "codelistService.serverTrust.keys[0]", "ca.crt",
                "codelistService.serverTrust.keys[1]", "dfdg-intermediate.pem",
                "codelistService.database.urlKey", "jdbc-url")));
        Map<String, Object> deployment = deployment(documents);
        Map<String, Object> container = container(deployment);
        Properties properties = applicationProperties(documents, CODELIST);
        List<Map<String, Object>> volumes = list(deployment, "spec.template.spec.volumes");

        assertThat(list(named(volumes, "dfdg-client"), "secret.items")).extracting(i -> i.get("key")).containsExactly("tls.crt", "tls.key");
        assertThat(properties.getProperty("quarkus.tls.dfdg.key-store.pem.0.cert")).isEqualTo("/etc/socsec-gateway/dfdg-client/tls.crt");
        assertThat(properties.getProperty("quarkus.tls.dfdg.key-store.pem.0.key")).isEqualTo("/etc/socsec-gateway/dfdg-client/tls.key");
        assertThat(properties.stringPropertyNames()).noneMatch(k -> k.contains(".p12."));
        assertThat(list(container, "env")).noneMatch(e -> "DFDG_FOCES_P12_PASSWORD".equals(e.get("name")));
        assertThat(value(named(volumes, "dfdg-trust"), "secret.secretName")).isEqualTo("dfdg-trust-prod");
        assertThat(properties.getProperty("quarkus.tls.dfdg.trust-store.pem.certs"))
                .isEqualTo("/etc/socsec-gateway/dfdg-trust/ca.crt,/etc/socsec-gateway/dfdg-trust/dfdg-intermediate.pem");
        assertThat(value(named(list(container, "env"), "QUARKUS_DATASOURCE_JDBC_URL"), "valueFrom.secretKeyRef.key"))
                .isEqualTo("jdbc-url");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // network policy

    @Test
    void networkPolicyLetsInTheInternalApiCallersAndMonitoring() {
        List<Map<String, Object>> documents = documents(renderedEnv("prod"));
        Map<String, Object> policy = resource(documents, "NetworkPolicy", CODELIST);
        assertThat(path(policy, "spec.podSelector.matchLabels").toString())
                .isEqualTo(path(deployment(documents), "spec.selector.matchLabels").toString());
        assertThat(path(policy, "spec.policyTypes").toString()).isEqualTo("[Ingress, Egress]");

        List<Map<String, Object>> ingress = list(policy, "spec.ingress");
        assertThat(ingress).hasSize(3); // API, monitoring, the release's helm test pods (MonitoringChartTest)
        Map<String, Object> api = rulesForPort(ingress, 8085).get(0);
        assertThat(list(api, "ports")).hasSize(1);
        // the applications that read wsb-receiver's feed, and those labelled for the code lists
        Map<String, Object> receiverApi = rulesForPort(list(resource(documents, "NetworkPolicy", "wsb-receiver"), "spec.ingress"), 8083).get(0);
        List<Map<String, Object>> feedReaders = list(receiverApi, "from").stream().filter(p -> p.toString().contains("wsb-client")).toList();
        assertThat(feedReaders).hasSize(2);
        assertThat(list(api, "from")).containsAll(feedReaders);
        assertThat(list(api, "from")).extracting(Object::toString)
                .contains("{namespaceSelector={matchLabels={socsec-gateway/codelist-client=socsec-gateway.socsec}}}",
                        "{namespaceSelector={matchLabels={kubernetes.io/metadata.name=socsec}}, "
                                + "podSelector={matchLabels={socsec-gateway/codelist-client=socsec-gateway.socsec}}}")
                .hasSize(4);

        Map<String, Object> management = rulesForPort(ingress, 9005).get(0);
        assertThat(list(management, "ports")).hasSize(1);
        assertThat(path(management, "from").toString()).isEqualTo("[{namespaceSelector={matchLabels={kubernetes.io/metadata.name=monitoring}}}]");

        // other callers are added to the labelled ones (which are per release, so they stay)
        Map<String, Object> widened = resource(documents(render("values-prod.yaml", Map.of(
                "codelistService.networkPolicy.ingressFrom[0].podSelector.matchLabels.app", "case-handling"))),
                "NetworkPolicy", CODELIST);
        List<Map<String, Object>> from = list(rulesForPort(list(widened, "spec.ingress"), 8085).get(0), "from");
        assertThat(from).hasSize(5);
        assertThat(from.get(4).toString()).isEqualTo("{podSelector={matchLabels={app=case-handling}}}");
    }

    @ParameterizedTest
    @ValueSource(strings = { "values-test.yaml", "values-acpt.yaml", "values-prod.yaml" })
    void withoutDfdgAddressesTheEgressIsDnsApiServerAndPostgresOnly(String valuesFile) {
        Map<String, Object> policy = resource(documents(rendered(valuesFile)), "NetworkPolicy", CODELIST);
        assertThat(egressPorts(policy)).containsExactlyInAnyOrder(53, 53, 443, 6443, 5432);
        List<Map<String, Object>> egress = list(policy, "spec.egress");
        assertThat(egress).hasSize(3).allSatisfy(rule -> assertThat(list(rule, "to")).as("a destination in every rule").isNotEmpty());
        // the site's API server and database addresses (values-site.yaml), nothing else
        assertThat(list(policy, "spec.egress").stream().flatMap(r -> list(r, "to").stream())
                .map(p -> (String) path(p, "ipBlock.cidr")).filter(Objects::nonNull).toList())
                .containsExactlyInAnyOrder("192.0.2.10/32", "192.0.2.11/32", "192.0.2.12/32", "192.0.2.30/32");
        assertThat(path(rulesForPort(egress, 53).get(0), "to").toString()).contains("k8s-app=kube-dns");
        assertThat(rulesForPort(egress, 443)).hasSize(1).allSatisfy(r -> assertThat(egressPortsOf(r)).containsExactly(443, 6443));
        assertThat(rulesForPort(egress, 5432)).hasSize(1).allSatisfy(r -> assertThat(egressPortsOf(r)).containsExactly(5432));
    }

    @Test
    void dfdgAndDatabaseEgressNarrowedToTheirAddresses() {
        Map<String, Object> policy = resource(documents(render("values-prod.yaml", Map.of(
                "codelistService.networkPolicy.dfdgCidrs[0]", "192.0.2.50/32",
                "codelistService.networkPolicy.dfdgCidrs[1]", "198.51.100.0/28",
                "codelistService.networkPolicy.databaseCidrs[0]", "10.20.0.5/32",
                "codelistService.networkPolicy.databasePeers[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name", "postgres",
                "networkPolicy.apiServer.cidrs[0]", "10.0.0.1/32"))), "NetworkPolicy", CODELIST);
        List<Map<String, Object>> egress = list(policy, "spec.egress");
        assertThat(egress).as("DNS, API server, PostgreSQL, DFDG").hasSize(4)
                .allSatisfy(r -> assertThat(list(r, "to")).as("every rule names its destination").isNotEmpty());
        assertThat(egressPorts(policy)).containsExactlyInAnyOrder(53, 53, 443, 6443, 5432, 443);

        Map<String, Object> dfdg = egress.stream().filter(r -> r.toString().contains("192.0.2.50/32")).findFirst().orElseThrow();
        assertThat(list(dfdg, "to")).extracting(p -> path(p, "ipBlock.cidr")).containsExactly("192.0.2.50/32", "198.51.100.0/28");
        assertThat(egressPortsOf(dfdg)).containsExactly(443);

        Map<String, Object> database = rulesForPort(egress, 5432).get(0);
        assertThat(path(database, "to").toString())
                .isEqualTo("[{ipBlock={cidr=10.20.0.5/32}}, {namespaceSelector={matchLabels={kubernetes.io/metadata.name=postgres}}}]");
        assertThat(egressPortsOf(database)).containsExactly(5432);
    }

    static List<Integer> egressPortsOf(Map<String, Object> rule) {
        return list(rule, "ports").stream().map(p -> ((Number) p.get("port")).intValue()).toList();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // guard rails

    @Test
    void invalidValuesAreRefused() {
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("codelistService.dfdg.codeListServiceUrl",
                "http://service.bm.dk/PjakTassWCFtService/1/CodeListService.svc")))
                .hasMessageContaining("codeListServiceUrl");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("codelistService.clientCertificate.existingSecret", "")))
                .hasMessageContaining("codelistService.clientCertificate.existingSecret is required").hasMessageContaining("FOCES");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("codelistService.serverTrust.name", "")))
                .hasMessageContaining("codelistService.serverTrust.name is required");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("codelistService.database.existingSecret", "")))
                .hasMessageContaining("codelistService.database.existingSecret is required").hasMessageContaining("PostgreSQL");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("codelistService.caller.userIdentifier", "CVR:1234-UUID:x")))
                .hasMessageContaining("userIdentifier");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("codelistService.lists.Municipalities_2", "GetMunicipalityIdentifierCodeList")))
                .hasMessageContaining("Municipalities_2");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("codelistService.lists.municipalities", "Get Municipality")))
                .hasMessageContaining("municipalities");
        for (String time : List.of("3:30", "24:00", "03:30:00")) {
            assertThatThrownBy(() -> render("values-prod.yaml", Map.of("codelistService.schedule.timeOfDay", time)))
                    .as(time).hasMessageContaining("timeOfDay");
        }
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("codelistService.access.operators[0]", "*")))
                .hasMessageContaining("operators");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("codelistService.access.readers[0]", "a,b")))
                .hasMessageContaining("readers");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("codelistService.clientCertificate.format", "jks")))
                .hasMessageContaining("format");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("codelistService.networkPolicy.dfdgCidrs[0]", "service.bm.dk")))
                .hasMessageContaining("dfdgCidrs");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("codelistService.replicaCount", 0)))
                .hasMessageContaining("replicaCount");
    }

    @Test
    void disabledServiceNeedsNoneOfItsValues() {
        String output = render("values-prod.yaml", Map.of("codelistService.enabled", false,
                "codelistService.clientCertificate.existingSecret", "", "codelistService.serverTrust.name", "",
                "codelistService.database.existingSecret", ""));
        assertThat(documents(output)).noneMatch(d -> CODELIST.equals(path(d, "metadata.labels.app.kubernetes.io/name")));
        assertThat(output).doesNotContain("codelist");
        // the poller keeps its own FOCES settings
        assertThat(applicationProperties(documents(output), HelmChartTest.POLLER).getProperty("quarkus.tls.dfdg.key-store.p12.path"))
                .isNotBlank();
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        return HelmChartTest.union(a, b);
    }
}
