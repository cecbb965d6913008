package org.socsecgateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

/**
 * Lints and renders the socsec-gateway chart with the real Helm engine (helm-java) for every values file and checks
 * what the services rely on: configuration, Secret mounts, the proxy's projected token, wsb-receiver's webhook Service,
 * TLS mounts and database Secret, probes, hardening, network policies, and that environments differ only by values.
 */
class HelmChartTest {

    static final Path CHART = Path.of(System.getProperty("helm.chart.dir", "charts/socsec-gateway")).toAbsolutePath();
    static final Path ARGOCD = CHART.getParent().getParent().resolve("argocd");
    static final String RELEASE = "socsec-gateway";
    static final String NAMESPACE = "socsec";
    static final List<String> ENVIRONMENTS = List.of("test", "acpt", "prod");
    /** What differs per site (registry, API server and database addresses); passed before every environment file. */
    static final String SITE = "values-site.yaml";
    /** The chart needs Kubernetes 1.30 (kubeVersion); Argo CD and helm install pass the cluster's version. */
    static final String KUBE_VERSION = "1.31.0";
    /** The services with an API (caller authentication, http + management Service). */
    static final List<String> SERVICES = List.of("token-broker", "bcss-proxy", "wsb-receiver", CodeListServiceChartTest.CODELIST);
    /** dfdg-poller: no API, one replica, management-only Service (DfdgPollerChartTest). */
    static final String POLLER = "dfdg-poller";
    static final List<String> ALL_SERVICES = List.of("token-broker", "bcss-proxy", "wsb-receiver", POLLER,
            CodeListServiceChartTest.CODELIST);
    static final YAMLMapper YAML = new YAMLMapper();

    /** Rendered output per values file ("" = chart defaults), rendered once. */
    static final Map<String, String> OUTPUT = new ConcurrentHashMap<>();

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    /** Renders with values-site.yaml, then valuesFile ("" = none), then the sets. */
    static String render(String valuesFile, Map<String, Object> sets) {
        return render(RELEASE, NAMESPACE, List.of(SITE, valuesFile), sets);
    }

    /** Renders with the given values files in order ("" entries skipped) and sets. */
    static String render(String release, String namespace, List<String> valuesFiles, Map<String, Object> sets) {
        TemplateCommand template = new Helm(CHART).template().withName(release).withNamespace(namespace)
                .withKubeVersion(KUBE_VERSION);
        for (String valuesFile : valuesFiles) {
            if (!valuesFile.isEmpty()) {
                template = template.withValuesFile(valuesFile.startsWith("/") ? Path.of(valuesFile) : CHART.resolve(valuesFile));
            }
        }
        return callWith(template, sets);
    }

    static String callWith(TemplateCommand template, Map<String, Object> sets) {
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        return template.call();
    }

