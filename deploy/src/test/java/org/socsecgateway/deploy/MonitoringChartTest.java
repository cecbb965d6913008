package org.socsecgateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.socsecgateway.deploy.HelmChartTest.documents;
import static org.socsecgateway.deploy.HelmChartTest.list;
import static org.socsecgateway.deploy.HelmChartTest.ofKind;
import static org.socsecgateway.deploy.HelmChartTest.path;
import static org.socsecgateway.deploy.HelmChartTest.resource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

/**
 * The operator extras rendered with the real Helm engine: the PrometheusRule (alerts scoped to the release, each with
 * what to check first, naming only metrics the services export), the Grafana dashboard ConfigMap, and the helm test
 * pods with the NetworkPolicy rule that lets them reach the management ports.
 *
 * <p>"Exported" means listed in deploy/src/test/resources/exported-metrics/&lt;service&gt;.txt; each service's
 * ExportedMetricsTest (or DrainTest/CodeListApiTest) scrapes its real /q/metrics and checks every listed name is there.
 */
@SuppressWarnings("unchecked")
class MonitoringChartTest {

    static final String NAMESPACE = HelmChartTest.NAMESPACE;
    static final String VALUES = "values-test.yaml";
    static final Path EXPORTED = Path.of("src/test/resources/exported-metrics");
    /** Series Prometheus adds itself to every scrape target. */
    static final Set<String> PROMETHEUS_SERIES = Set.of("up");
    /** PromQL words that are neither metrics nor functions. */
    static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring", "bool",
            "group_left", "group_right", "offset");
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
    static final ObjectMapper JSON = new ObjectMapper();

    /** The alerts the issue asks for, with the service whose group holds them (at the default thresholds). */
    static final Map<String, String> REQUIRED_ALERTS = new LinkedHashMap<>();

    static {
        for (String days : List.of("30", "7")) {
            REQUIRED_ALERTS.put("SocsecSigningCertificateExpiresIn" + days + "Days", "token-broker");
            REQUIRED_ALERTS.put("SocsecBcssClientCertificateExpiresIn" + days + "Days", "bcss-proxy");
            REQUIRED_ALERTS.put("SocsecWebhookServerCertificateExpiresIn" + days + "Days", "wsb-receiver");
            REQUIRED_ALERTS.put("SocsecStarTrustedCertificateExpiresIn" + days + "Days", "wsb-receiver");
            REQUIRED_ALERTS.put("SocsecFocesCertificateExpiresIn" + days + "Days", "dfdg-poller");
            REQUIRED_ALERTS.put("SocsecCodeListFocesCertificateExpiresIn" + days + "Days", "codelist-service");
        }
        REQUIRED_ALERTS.put("SocsecTokenFetchFailing", "token-broker");
        REQUIRED_ALERTS.put("SocsecBcssCircuitOpen", "bcss-proxy");
        REQUIRED_ALERTS.put("SocsecWebhookRefused", "wsb-receiver");
        REQUIRED_ALERTS.put("SocsecWebhookUnavailable", "wsb-receiver");
        REQUIRED_ALERTS.put("SocsecFeedPublishLag", "wsb-receiver");
        REQUIRED_ALERTS.put("SocsecFeedReaderBehind", "wsb-receiver");
        REQUIRED_ALERTS.put("SocsecWsrmDrainOverdue", "dfdg-poller");
        REQUIRED_ALERTS.put("SocsecCodeListStale", "codelist-service");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    static List<Map<String, Object>> render(Map<String, Object> sets) {
        return documents(HelmChartTest.render(VALUES, sets));
    }

    static List<Map<String, Object>> withAlerts(Map<String, Object> more) {
        Map<String, Object> sets = new HashMap<>(more);
        sets.put("prometheusRule.enabled", "true");
        return render(sets);
    }

    /** The names a service exports, from its committed list. */
    static Set<String> exported(String service) {
        Path file = EXPORTED.resolve(service + ".txt");
        try {
            Set<String> names = new TreeSet<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank() && !line.strip().startsWith("#")) {
                    names.add(line.strip());
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("no list of exported metrics for " + service + " (" + file + ")", e);
        }
    }

    /**
     * The metric names of a PromQL expression, each with its label matchers. Every metric must carry a selector
     * ({@code name{...}}); an identifier that is neither a function, a keyword, a label of by/without/on nor a metric
     * with a selector fails the test (a bare metric would not be scoped to the release).
     */
    static Map<String, List<String>> metrics(String expr) {
        String text = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // label values and strings
                .replaceAll("\\[[^\\]]*\\]", "") // range selectors [5m]
                .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " "); // grouping clauses
        Map<String, List<String>> metrics = new LinkedHashMap<>();
        Matcher m = IDENTIFIER.matcher(text);
        while (m.find()) {
            String word = m.group();
            int next = m.end();
            while (next < text.length() && text.charAt(next) == ' ') {
                next++;
            }
            char following = next < text.length() ? text.charAt(next) : ' ';
            if (following == '(' || KEYWORDS.contains(word)) {
                continue;
            }
            if (following == '{') {
                int close = text.indexOf('}', next);
                metrics.computeIfAbsent(word, w -> new ArrayList<>()).add(text.substring(next, close + 1));
                m.region(close + 1, text.length());
                continue;
            }
            if (word.matches("[0-9.e+-]+|Inf|NaN")) {
                continue;
            }
            throw new AssertionError("'" + word + "' in `" + expr + "` is neither a function nor a metric with a selector");
        }
        return metrics;
    }

    /** Every metric of an expression is one the service exports, scoped to the release's namespace and job. */
    static void assertScopedAndExported(String expr, String service, String job) {
        Map<String, List<String>> metrics = metrics(expr);
        assertThat(metrics).as("metrics of `%s`", expr).isNotEmpty();
        Set<String> allowed = new TreeSet<>(exported(service));
        allowed.addAll(PROMETHEUS_SERIES);
        assertThat(allowed).as("metrics of `%s` (%s exports %s)", expr, service, exported(service))
                .containsAll(metrics.keySet());
        metrics.forEach((name, selectors) -> selectors.forEach(selector -> assertThat(selector)
                .as("%s in `%s`", name, expr)
                .contains("namespace=\"\"") // the value was blanked: checked on the original below
                .contains("job=\"\"")));
        assertThat(expr).contains("namespace=\"" + NAMESPACE + "\"").contains("job=\"" + job + "\"");
        long selectors = metrics.values().stream().mapToLong(List::size).sum();
        assertThat(countOf(expr, "namespace=\"" + NAMESPACE + "\",job=\"" + job + "\"")).as("`%s`", expr)
                .isEqualTo(selectors);
    }

    static long countOf(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1L;
    }

    static Map<String, Object> prometheusRule(List<Map<String, Object>> documents) {
        List<Map<String, Object>> rules = ofKind(documents, "PrometheusRule");
        assertThat(rules).hasSize(1);
        return rules.get(0);
    }

    /** alert name -> rule, and the service its group is for. */
    static Map<String, Map<String, Object>> alerts(Map<String, Object> prometheusRule, Map<String, String> serviceOf) {
        Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
        for (Map<String, Object> group : list(prometheusRule, "spec.groups")) {
            String service = ((String) group.get("name")).substring("socsec-gateway.".length());
            for (Map<String, Object> rule : list(group, "rules")) {
                String name = (String) rule.get("alert");
                assertThat(alerts).as("alert names are unique").doesNotContainKey(name + "@" + service);
                alerts.put(name + "@" + service, rule);
                serviceOf.put(name + "@" + service, service);
            }
        }
        return alerts;
    }

    static Set<String> names(Map<String, Map<String, Object>> alerts) {
        Set<String> names = new LinkedHashSet<>();
        alerts.keySet().forEach(key -> names.add(key.substring(0, key.indexOf('@'))));
        return names;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // PrometheusRule

    @Test
    void alertsAndDashboardAreOffByDefault() {
        List<Map<String, Object>> documents = render(Map.of());

        assertThat(ofKind(documents, "PrometheusRule")).isEmpty();
        assertThat(ofKind(documents, "ConfigMap")).noneMatch(cm -> String.valueOf((Object) path(cm, "metadata.name")).endsWith("-dashboard"));
    }

    /** The issue's list: certificates < 30 / < 7 days, token fetch, circuit, webhook, feed lag, reader, drain, code list. */
    @Test
    void everyAlertTheIssueAsksForIsRenderedInItsServicesGroup() {
        Map<String, String> serviceOf = new HashMap<>();
        Map<String, Map<String, Object>> alerts = alerts(prometheusRule(withAlerts(Map.of())), serviceOf);

        REQUIRED_ALERTS.forEach((alert, service) -> assertThat(alerts).as(alert).containsKey(alert + "@" + service));
        assertThat(path(alerts.get("SocsecSigningCertificateExpiresIn30Days@token-broker"), "expr").toString())
                .contains("broker_certificate_days_left{").contains("< 30").contains(">= 7");
        assertThat(path(alerts.get("SocsecSigningCertificateExpiresIn7Days@token-broker"), "expr").toString())
                .contains("broker_certificate_days_left{").endsWith("< 7");
    }

    /** Issue input: every rendered expression names only metrics its service exports, scoped to the release. */
    @Test
    void everyExpressionNamesOnlyMetricsItsServiceExportsScopedToTheRelease() {
        Map<String, String> serviceOf = new HashMap<>();
        Map<String, Map<String, Object>> alerts = alerts(prometheusRule(withAlerts(Map.of())), serviceOf);

        assertThat(alerts).hasSizeGreaterThanOrEqualTo(REQUIRED_ALERTS.size());
        alerts.forEach((key, rule) -> assertScopedAndExported((String) rule.get("expr"), serviceOf.get(key), serviceOf.get(key)));
    }

    /** Sibling: a metric a service does not export, or a bare (unscoped) metric, fails the check itself. */
    @Test
    void theExpressionCheckRefusesUnknownAndUnscopedMetrics() {
        String scoped = "namespace=\"" + NAMESPACE + "\",job=\"token-broker\"";
        assertScopedAndExported("sum by (outcome) (rate(broker_token_requests_total{" + scoped + ",outcome=~\"a|b\"}[5m])) > 0",
                "token-broker", "token-broker");

        assertThatThrownBy(() -> assertScopedAndExported("rate(broker_tokens_total{" + scoped + "}[5m]) > 0",
                "token-broker", "token-broker")).hasMessageContaining("broker_tokens_total");
        assertThatThrownBy(() -> assertScopedAndExported("proxy_breaker_state{" + scoped + "} == 1",
                "token-broker", "token-broker")).hasMessageContaining("proxy_breaker_state");
        assertThatThrownBy(() -> assertScopedAndExported("broker_certificate_days_left < 7", "token-broker", "token-broker"))
                .hasMessageContaining("broker_certificate_days_left");
        assertThatThrownBy(() -> assertScopedAndExported("broker_certificate_days_left{namespace=\"other\",job=\"token-broker\"} < 7",
                "token-broker", "token-broker")).isInstanceOf(AssertionError.class);
    }

    /** Each alert says what it is, how bad, and what to check first. */
    @Test
    void everyAlertHasASeverityASummaryADescriptionAndWhatToCheckFirst() {
        Map<String, Map<String, Object>> alerts = alerts(prometheusRule(withAlerts(Map.of("prometheusRule.alertLabels.team", "integration"))),
                new HashMap<>());

        alerts.forEach((key, rule) -> {
            assertThat(path(rule, "labels.severity").toString()).as(key).isIn("warning", "critical");
            assertThat(path(rule, "labels.service").toString()).as(key).isEqualTo(key.substring(key.indexOf('@') + 1));
            assertThat(path(rule, "labels.team").toString()).as(key).isEqualTo("integration");
            assertThat(path(rule, "annotations.summary").toString()).as(key).isNotBlank();
            assertThat(path(rule, "annotations.description").toString()).as(key).hasSizeGreaterThan(30);
            assertThat(path(rule, "annotations.runbook").toString()).as(key).startsWith("Check first: ").hasSizeGreaterThan(40);
            Object forValue = rule.get("for");
            if (forValue != null) {
                assertThat(forValue.toString()).as(key).matches("([0-9]+(ms|s|m|h|d|w|y))+");
            }
        });
    }

    /** Scoped to the release: another Service name is another job; a disabled service has no group. */
    @Test
    void alertsFollowTheServiceNamesAndLeaveOutDisabledServices() {
        Map<String, String> serviceOf = new HashMap<>();
        Map<String, Map<String, Object>> alerts = alerts(prometheusRule(withAlerts(Map.of(
                "bcssProxy.name", "bcss-proxy-acme", "codelistService.enabled", "false"))), serviceOf);

        assertThat(serviceOf.values()).doesNotContain("codelist-service").contains("bcss-proxy");
        alerts.forEach((key, rule) -> {
            String service = serviceOf.get(key);
            assertScopedAndExported((String) rule.get("expr"), service, service.equals("bcss-proxy") ? "bcss-proxy-acme" : service);
        });
    }

    @Test
    void thresholdsLabelsAndDisabledAlertsComeFromTheValues() {
        Map<String, Object> rule = prometheusRule(withAlerts(Map.of(
                "prometheusRule.certificates.warningDays", "45",
                "prometheusRule.certificates.criticalDays", "14",
                "prometheusRule.feedReaderBehind.seconds", "7200",
                "prometheusRule.circuitOpen.for", "2m",
                "prometheusRule.labels.release", "kube-prometheus-stack",
                "prometheusRule.disabled[0]", "SocsecBcssCallsFailing")));
        Map<String, Map<String, Object>> alerts = alerts(rule, new HashMap<>());

        assertThat(path(rule, "metadata.labels.release").toString()).isEqualTo("kube-prometheus-stack");
        assertThat(path(rule, "metadata.namespace").toString()).isEqualTo(NAMESPACE);
        assertThat(names(alerts)).contains("SocsecSigningCertificateExpiresIn45Days", "SocsecSigningCertificateExpiresIn14Days")
                .doesNotContain("SocsecSigningCertificateExpiresIn30Days", "SocsecBcssCallsFailing");
        assertThat(path(alerts.get("SocsecStarTrustedCertificateExpiresIn45Days@wsb-receiver"), "expr").toString())
                .contains("< 45").contains(">= 14");
        assertThat(path(alerts.get("SocsecFeedReaderBehind@wsb-receiver"), "expr").toString()).endsWith("> 7200");
        assertThat(path(alerts.get("SocsecBcssCircuitOpen@bcss-proxy"), "for").toString()).isEqualTo("2m");
    }

    /** Typos and nonsense in the new blocks fail the render (values.schema.json, additionalProperties: false). */
    @Test
    void theSchemaRefusesTyposInTheNewBlocks() {
        Map<Map<String, Object>, String> typos = Map.of(
                Map.of("prometheusRule.certificate.warningDays", "30"), "certificate",
                Map.of("prometheusRule.circuitOpen.for", "soon"), "for",
                Map.of("prometheusRule.certificates.warningDays", "lots"), "warningDays",
                Map.of("grafanaDashboard.lable", "x"), "lable",
                Map.of("helmTest.image.digest", "latest"), "digest",
                Map.of("helmTest.image.registy", "example.org"), "registy",
                Map.of("helmTest.image.registry", "https://example.org"), "registry",
                Map.of("helmTest.resources.limits.memory", "lots"), "memory");
        typos.forEach((typo, named) -> assertThatThrownBy(() -> render(typo)).as("%s", typo)
                .hasMessageContaining(named));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Grafana dashboard

    @Test
    void theDashboardIsAConfigMapForTheSidecarWithARowPerServiceAndOnlyExportedScopedMetrics() throws Exception {
        List<Map<String, Object>> documents = render(Map.of("grafanaDashboard.enabled", "true",
                "grafanaDashboard.annotations.grafana_folder", "socsec-gateway"));
        Map<String, Object> configMap = resource(documents, "ConfigMap", HelmChartTest.RELEASE + "-socsec-gateway-dashboard");

        assertThat(path(configMap, "metadata.labels.grafana_dashboard").toString()).isEqualTo("1");
        assertThat(path(configMap, "metadata.annotations.grafana_folder").toString()).isEqualTo("socsec-gateway");
        assertThat(path(configMap, "metadata.namespace").toString()).isEqualTo(NAMESPACE);
        Map<String, Object> data = path(configMap, "data");
        assertThat(data).containsOnlyKeys("socsec-gateway.json");
        JsonNode dashboard = JSON.readTree((String) data.get("socsec-gateway.json"));

        assertThat(dashboard.path("uid").asText()).hasSizeBetween(1, 40);
        assertThat(dashboard.path("templating").path("list").get(0).path("type").asText()).isEqualTo("datasource");
        List<String> rows = new ArrayList<>();
        Map<String, Integer> statPanels = new HashMap<>();
        Set<Integer> ids = new TreeSet<>();
        String service = null;
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
            if (panel.path("type").asText().equals("row")) {
                service = panel.path("title").asText();
                rows.add(service);
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            for (JsonNode target : panel.path("targets")) {
                assertScopedAndExported(target.path("expr").asText(), service, service);
            }
            if (panel.path("type").asText().equals("stat")) {
                assertThat(panel.path("fieldConfig").path("defaults").path("unit").asText()).isEqualTo("d");
                statPanels.merge(service, 1, Integer::sum);
            }
        }
        assertThat(rows).containsExactlyElementsOf(HelmChartTest.ALL_SERVICES.stream()
                .sorted((a, b) -> Integer.compare(order(a), order(b))).toList());
        assertThat(statPanels).as("a certificate days-left panel per service").containsOnlyKeys(rows);
    }

    static int order(String service) {
        return List.of("token-broker", "bcss-proxy", "wsb-receiver", "dfdg-poller", "codelist-service").indexOf(service);
    }

    @Test
    void theSidecarLabelAndNamespaceAreConfigurableAndDisabledServicesHaveNoRow() throws Exception {
        List<Map<String, Object>> documents = render(Map.of("grafanaDashboard.enabled", "true",
                "grafanaDashboard.label", "dashboards", "grafanaDashboard.labelValue", "socsec",
                "grafanaDashboard.namespace", "monitoring", "dfdgPoller.enabled", "false"));
        Map<String, Object> configMap = resource(documents, "ConfigMap", HelmChartTest.RELEASE + "-socsec-gateway-dashboard");

        assertThat(path(configMap, "metadata.labels.dashboards").toString()).isEqualTo("socsec");
        assertThat((Map<String, Object>) path(configMap, "metadata.labels")).doesNotContainKey("grafana_dashboard");
        assertThat(path(configMap, "metadata.namespace").toString()).isEqualTo("monitoring");
        JsonNode dashboard = JSON.readTree((String) ((Map<String, Object>) path(configMap, "data")).get("socsec-gateway.json"));
        List<String> rows = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            if (p.path("type").asText().equals("row")) {
                rows.add(p.path("title").asText());
            }
        });
        assertThat(rows).containsExactly("token-broker", "bcss-proxy", "wsb-receiver", "codelist-service");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helm test

    /** The hook marker the copy of the chart renders instead of helm.sh/hook (helm template leaves hooks out). */
    static final String HOOK_MARKER = "socsec-gateway/rendered-helm-hook";

    /**
     * The chart and its helm test pods: helm template (and helm-java) print only the release manifest, never hooks,
     * so a copy of the chart gets one more template that renders the same pods (socsec.helmTestPods, which
     * templates/tests/readiness.yaml renders as hooks) with the annotation helm.sh/hook renamed to HOOK_MARKER.
     */
    static List<Map<String, Object>> renderWithTestPods(Map<String, Object> sets) {
        try {
            Path copy = Files.createTempDirectory("chart-with-test-pods").resolve("socsec-gateway");
            try (var files = Files.walk(HelmChartTest.CHART)) {
                for (Path source : files.toList()) {
                    Path target = copy.resolve(HelmChartTest.CHART.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target);
                    }
                }
            }
            Files.writeString(copy.resolve("templates/zz-rendered-test-pods.yaml"),
                    "{{ include \"socsec.helmTestPods\" . | replace \"helm.sh/hook:\" \"" + HOOK_MARKER + ":\" }}\n");
            TemplateCommand template = new Helm(copy).template().withName(HelmChartTest.RELEASE).withNamespace(NAMESPACE)
                    .withKubeVersion(HelmChartTest.KUBE_VERSION).withValuesFile(copy.resolve(HelmChartTest.SITE))
                    .withValuesFile(copy.resolve(VALUES));
            for (Map.Entry<String, Object> set : sets.entrySet()) {
                template = template.set(set.getKey(), set.getValue());
            }
            return documents(template.call());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Map<String, Object>> testPods(List<Map<String, Object>> documents) {
        return ofKind(documents, "Pod").stream()
                .filter(p -> {
                    Map<String, Object> annotations = path(p, "metadata.annotations");
                    return annotations != null && "test".equals(annotations.get(HOOK_MARKER));
                }).toList();
    }

    /** helm template itself never prints the test pods: they are hooks (helm test runs them). */
    @Test
    void theTestPodsAreHelmTestHooks() {
        assertThat(ofKind(render(Map.of()), "Pod")).isEmpty();
        assertThat(renderWithTestPods(Map.of())).filteredOn(d -> "Pod".equals(d.get("kind")))
                .allSatisfy(pod -> assertThat((Map<String, Object>) path(pod, "metadata.annotations"))
                        .containsEntry(HOOK_MARKER, "test")
                        .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded"));
    }

    @Test
    void helmTestPodsAskEachServicesReadinessOnItsManagementPortWithTheRestrictedSettings() {
        List<Map<String, Object>> documents = renderWithTestPods(Map.of());
        List<Map<String, Object>> pods = testPods(documents);

        assertThat(pods).hasSize(HelmChartTest.ALL_SERVICES.size());
        for (String service : HelmChartTest.ALL_SERVICES) {
            Map<String, Object> pod = resource(documents, "Pod", service + "-test-ready");
            Map<String, Object> serviceResource = resource(documents, "Service", service);
            Object managementPort = list(serviceResource, "spec.ports").stream()
                    .filter(p -> "management".equals(p.get("name"))).findFirst().orElseThrow().get("port");
            assertThat(list(pod, "spec.containers")).hasSize(1);
            Map<String, Object> container = list(pod, "spec.containers").get(0);
            List<String> command = path(container, "command");

            assertThat(command).first().isEqualTo("curl");
            assertThat(command).contains("--fail")
                    .last().isEqualTo("http://" + service + "." + NAMESPACE + ".svc:" + managementPort + "/q/health/ready");
            assertThat(path(container, "image").toString()).isEqualTo("registry.example.org/curlimages/curl:8.11.1"); // the site registry (values-site.yaml)
            assertThat(path(pod, "spec.restartPolicy").toString()).isEqualTo("Never");
            assertThat((Object) path(pod, "spec.automountServiceAccountToken")).isEqualTo(false);
            assertThat((Object) path(pod, "spec.securityContext.runAsNonRoot")).isEqualTo(true);
            assertThat(path(pod, "spec.securityContext.seccompProfile.type").toString()).isEqualTo("RuntimeDefault");
            assertThat((Object) path(container, "securityContext.runAsNonRoot")).isEqualTo(true);
            assertThat((Object) path(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
            assertThat((Object) path(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
            assertThat((List<String>) path(container, "securityContext.capabilities.drop")).containsExactly("ALL");
            assertThat((Map<String, Object>) path(container, "resources.limits")).containsKeys("cpu", "memory");
        }
    }

    /** Issue: from inside the namespace. The NetworkPolicies let exactly these pods reach the management port. */
    @Test
    void theNetworkPoliciesLetTheTestPodsReachTheManagementPortsOnly() {
        List<Map<String, Object>> documents = renderWithTestPods(Map.of());
        List<Map<String, Object>> pods = testPods(documents);

        for (String service : HelmChartTest.ALL_SERVICES) {
            Map<String, Object> policy = resource(documents, "NetworkPolicy", service);
            Map<String, Object> pod = resource(documents, "Pod", service + "-test-ready");
            Map<String, Object> podLabels = path(pod, "metadata.labels");
            int management = (Integer) path(resource(documents, "Deployment", service),
                    "spec.template.spec.containers.0.ports.1.containerPort");

            List<Map<String, Object>> admitting = list(policy, "spec.ingress").stream()
                    .filter(rule -> list(rule, "from").stream().anyMatch(peer -> Map.of("kubernetes.io/metadata.name", NAMESPACE)
                            .equals(path(peer, "namespaceSelector.matchLabels"))
                            && peer.get("ipBlock") == null && matches(path(peer, "podSelector.matchLabels"), podLabels)))
                    .toList();
            assertThat(admitting).as(service).hasSize(1);
            assertThat(list(admitting.get(0), "ports")).as(service)
                    .containsExactly(Map.of("protocol", "TCP", "port", management));
            // the test pods are no pods of the service: not selected by its Service, Deployment or policy
            Map<String, Object> serviceSelector = path(policy, "spec.podSelector.matchLabels");
            assertThat(matches(serviceSelector, podLabels)).as(service).isFalse();
        }
        assertThat(pods).allSatisfy(p -> assertThat((Map<String, Object>) path(p, "metadata.labels"))
                .containsEntry("socsec-gateway/helm-test", "true")
                .containsEntry("app.kubernetes.io/instance", HelmChartTest.RELEASE));
    }

    static boolean matches(Map<String, Object> selector, Map<String, Object> labels) {
        return selector != null && !selector.isEmpty()
                && selector.entrySet().stream().allMatch(e -> String.valueOf(e.getValue()).equals(String.valueOf(labels.get(e.getKey()))));
    }

    @Test
    void helmTestImageIsConfigurableByDigestAndTheTestsCanBeTurnedOff() {
        String digest = "sha256:" + "ab".repeat(32);
        List<Map<String, Object>> byDigest = renderWithTestPods(Map.of("helmTest.image.registry", "mirror.example.org:5000/tools",
                "helmTest.image.repository", "curl", "helmTest.image.digest", digest, "dfdgPoller.enabled", "false"));
        assertThat(testPods(byDigest)).hasSize(HelmChartTest.ALL_SERVICES.size() - 1)
                .allSatisfy(p -> assertThat(path(p, "spec.containers.0.image").toString())
                        .isEqualTo("mirror.example.org:5000/tools/curl@" + digest));

        List<Map<String, Object>> off = renderWithTestPods(Map.of("helmTest.enabled", "false"));
        assertThat(testPods(off)).isEmpty();
        for (Map<String, Object> policy : ofKind(off, "NetworkPolicy")) {
            assertThat(String.valueOf((Object) path(policy, "spec.ingress"))).doesNotContain("socsec-gateway/helm-test");
        }
    }
}