    /** Renders values-site.yaml, valuesFile, then a values overlay given as YAML text (for lists and nulls). */
    static String renderOverlay(String valuesFile, String overlayYaml) {
        try {
            Path overlay = Files.createTempFile("socsec-values-", ".yaml");
            try {
                Files.writeString(overlay, overlayYaml);
                return render(RELEASE, NAMESPACE, List.of(SITE, valuesFile, overlay.toString()), Map.of());
            } finally {
                Files.deleteIfExists(overlay);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String rendered(String valuesFile) {
        return OUTPUT.computeIfAbsent(valuesFile, file -> render(file, Map.of()));
    }

    static String renderedEnv(String environment) {
        return rendered("values-" + environment + ".yaml");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String output) {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> iterator = YAML.readerFor(new TypeReference<Map<String, Object>>() {
        }).readValues(output)) {
            while (iterator.hasNext()) {
                Map<String, Object> document = iterator.next();
                if (document != null && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rendered chart is not valid YAML", e);
        }
        return documents;
    }

    static Map<String, Object> resource(List<Map<String, Object>> documents, String kind, String name) {
        return documents.stream()
                .filter(d -> kind.equals(d.get("kind")) && name.equals(path(d, "metadata.name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    /** Dotted path into nested maps; a numeric segment indexes a list. */
    @SuppressWarnings("unchecked")
    static <T> T path(Object node, String dotted) {
        Object current = node;
        for (String segment : dotted.split("\\.")) {
            if (current == null) {
                return null;
            }
            if (current instanceof List<?> list) {
                current = list.get(Integer.parseInt(segment));
            } else {
                current = ((Map<String, Object>) current).get(segment);
            }
        }
        return (T) current;
    }

    /** {@link #path} without a type to infer, for assertThat(Object). */
    static Object value(Object node, String dotted) {
        return path(node, dotted);
    }

    static String configText(Map<String, Object> configMap) {
        Map<String, Object> data = path(configMap, "data");
        return data == null ? null : (String) data.get("application.properties");
    }

    static List<Map<String, Object>> list(Object node, String dotted) {
        List<Map<String, Object>> list = path(node, dotted);
        return list == null ? List.of() : list;
    }

    static Map<String, Object> named(List<Map<String, Object>> items, String name) {
        return items.stream().filter(i -> name.equals(i.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no entry named " + name + " in " + items));
    }

    static Properties applicationProperties(List<Map<String, Object>> documents, String service) {
        String text = configText(resource(documents, "ConfigMap", service + "-config"));
        assertThat(text).as("application.properties of %s", service).isNotBlank();
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    static Map<String, Object> container(Map<String, Object> deployment) {
        List<Map<String, Object>> containers = list(deployment, "spec.template.spec.containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    static String env(Map<String, Object> container, String name) {
        return (String) named(list(container, "env"), name).get("value");
    }

    /** Flattens a document to path -> scalar, so two renderings can be compared leaf by leaf. */
    static void flatten(String prefix, Object node, Map<String, Object> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix + "/" + k, v, into));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Object item = list.get(i);
                String key = item instanceof Map<?, ?> m && m.get("name") != null ? String.valueOf(m.get("name")) : String.valueOf(i);
                flatten(prefix + "[" + key + "]", item, into);
            }
        } else {
            into.put(prefix, node);
        }
    }

    static Map<String, Object> flattenAll(List<Map<String, Object>> documents) {
        Map<String, Object> flat = new TreeMap<>();
        for (Map<String, Object> d : documents) {
            flatten(d.get("kind") + ":" + path(d, "metadata.name"), d, flat);
        }
        return flat;
    }

    static ObjectNode merge(ObjectNode base, JsonNode overlay) {
        for (Map.Entry<String, JsonNode> field : overlay.properties()) {
            JsonNode existing = base.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue().isObject()) {
                merge(existingObject, field.getValue());
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
        return base;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // lint

    /**
     * helm lint --strict with each values file. The lint API lints a chart with its own values.yaml, so the
     * environment file is merged over values.yaml (Helm's own merge rules: maps deep, everything else replaced) in a
     * copy of the chart.
     */
    @ParameterizedTest
    @ValueSource(strings = { "values.yaml", "values-test.yaml", "values-acpt.yaml", "values-prod.yaml" })
    void lintPassesStrict(String valuesFile, @TempDir Path tmp) throws IOException {
        Path chart = tmp.resolve("socsec-gateway");
        copyTree(CHART, chart);
        ObjectNode values = (ObjectNode) YAML.readTree(CHART.resolve("values.yaml").toFile());
        merge(values, YAML.readTree(CHART.resolve(SITE).toFile()));
        if (!valuesFile.equals("values.yaml")) {
            merge(values, YAML.readTree(CHART.resolve(valuesFile).toFile()));
        }
        YAML.writeValue(chart.resolve("values.yaml").toFile(), values);

        LintResult result = new Helm(chart).lint().strict().call();

        assertThat(result.isFailed()).as("helm lint --strict with %s: %s", valuesFile, result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // render

    @ParameterizedTest
    @ValueSource(strings = { "", "values-test.yaml", "values-acpt.yaml", "values-prod.yaml" })
    void rendersEveryServiceCompletely(String valuesFile) {
        List<Map<String, Object>> documents = documents(rendered(valuesFile));

        for (String service : SERVICES) {
            Map<String, Object> deployment = resource(documents, "Deployment", service);
            assertThat(path(deployment, "metadata.namespace").toString()).isEqualTo(NAMESPACE);
            assertThat(path(deployment, "spec.template.spec.serviceAccountName").toString()).isEqualTo(service);
            resource(documents, "ServiceAccount", service);
            resource(documents, "NetworkPolicy", service);

            Map<String, Object> labels = path(deployment, "spec.selector.matchLabels");
            Map<String, Object> serviceResource = resource(documents, "Service", service);
            assertThat(path(serviceResource, "spec.selector").toString()).isEqualTo(labels.toString());
            assertThat(list(serviceResource, "spec.ports")).extracting(p -> p.get("name")).containsExactly("http", "management");

            // the ConfigMap is mounted and QUARKUS_CONFIG_LOCATIONS points at its application.properties
            Map<String, Object> container = container(deployment);
            Map<String, Object> configVolume = named(list(deployment, "spec.template.spec.volumes"), "config");
            assertThat(path(configVolume, "configMap.name").toString()).isEqualTo(service + "-config");
            String mountPath = (String) named(list(container, "volumeMounts"), "config").get("mountPath");
            assertThat(env(container, "QUARKUS_CONFIG_LOCATIONS")).isEqualTo(mountPath + "/application.properties");
            assertThat(path(deployment, "spec.template.metadata.annotations.checksum/config").toString()).hasSize(64);

            // Loaded through QUARKUS_CONFIG_LOCATIONS the file would rank with environment variables (300); its own
            // ordinal keeps it above the built-in application.properties (250) and below env (300) and -D (400).
            Properties properties = applicationProperties(documents, service);
            assertThat(Integer.parseInt(properties.getProperty("config_ordinal"))).as("config_ordinal of %s", service).isBetween(251, 299);
            // one junk kid must not hide a rotated issuer key for the library's default 30 minutes
            assertThat(properties.getProperty("smallrye.jwt.jwks.forced-refresh-interval")).isEqualTo("1");
        }
        assertThat(ofKind(documents, "Deployment")).extracting(d -> path(d, "metadata.name"))
                .containsExactlyInAnyOrderElementsOf(ALL_SERVICES);
        assertThat(ofKind(documents, "Secret")).as("the chart never creates Secrets").isEmpty();
    }

    @Test
    void prodConfigurationSelectsProd() {
        List<Map<String, Object>> documents = documents(renderedEnv("prod"));
        Properties broker = applicationProperties(documents, "token-broker");
        Properties proxy = applicationProperties(documents, "bcss-proxy");

        assertThat(renderedEnv("prod")).contains("broker.environment=prod");
        assertThat(broker.getProperty("broker.environment")).isEqualTo("prod");
        assertThat(broker.getProperty("broker.channel")).isEqualTo("extranet");
        assertThat(broker.getProperty("broker.client.id")).isNotBlank();
        assertThat(proxy.getProperty("proxy.environment")).isEqualTo("prod");

        // ports and caller authentication as the services' READMEs say
        assertThat(broker.getProperty("quarkus.http.port")).isEqualTo("8081");
        assertThat(broker.getProperty("quarkus.management.port")).isEqualTo("9001");
        assertThat(proxy.getProperty("quarkus.http.port")).isEqualTo("8082");
        assertThat(proxy.getProperty("quarkus.management.port")).isEqualTo("9002");
        assertThat(broker.getProperty("mp.jwt.verify.audiences")).isEqualTo("token-broker.socsec-gateway.socsec");
        assertThat(proxy.getProperty("mp.jwt.verify.audiences")).isEqualTo("bcss-proxy.socsec-gateway.socsec");
        for (Properties p : List.of(broker, proxy)) {
            assertThat(p.getProperty("mp.jwt.verify.issuer")).isEqualTo("https://kubernetes.default.svc.cluster.local");
            assertThat(p.getProperty("mp.jwt.verify.publickey.location")).isEqualTo("https://kubernetes.default.svc/openid/v1/jwks");
        }

        // the broker lets the chart's proxy ask for exactly the scopes of the proxy's APIs
        assertThat(broker.getProperty("broker.callers[0].subject")).isEqualTo("system:serviceaccount:socsec:bcss-proxy");
        Set<String> proxyScopes = proxy.stringPropertyNames().stream()
                .filter(k -> k.matches("proxy\\.apis\\.[^.]+\\.scopes"))
                .flatMap(k -> Stream.of(proxy.getProperty(k).split(",")))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(proxyScopes).isNotEmpty();
        assertThat(Set.of(broker.getProperty("broker.callers[0].scopes").split(","))).isEqualTo(proxyScopes);
        assertThat(Set.of(broker.getProperty("broker.client.scopes").split(","))).containsAll(proxyScopes);

        // the broker URL is the chart's token-broker Service
        Map<String, Object> brokerService = resource(documents, "Service", "token-broker");
        int brokerPort = ((Number) named(list(brokerService, "spec.ports"), "http").get("port")).intValue();
        assertThat(proxy.getProperty("proxy.broker.url")).isEqualTo("http://token-broker." + NAMESPACE + ".svc:" + brokerPort);
    }

    @Test
    void signingKeyIsMountedReadOnlyOnlyIntoTheBroker() {
        List<Map<String, Object>> documents = documents(renderedEnv("prod"));
        Map<String, Object> broker = resource(documents, "Deployment", "token-broker");
        Properties properties = applicationProperties(documents, "token-broker");

        Map<String, Object> volume = named(list(broker, "spec.template.spec.volumes"), "signing-key");
        assertThat(path(volume, "secret.secretName").toString()).isEqualTo("bcss-signing-key-prod");
        Map<String, Object> mount = named(list(container(broker), "volumeMounts"), "signing-key");
        assertThat(mount.get("readOnly")).isEqualTo(true);
        assertThat(properties.getProperty("broker.key.pem-key")).startsWith(mount.get("mountPath") + "/");
        assertThat(properties.getProperty("broker.key.pem-cert")).startsWith(mount.get("mountPath") + "/");

        Map<String, Object> proxy = resource(documents, "Deployment", "bcss-proxy");
        assertThat(list(proxy, "spec.template.spec.volumes"))
                .noneMatch(v -> "bcss-signing-key-prod".equals(path(v, "secret.secretName")));
    }

    @Test
    void pkcs12PasswordComesFromTheSecretNeverFromTheConfigMap() {
        String output = render("values-prod.yaml", Map.of("tokenBroker.signingKey.format", "pkcs12"));
        List<Map<String, Object>> documents = documents(output);
        Properties properties = applicationProperties(documents, "token-broker");

        assertThat(properties.getProperty("broker.key.p12-path")).isEqualTo("/etc/socsec-gateway/signing-key/keystore.p12");
        assertThat(properties.getProperty("broker.key.p12-password")).isEqualTo("${BROKER_KEY_P12_PASSWORD}");
        Map<String, Object> password = named(list(container(resource(documents, "Deployment", "token-broker")), "env"),
                "BROKER_KEY_P12_PASSWORD");
        assertThat(password).doesNotContainKey("value");
        assertThat(path(password, "valueFrom.secretKeyRef.name").toString()).isEqualTo("bcss-signing-key-prod");
        assertThat(path(password, "valueFrom.secretKeyRef.key").toString()).isEqualTo("password");
    }

    @Test
    void proxyHasItsClientCertificateAndAProjectedTokenForTheBroker() {
        List<Map<String, Object>> documents = documents(renderedEnv("prod"));
        Map<String, Object> proxy = resource(documents, "Deployment", "bcss-proxy");
        Properties properties = applicationProperties(documents, "bcss-proxy");
        List<Map<String, Object>> volumes = list(proxy, "spec.template.spec.volumes");
        List<Map<String, Object>> mounts = list(container(proxy), "volumeMounts");

        Map<String, Object> token = path(named(volumes, "broker-token"), "projected.sources.0.serviceAccountToken");
        assertThat(token).containsEntry("audience", "token-broker.socsec-gateway.socsec").containsEntry("expirationSeconds", 3600);
        String tokenFile = named(mounts, "broker-token").get("mountPath") + "/" + token.get("path");
        assertThat(tokenFile).isEqualTo("/var/run/secrets/tokens/token-broker");
        assertThat(properties.getProperty("proxy.broker.token-file")).isEqualTo(tokenFile);
        // the broker accepts exactly this audience
        assertThat(applicationProperties(documents, "token-broker").getProperty("mp.jwt.verify.audiences"))
                .isEqualTo(token.get("audience"));

        assertThat(path(named(volumes, "bcss-client"), "secret.secretName").toString()).isEqualTo("bcss-client-cert-prod");
        String certDir = (String) named(mounts, "bcss-client").get("mountPath");
        assertThat(named(mounts, "bcss-client").get("readOnly")).isEqualTo(true);
        assertThat(properties.getProperty("quarkus.tls.bcss-gateway.key-store.pem.0.cert")).isEqualTo(certDir + "/tls.crt");
        assertThat(properties.getProperty("quarkus.tls.bcss-gateway.key-store.pem.0.key")).isEqualTo(certDir + "/tls.key");
        // default trust: the JVM's
        assertThat(properties.stringPropertyNames()).noneMatch(k -> k.startsWith("quarkus.tls.bcss-gateway.trust-store"));
    }

    @Test
    void probesUseTheManagementPort() {
        List<Map<String, Object>> documents = documents(renderedEnv("prod"));
        Map<String, Integer> managementPorts = Map.of("token-broker", 9001, "bcss-proxy", 9002, "wsb-receiver", 9003,
                POLLER, 9004, CodeListServiceChartTest.CODELIST, 9005);
        managementPorts.forEach((service, port) -> {
            Map<String, Object> container = container(resource(documents, "Deployment", service));
            assertThat(((Number) named(list(container, "ports"), "management").get("containerPort")).intValue()).isEqualTo(port);
            assertThat(path(container, "livenessProbe.httpGet.path").toString()).isEqualTo("/q/health/live");
            assertThat(path(container, "readinessProbe.httpGet.path").toString()).isEqualTo("/q/health/ready");
            assertThat(path(container, "startupProbe.httpGet.path").toString()).isEqualTo("/q/health/started");
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat(path(container, probe + ".httpGet.port").toString()).as(probe).isEqualTo("management");
            }
            Map<String, Object> serviceResource = resource(documents, "Service", service);
            assertThat(((Number) named(list(serviceResource, "spec.ports"), "management").get("port")).intValue()).isEqualTo(port);
        });
    }

    @Test
    void podsAreHardened() {
        List<Map<String, Object>> documents = documents(renderedEnv("prod"));
        for (String service : ALL_SERVICES) {
            Map<String, Object> deployment = resource(documents, "Deployment", service);
            Map<String, Object> pod = path(deployment, "spec.template.spec");
            Map<String, Object> container = container(deployment);

            assertThat(value(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
            assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
            assertThat(value(container, "securityContext.runAsNonRoot")).isEqualTo(true);
            assertThat(value(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
            assertThat(value(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
            assertThat(path(container, "securityContext.capabilities.drop").toString()).isEqualTo("[ALL]");

            assertThat(named(list(pod, "volumes"), "tmp")).containsKey("emptyDir");
            assertThat(named(list(container, "volumeMounts"), "tmp").get("mountPath")).isEqualTo("/tmp");
            assertThat(list(container, "volumeMounts")).filteredOn(m -> !"tmp".equals(m.get("name")))
                    .allMatch(m -> Boolean.TRUE.equals(m.get("readOnly")));

            // a heap bounded by the container's memory limit (the poller's share is lower: its bench needs no more)
            assertThat(env(container, "JDK_JAVA_OPTIONS")).containsPattern("-XX:MaxRAMPercentage=(50|40)\\b")
                    .contains("-Dvertx.disableURIValidation=true");
            assertThat(path(container, "resources.requests.memory").toString()).isNotBlank();
            assertThat(path(container, "resources.limits.memory").toString()).isNotBlank();
            assertThat(path(container, "resources.requests.cpu").toString()).isNotBlank();
        }
        assertThat(ofKind(documents, "ServiceAccount")).allMatch(sa -> Boolean.FALSE.equals(sa.get("automountServiceAccountToken")));
    }

    @Test
    void noKeyMaterialIsRendered() {
        List<String> outputs = new ArrayList<>();
        outputs.add(rendered(""));
        ENVIRONMENTS.forEach(e -> outputs.add(renderedEnv(e)));
        outputs.add(render("values-prod.yaml", Map.of("tokenBroker.signingKey.format", "pkcs12")));
        outputs.add(render("values-prod.yaml", Map.of("dfdgPoller.clientCertificate.format", "pem")));
        for (String output : outputs) {
            assertThat(output).doesNotContain("PRIVATE KEY").doesNotContain("BEGIN CERTIFICATE");
            List<Map<String, Object>> documents = documents(output);
            assertThat(ofKind(documents, "Secret")).isEmpty();
            for (Map<String, Object> configMap : ofKind(documents, "ConfigMap")) {
                String properties = configText(configMap);
                assertThat(properties).doesNotContainPattern(Pattern.compile("(?m)^[^#]*password=(?!\\$\\{)"));
            }
        }
    }

    @Test
    void networkPoliciesLimitTrafficAndCanBeSwitchedOff() {
        List<Map<String, Object>> documents = documents(renderedEnv("prod"));

        Map<String, Object> broker = resource(documents, "NetworkPolicy", "token-broker");
        Map<String, Object> brokerApi = list(broker, "spec.ingress").get(0);
        assertThat(value(brokerApi, "ports.0.port")).isEqualTo(8081);
        assertThat(path(brokerApi, "from.0.podSelector.matchLabels").toString())
                .contains("app.kubernetes.io/name=bcss-proxy");
        Map<String, Object> brokerManagement = list(broker, "spec.ingress").get(1);
        assertThat(value(brokerManagement, "ports.0.port")).isEqualTo(9001);
        assertThat(path(brokerManagement, "from.0.namespaceSelector.matchLabels").toString())
                .isEqualTo("{kubernetes.io/metadata.name=monitoring}");
        assertThat(egressPorts(broker)).contains(53, 443);

        Map<String, Object> proxy = resource(documents, "NetworkPolicy", "bcss-proxy");
        assertThat(value(list(proxy, "spec.ingress").get(0), "ports.0.port")).isEqualTo(8082);
        assertThat(egressPorts(proxy)).contains(53, 4543, 8081);

        String internet = render("values-prod.yaml", Map.of("bcss.channel", "internet"));
        assertThat(egressPorts(resource(documents(internet), "NetworkPolicy", "bcss-proxy"))).contains(443).doesNotContain(4543);

        String off = render("values-prod.yaml", Map.of("networkPolicy.enabled", false));
        assertThat(ofKind(documents(off), "NetworkPolicy")).isEmpty();
    }

    static List<Integer> egressPorts(Map<String, Object> policy) {
        return list(policy, "spec.egress").stream()
                .flatMap(rule -> list(rule, "ports").stream())
                .map(p -> ((Number) p.get("port")).intValue())
                .toList();
    }

    @Test
    void serviceMonitorAndDisruptionBudgetAreOptional() {
        List<Map<String, Object>> test = documents(renderedEnv("test"));
        assertThat(ofKind(test, "ServiceMonitor")).isEmpty();
        assertThat(ofKind(test, "PodDisruptionBudget")).as("only wsb-receiver and codelist-service have more than one replica in test")
                .extracting(pdb -> path(pdb, "metadata.name")).containsExactlyInAnyOrder("wsb-receiver", CodeListServiceChartTest.CODELIST);
        assertThat(ofKind(documents(renderedEnv("prod")), "PodDisruptionBudget")).hasSize(4);
        assertThat(ofKind(documents(render("values-test.yaml", Map.of("wsbReceiver.replicaCount", 1,
                "codelistService.replicaCount", 1))), "PodDisruptionBudget")).isEmpty();

        List<Map<String, Object>> monitored = documents(render("values-test.yaml",
                Map.of("metrics.serviceMonitor.enabled", true)));
        assertThat(ofKind(monitored, "ServiceMonitor")).hasSize(ALL_SERVICES.size()).allSatisfy(sm -> {
            assertThat(path(sm, "spec.endpoints.0.port").toString()).isEqualTo("management");
            assertThat(path(sm, "spec.endpoints.0.path").toString()).isEqualTo("/q/metrics");
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // wsb-receiver

    static final Map<String, String> STAR_CERTIFICATES = Map.of(
            "test", "sys-org-star-test.cer", "acpt", "sys-org-star-test.cer", "prod", "sys-org-star.cer");
    static final Map<String, String> DFDG_ENVIRONMENTS = Map.of("test", "T10", "acpt", "T2", "prod", "prod");

    @ParameterizedTest
    @ValueSource(strings = { "test", "acpt", "prod" })
    void wsbReceiverHasItsTwoServicesDatabaseSecretAndWebhookTls(String environment) {
        List<Map<String, Object>> documents = documents(renderedEnv(environment));
        Map<String, Object> deployment = resource(documents, "Deployment", "wsb-receiver");
        Map<String, Object> container = container(deployment);
        Map<String, Object> selector = path(deployment, "spec.selector.matchLabels");
        assertThat(path(deployment, "metadata.labels.socsec-gateway/dfdg-environment").toString())
                .isEqualTo(DFDG_ENVIRONMENTS.get(environment));
        assertThat(((Number) path(deployment, "spec.replicas")).intValue()).isGreaterThanOrEqualTo(2);
        assertThat(path(container, "image").toString()).isEqualTo("registry.example.org/socsec-gateway/wsb-receiver:"
                + (environment.equals("prod") ? "0.1.0" : "0.1.0-SNAPSHOT"));

        // container ports: API, management, webhook
        Map<String, Integer> ports = list(container, "ports").stream()
                .collect(Collectors.toMap(p -> (String) p.get("name"), p -> ((Number) p.get("containerPort")).intValue()));
        assertThat(ports).containsExactlyInAnyOrderEntriesOf(Map.of("http", 8083, "management", 9003, "webhook", 8453));

        // internal Service: ClusterIP, API + management, never the webhook port
        Map<String, Object> internal = resource(documents, "Service", "wsb-receiver");
        assertThat(path(internal, "spec.type").toString()).isEqualTo("ClusterIP");
        assertThat(((Number) named(list(internal, "spec.ports"), "http").get("port")).intValue()).isEqualTo(8083);
        assertThat(list(internal, "spec.ports")).noneMatch(p -> "webhook".equals(p.get("targetPort")));

        // webhook Service: what STAR connects to, 443 -> the pod's webhook port
        Map<String, Object> webhook = resource(documents, "Service", "wsb-receiver-webhook");
        assertThat(path(webhook, "spec.type").toString()).isEqualTo("LoadBalancer");
        assertThat(path(webhook, "spec.externalTrafficPolicy").toString()).isEqualTo("Local");
        assertThat(path(webhook, "spec.selector").toString()).isEqualTo(selector.toString());
        assertThat(list(webhook, "spec.ports")).hasSize(1);
        assertThat(value(webhook, "spec.ports.0.port")).isEqualTo(443);
        assertThat(value(webhook, "spec.ports.0.targetPort")).isEqualTo("webhook");

        // the database only from the Secret, never in the ConfigMap
        String secret = "wsb-receiver-db-" + environment;
        Map<String, String> datasource = Map.of("QUARKUS_DATASOURCE_JDBC_URL", "url",
                "QUARKUS_DATASOURCE_USERNAME", "username", "QUARKUS_DATASOURCE_PASSWORD", "password");
        datasource.forEach((name, key) -> {
            Map<String, Object> env = named(list(container, "env"), name);
            assertThat(env).as(name).doesNotContainKey("value");
            assertThat(path(env, "valueFrom.secretKeyRef.name").toString()).isEqualTo(secret);
            assertThat(path(env, "valueFrom.secretKeyRef.key").toString()).isEqualTo(key);
        });
        Properties properties = applicationProperties(documents, "wsb-receiver");
        assertThat(properties.stringPropertyNames()).filteredOn(k -> k.startsWith("quarkus.datasource"))
                .as("only the pool size, never the connection").containsExactly("quarkus.datasource.jdbc.max-size");
        assertThat(configText(resource(documents, "ConfigMap", "wsb-receiver-config"))).doesNotContain("jdbc:");

        // webhook TLS: whole Secret directories (no subPath, so renewals arrive), read-only
        List<Map<String, Object>> volumes = list(deployment, "spec.template.spec.volumes");
        List<Map<String, Object>> mounts = list(container, "volumeMounts");
        assertThat(mounts).noneMatch(m -> m.containsKey("subPath"));
        assertThat(path(named(volumes, "webhook-tls"), "secret.secretName").toString()).isEqualTo("wsb-webhook-tls-" + environment);
        assertThat(path(named(volumes, "star-trust"), "secret.secretName").toString()).isEqualTo("wsb-star-trust-" + environment);
        assertThat(value(named(volumes, "star-trust"), "secret.items.0.key")).isEqualTo(STAR_CERTIFICATES.get(environment));
        String tlsDir = (String) named(mounts, "webhook-tls").get("mountPath");
        String trustDir = (String) named(mounts, "star-trust").get("mountPath");
        assertThat(named(mounts, "webhook-tls").get("readOnly")).isEqualTo(true);
        assertThat(named(mounts, "star-trust").get("readOnly")).isEqualTo(true);
        assertThat(properties.getProperty("quarkus.http.ssl-port")).isEqualTo("8453");
        assertThat(properties.getProperty("quarkus.tls.webhook.key-store.pem.0.cert")).isEqualTo(tlsDir + "/tls.crt");
        assertThat(properties.getProperty("quarkus.tls.webhook.key-store.pem.0.key")).isEqualTo(tlsDir + "/tls.key");
        assertThat(properties.getProperty("quarkus.tls.webhook.trust-store.pem.certs"))
                .isEqualTo(trustDir + "/" + STAR_CERTIFICATES.get(environment));
        assertThat(properties.getProperty("quarkus.tls.webhook.reload-period")).isEqualTo("1h");

        // caller authentication like the other services, audience wsb-receiver
        assertThat(properties.getProperty("quarkus.http.port")).isEqualTo("8083");
        assertThat(properties.getProperty("quarkus.management.port")).isEqualTo("9003");
        assertThat(properties.getProperty("mp.jwt.verify.audiences")).isEqualTo("wsb-receiver.socsec-gateway." + NAMESPACE);
        assertThat(properties.getProperty("mp.jwt.verify.issuer")).isEqualTo("https://kubernetes.default.svc.cluster.local");

        // wsb.* from the environment's values
        assertThat(properties.getProperty("wsb.webhook.endpoints[0].path")).isEqualTo("/wsb/akasse-58");
        assertThat(properties.getProperty("wsb.webhook.endpoints[0].authority")).isEqualTo("AKASSE:58");
        assertThat(properties.getProperty("wsb.webhook.max-message-size")).isEqualTo("256K");
        assertThat(properties.getProperty("wsb.ingest.callers")).isEqualTo("system:serviceaccount:" + NAMESPACE + ":dfdg-poller");
        assertThat(properties.getProperty("wsb.ingest.max-batch")).isEqualTo("500");
        assertThat(properties.getProperty("wsb.wsrm.receipt-readers")).as("only the ingest callers read receipts unless named").isNull();
        assertThat(properties.getProperty("wsb.feed.max-wait")).isEqualTo("60s");
        assertThat(properties.getProperty("wsb.feed.max-limit")).isEqualTo("1000");
        assertThat(properties.getProperty("wsb.readers[0].subject")).matches("system:serviceaccount:[a-z0-9-]+:case-handling");
        assertThat(Set.of(properties.getProperty("wsb.readers[0].types").split(","))).containsExactlyInAnyOrder("60010", "90000", "100008");
        assertThat(properties.getProperty("wsb.readers[0].authorities")).isEqualTo("AKASSE:58");
        assertThat(properties.getProperty("wsb.readers[1].subject")).endsWith(":archive");
        assertThat(properties.stringPropertyNames()).as("reader 1 reads everything")
                .doesNotContain("wsb.readers[1].types", "wsb.readers[1].authorities");
        assertThat(properties.getProperty("wsb.retention.events")).isEqualTo("30d");
        assertThat(properties.getProperty("wsb.retention.receipts")).isEqualTo("183d");
        // the example reader's authorities are those of the webhook endpoints
        Set<String> authorities = properties.stringPropertyNames().stream()
                .filter(k -> k.matches("wsb\\.webhook\\.endpoints\\[\\d+]\\.authority"))
                .map(properties::getProperty).collect(Collectors.toSet());
        assertThat(authorities).containsAll(List.of(properties.getProperty("wsb.readers[0].authorities").split(",")));
    }

    @Test
    void bcssProxyValuesReachItsProperties() {
        Properties defaults = applicationProperties(documents(rendered("values-prod.yaml")), "bcss-proxy");
        assertThat(defaults.stringPropertyNames()).as("nobody may run the connectivity test by default")
                .noneMatch(name -> name.startsWith("proxy.connectivity."));

        Properties properties = applicationProperties(documents(render("values-prod.yaml", Map.of(
                "bcssProxy.connectivity.operators[0]", "system:serviceaccount:socsec:operator",
                "bcssProxy.connectivity.operators[1]", "system:serviceaccount:ops:oncall",
                "bcssProxy.apis.demo.maxConcurrent", 128,
                "bcssProxy.apis.demo.maxQueued", 256,
                "bcssProxy.apis.demo.maxQueueWait", "2s"))), "bcss-proxy");
        assertThat(properties.getProperty("proxy.connectivity.operators"))
                .isEqualTo("system:serviceaccount:ops:oncall,system:serviceaccount:socsec:operator");
        assertThat(properties.getProperty("proxy.apis.demo.max-concurrent")).isEqualTo("128");
        assertThat(properties.getProperty("proxy.apis.demo.max-queued")).isEqualTo("256");
        assertThat(properties.getProperty("proxy.apis.demo.max-queue-wait")).isEqualTo("2s");
    }

    @Test
    void wsbReceiverValuesReachItsProperties() {
        List<Map<String, Object>> documents = documents(render("values-prod.yaml", Map.of(
                "wsbReceiver.webhook.pinnedSha256[0]", "AB:CD:" + "00:".repeat(29) + "EF",
                "wsbReceiver.webhook.endpoints[1].path", "/wsb/kommune-101",
                "wsbReceiver.webhook.endpoints[1].authority", "KOMMUNE:101",
                "wsbReceiver.ingest.callers[0]", "system:serviceaccount:dfdg:poller",
                "wsbReceiver.wsrm.receiptReaders[0]", "system:serviceaccount:ops:oncall",
                "wsbReceiver.wsrm.receiptReaders[1]", "system:serviceaccount:audit:reports",
                "wsbReceiver.feed.maxWait", "30s",
                "wsbReceiver.webhook.starTrust.kind", "ConfigMap",
                "wsbReceiver.webhook.starTrust.keys[1]", "star-ca.pem")));
        Properties properties = applicationProperties(documents, "wsb-receiver");
        assertThat(properties.getProperty("wsb.webhook.pinned-sha256")).isEqualTo("AB:CD:" + "00:".repeat(29) + "EF");
        assertThat(properties.getProperty("wsb.webhook.endpoints[1].path")).isEqualTo("/wsb/kommune-101");
        assertThat(properties.getProperty("wsb.webhook.endpoints[1].authority")).isEqualTo("KOMMUNE:101");
        // the configured callers, and the chart's poller
        assertThat(properties.getProperty("wsb.ingest.callers"))
                .isEqualTo("system:serviceaccount:dfdg:poller,system:serviceaccount:" + NAMESPACE + ":dfdg-poller");
        assertThat(properties.getProperty("wsb.wsrm.receipt-readers"))
                .isEqualTo("system:serviceaccount:audit:reports,system:serviceaccount:ops:oncall");
        assertThat(properties.getProperty("wsb.feed.max-wait")).isEqualTo("30s");
        assertThat(properties.getProperty("quarkus.tls.webhook.trust-store.pem.certs"))
                .isEqualTo("/etc/socsec-gateway/star-trust/sys-org-star.cer,/etc/socsec-gateway/star-trust/star-ca.pem");
        Map<String, Object> trust = named(list(resource(documents, "Deployment", "wsb-receiver"), "spec.template.spec.volumes"),
                "star-trust");
        assertThat(path(trust, "configMap.name").toString()).isEqualTo("wsb-star-trust-prod");
        assertThat(list(trust, "configMap.items")).extracting(i -> i.get("key")).containsExactly("sys-org-star.cer", "star-ca.pem");

        assertThat(properties.getProperty("wsb.webhook.allow-unpinned")).as("not unless asked for").isNull();
        Properties unpinned = applicationProperties(documents(renderOverlay("values-prod.yaml", """
                wsbReceiver:
                  webhook:
                    allowUnpinned: true
                    pinnedSha256: []
                    requirePin: false
                """)), "wsb-receiver");
        assertThat(unpinned.getProperty("wsb.webhook.allow-unpinned")).isEqualTo("true");
        assertThat(unpinned.getProperty("wsb.webhook.pinned-sha256")).isNull();
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("wsbReceiver.webhook.allowUnpinned", "yes")))
                .hasMessageContaining("allowUnpinned");

        // chart defaults: no endpoint and no reader, said so in the file
        Properties defaults = applicationProperties(documents(rendered("")), "wsb-receiver");
        assertThat(defaults.stringPropertyNames()).noneMatch(k -> k.startsWith("wsb.webhook.endpoints") || k.startsWith("wsb.readers"));
        assertThat(configText(resource(documents(rendered("")), "ConfigMap", "wsb-receiver-config")))
                .contains("every read is refused with 403");
    }

    @Test
    void wsbReceiverNetworkPolicyOpensOnlyItsPorts() {
        Map<String, Object> policy = resource(documents(renderedEnv("prod")), "NetworkPolicy", "wsb-receiver");
        List<Map<String, Object>> ingress = list(policy, "spec.ingress");
        Map<String, Object> pollerSelector = path(resource(documents(renderedEnv("prod")), "Deployment", POLLER),
                "spec.selector.matchLabels");
        Function<Integer, Map<String, Object>> rule = port -> ingress.stream()
                .filter(r -> list(r, "ports").stream().anyMatch(p -> port.equals(((Number) p.get("port")).intValue())))
                .findFirst().orElseThrow(() -> new AssertionError("no ingress rule for port " + port));
        // API, monitoring, the release's helm test pods (MonitoringChartTest), webhook
        assertThat(ingress).hasSize(4).allSatisfy(r -> assertThat(list(r, "ports")).hasSize(1));

        // API: dfdg-poller and the labelled readers only
        assertThat(path(rule.apply(8083), "from.0.podSelector.matchLabels").toString())
                .isEqualTo(new TreeMap<>(pollerSelector).toString());
        assertThat(list(rule.apply(8083), "from")).hasSize(3);
        // management: the monitoring namespace
        assertThat(path(rule.apply(9003), "from.0.namespaceSelector.matchLabels").toString())
                .isEqualTo("{kubernetes.io/metadata.name=monitoring}");
        // webhook: in prod only STAR's addresses (requireSourceRanges), elsewhere from anywhere (mutual TLS decides)
        assertThat(path(rule.apply(8453), "from").toString()).isEqualTo("[{ipBlock={cidr=192.0.2.16/28}}]");
        assertThat(list(resource(documents(renderedEnv("test")), "NetworkPolicy", "wsb-receiver"), "spec.ingress"))
                .anySatisfy(r -> assertThat(r).doesNotContainKey("from"));
        // egress: DNS, API server (JWKS), PostgreSQL
        assertThat(egressPorts(policy)).containsExactlyInAnyOrder(53, 53, 443, 6443, 5432);

        List<Map<String, Object>> narrowed = documents(render("values-prod.yaml", Map.of(
                "wsbReceiver.webhook.allowedCidrs[0]", "192.0.2.16/28",
                "wsbReceiver.networkPolicy.databaseCidrs[0]", "10.20.30.0/24")));
        Map<String, Object> narrowedPolicy = resource(narrowed, "NetworkPolicy", "wsb-receiver");
        Map<String, Object> webhookRule = list(narrowedPolicy, "spec.ingress").stream()
                .filter(r -> ((Number) value(r, "ports.0.port")).intValue() == 8453).findFirst().orElseThrow();
        assertThat(value(webhookRule, "from.0.ipBlock.cidr")).isEqualTo("192.0.2.16/28");
        Map<String, Object> database = list(narrowedPolicy, "spec.egress").stream()
                .filter(r -> ((Number) value(r, "ports.0.port")).intValue() == 5432).findFirst().orElseThrow();
        assertThat(value(database, "to.0.ipBlock.cidr")).isEqualTo("10.20.30.0/24");
        // the load balancer admits the same sources
        assertThat(path(resource(narrowed, "Service", "wsb-receiver-webhook"), "spec.loadBalancerSourceRanges").toString())
                .isEqualTo("[192.0.2.16/28]");
    }

    @Test
    void webhookServiceCanSitBehindATlsPassthroughIngress() {
        List<Map<String, Object>> documents = documents(render("values-prod.yaml", Map.of(
                "wsbReceiver.webhook.service.type", "ClusterIP",
                "wsbReceiver.webhook.service.annotations.example\\.org/owner", "dfdg",
                "wsbReceiver.webhook.allowedCidrs[0]", "192.0.2.16/28")));
        Map<String, Object> webhook = resource(documents, "Service", "wsb-receiver-webhook");
        assertThat(path(webhook, "spec.type").toString()).isEqualTo("ClusterIP");
        assertThat(path(webhook, "spec").toString()).doesNotContain("externalTrafficPolicy").doesNotContain("loadBalancerSourceRanges");
        assertThat(path(webhook, "metadata.annotations").toString())
                .isEqualTo("{argocd.argoproj.io/sync-options=Delete=false, example.org/owner=dfdg, helm.sh/resource-policy=keep}");
        assertThat(value(webhook, "spec.ports.0.targetPort")).isEqualTo("webhook");
    }

    @Test
    void missingDatabaseSecretFailsWithAHelpfulMessage() {
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("wsbReceiver.database.existingSecret", "")))
                .hasMessageContaining("wsbReceiver.database.existingSecret is required")
                .hasMessageContaining("jdbc:postgresql://")
                .hasMessageContaining("never creates it");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("wsbReceiver.webhook.tls.existingSecret", "")))
                .hasMessageContaining("wsbReceiver.webhook.tls.existingSecret is required");
    }

    @Test
    void wsbReceiverCanBeSwitchedOff() {
        // dfdg-poller posts to the chart's wsb-receiver: off with it (or given another ingest.url, DfdgPollerChartTest)
        String output = render("values-prod.yaml", Map.of("wsbReceiver.enabled", false, "dfdgPoller.enabled", false));
        List<Map<String, Object>> documents = documents(output);
        assertThat(output).doesNotContain("wsb-receiver").doesNotContain("wsb.");
        assertThat(documents).noneMatch(d -> "wsb-receiver".equals(path(d, "metadata.labels.app.kubernetes.io/name")));
        assertThat(ofKind(documents, "Deployment")).extracting(d -> path(d, "metadata.name"))
                .containsExactlyInAnyOrder("token-broker", "bcss-proxy", CodeListServiceChartTest.CODELIST);
        // a disabled receiver needs none of its values
        render("values-prod.yaml", Map.of("wsbReceiver.enabled", false, "dfdgPoller.enabled", false,
                "wsbReceiver.database.existingSecret", ""));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // environments differ only by values

    static final Set<String> ENVIRONMENT_KEYS = Set.of(
            "bcss.environment", "bcss.channel",
            "tokenBroker.replicaCount", "tokenBroker.clientId", "tokenBroker.signingKey.existingSecret",
            "bcssProxy.replicaCount", "bcssProxy.clientCertificate.existingSecret",
            "dfdg.environment", "wsbReceiver.replicaCount", "wsbReceiver.database.existingSecret",
            "wsbReceiver.webhook.tls.existingSecret", "wsbReceiver.webhook.starTrust.name", "wsbReceiver.webhook.starTrust.keys",
            "wsbReceiver.webhook.pinnedSha256", "wsbReceiver.webhook.allowedCidrs", "wsbReceiver.webhook.endpoints",
            "wsbReceiver.readers", "wsbReceiver.webhook.requirePin", "wsbReceiver.webhook.requireSourceRanges",
            "bcssProxy.networkPolicy.bcssCidrs", "image.tag", "image.refuseSnapshots", "tokenBroker.networkPolicy.egressCidrs",
            "wsbReceiver.networkPolicy.databaseCidrs", "wsbReceiver.networkPolicy.databasePeers",
            "codelistService.networkPolicy.databaseCidrs", "codelistService.networkPolicy.databasePeers",
            "dfdgPoller.dfdg.wsrmServiceUrl", "dfdgPoller.dfdg.allowedHosts", "dfdgPoller.caller.userIdentifier",
            "dfdgPoller.clientCertificate.existingSecret", "dfdgPoller.serverTrust.name", "dfdgPoller.networkPolicy.dfdgCidrs",
            "codelistService.replicaCount", "codelistService.dfdg.codeListServiceUrl", "codelistService.caller.userIdentifier",
            "codelistService.clientCertificate.existingSecret", "codelistService.serverTrust.name",
            "codelistService.database.existingSecret", "codelistService.networkPolicy.dfdgCidrs");

    static void leafKeys(String prefix, JsonNode node, Set<String> into) {
        if (node.isObject()) {
            node.properties().forEach(f -> leafKeys(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), into));
        } else {
            into.add(prefix);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "test", "acpt", "prod" })
    void environmentFilesSetOnlyEnvironmentKeys(String environment) throws IOException {
        Set<String> keys = new TreeSet<>();
        leafKeys("", YAML.readTree(CHART.resolve("values-" + environment + ".yaml").toFile()), keys);
        assertThat(keys).isSubsetOf(ENVIRONMENT_KEYS).contains("bcss.environment");
        assertThat(YAML.readTree(CHART.resolve("values-" + environment + ".yaml").toFile()).at("/bcss/environment").asText())
                .isEqualTo(environment);
    }

    /** Rendering test and prod: every difference is one of the environment's values or follows from it. */
    @Test
    void testAndProdRenderingsDifferOnlyWhereValuesDiffer() {
        List<Map<String, Object>> test = documents(renderedEnv("test"));
        List<Map<String, Object>> prod = documents(renderedEnv("prod"));

        Map<String, Object> flatTest = flattenAll(test);
        Map<String, Object> flatProd = flattenAll(prod);
        Set<String> differing = new TreeSet<>();
        for (String key : union(flatTest.keySet(), flatProd.keySet())) {
            if (!Objects.equals(flatTest.get(key), flatProd.get(key))) {
                differing.add(key);
            }
        }
        List<Pattern> expected = Stream.of(
                "^PodDisruptionBudget:.*", // only with more than one replica
                ".*/spec/replicas$",
                ".*/labels/socsec-gateway/(dfdg-)?environment$",
                ".*/annotations/checksum/config$",
                "^ConfigMap:[^/]+/data/application\\.properties$", // compared property by property below
                "^Deployment:.*/volumes\\[(signing-key|bcss-client|webhook-tls|star-trust|dfdg-client)\\]/secret/secretName$",
                "^Deployment:(dfdg-poller|codelist-service)/.*/volumes\\[dfdg-trust\\]/configMap/name$",
                "^Deployment:(dfdg-poller|codelist-service)/.*/env\\[DFDG_FOCES_P12_PASSWORD\\]/valueFrom/secretKeyRef/name$",
                "^Deployment:wsb-receiver/.*/volumes\\[star-trust\\]/secret/items\\[0\\]/(key|path)$",
                "^Deployment:(wsb-receiver|codelist-service)/.*/env\\[QUARKUS_DATASOURCE_[A-Z_]+\\]/valueFrom/secretKeyRef/name$",
                "^Deployment:[a-z-]+/spec/template/spec/containers\\[[a-z-]+\\]/image$", // prod: a released tag
                "^NetworkPolicy:(bcss-proxy|token-broker)/spec/egress\\[\\d+\\]/to\\[0\\]/ipBlock/cidr$", // BCSS's, Smals' addresses
                "^NetworkPolicy:wsb-receiver/spec/ingress\\[\\d+\\]/.*", // prod: STAR's addresses only on the webhook port
                "^Service:wsb-receiver-webhook/spec/loadBalancerSourceRanges.*")
                .map(Pattern::compile).toList();
        assertThat(differing).allMatch(k -> expected.stream().anyMatch(p -> p.matcher(k).matches()),
                "only environment-specific paths differ");

        assertThat(differingProperties(test, prod, "token-broker")).isSubsetOf("broker.environment", "broker.channel", "broker.client.id")
                .contains("broker.environment");
        assertThat(differingProperties(test, prod, "bcss-proxy")).containsExactly("proxy.environment");
        assertThat(differingProperties(test, prod, "wsb-receiver")).allMatch(k -> k.matches(
                "quarkus\\.tls\\.webhook\\.trust-store\\.pem\\.certs|wsb\\.webhook\\.pinned-sha256|wsb\\.readers\\[\\d+]\\.subject"))
                .contains("quarkus.tls.webhook.trust-store.pem.certs");
        assertThat(differingProperties(test, prod, POLLER)).containsExactlyInAnyOrder(
                "poller.dfdg.wsrm-service-url", "poller.dfdg.allowed-hosts", "dfdg.caller.user-identifier");
        assertThat(differingProperties(test, prod, CodeListServiceChartTest.CODELIST)).containsExactlyInAnyOrder(
                "codelist.dfdg.code-list-service-url", "dfdg.caller.user-identifier");
    }

    static Set<String> differingProperties(List<Map<String, Object>> a, List<Map<String, Object>> b, String service) {
        Properties left = applicationProperties(a, service);
        Properties right = applicationProperties(b, service);
        return union(left.stringPropertyNames(), right.stringPropertyNames()).stream()
                .filter(k -> !Objects.equals(left.getProperty(k), right.getProperty(k)))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new TreeSet<>(a);
        union.addAll(b);
        return union;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // guard rails and GitOps

    @Test
    void invalidValuesAreRefused() {
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("bcss.environment", "staging")))
                .hasMessageContaining("bcss");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("tokenBroker.signingKey.existingSecret", "")))
                .hasMessageContaining("existingSecret");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("bcssProxy.callers[0].subject", "system:serviceaccount:a:b",
                "bcssProxy.callers[0].apis[0]", "not-allow-listed")))
                .hasMessageContaining("not-allow-listed");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("dfdg.environment", "staging")))
                .hasMessageContaining("dfdg");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("wsbReceiver.webhook.endpoints[0].path", "wsb/no-slash")))
                .hasMessageContaining("path");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("wsbReceiver.webhook.endpoints[1].path", "/wsb/akasse-58",
                "wsbReceiver.webhook.endpoints[1].authority", "AKASSE:59")))
                .hasMessageContaining("configured twice");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("wsbReceiver.webhook.service.type", "ExternalName")))
                .hasMessageContaining("type");
    }

    @Test
    void argoCdApplicationsUseTheChartWithTheirEnvironmentsValues() throws IOException {
        Map<String, Map<String, Object>> applications = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(ARGOCD)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                Map<String, Object> application = documents(Files.readString(file)).get(0);
                if ("Application".equals(application.get("kind"))) {
                    applications.put(file.getFileName().toString(), application);
                }
            }
        }
        assertThat(applications).hasSize(ENVIRONMENTS.size());
        Function<String, Map<String, Object>> byEnvironment = env -> applications.values().stream()
                .filter(a -> env.equals(path(a, "metadata.labels.socsec-gateway/environment")))
                .findFirst().orElseThrow(() -> new AssertionError("no Argo CD application for " + env));
        for (String environment : ENVIRONMENTS) {
            Map<String, Object> application = byEnvironment.apply(environment);
            assertThat(application.get("kind")).isEqualTo("Application");
            assertThat(path(application, "spec.source.path").toString()).isEqualTo("deploy/charts/socsec-gateway");
            List<String> valueFiles = path(application, "spec.source.helm.valueFiles");
            assertThat(valueFiles).containsExactly(SITE, "values-" + environment + ".yaml");
            assertThat(valueFiles).allSatisfy(file -> assertThat(CHART.resolve(file)).exists());
        }
    }
}
