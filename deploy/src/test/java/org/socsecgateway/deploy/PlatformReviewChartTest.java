package org.socsecgateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.socsecgateway.deploy.HelmChartTest.ALL_SERVICES;
import static org.socsecgateway.deploy.HelmChartTest.ARGOCD;
import static org.socsecgateway.deploy.HelmChartTest.CHART;
import static org.socsecgateway.deploy.HelmChartTest.ENVIRONMENTS;
import static org.socsecgateway.deploy.HelmChartTest.NAMESPACE;
import static org.socsecgateway.deploy.HelmChartTest.POLLER;
import static org.socsecgateway.deploy.HelmChartTest.RELEASE;
import static org.socsecgateway.deploy.HelmChartTest.SITE;
import static org.socsecgateway.deploy.HelmChartTest.YAML;
import static org.socsecgateway.deploy.HelmChartTest.applicationProperties;
import static org.socsecgateway.deploy.HelmChartTest.container;
import static org.socsecgateway.deploy.HelmChartTest.documents;
import static org.socsecgateway.deploy.HelmChartTest.env;
import static org.socsecgateway.deploy.HelmChartTest.list;
import static org.socsecgateway.deploy.HelmChartTest.ofKind;
import static org.socsecgateway.deploy.HelmChartTest.path;
import static org.socsecgateway.deploy.HelmChartTest.render;
import static org.socsecgateway.deploy.HelmChartTest.renderOverlay;
import static org.socsecgateway.deploy.HelmChartTest.rendered;
import static org.socsecgateway.deploy.HelmChartTest.renderedEnv;
import static org.socsecgateway.deploy.HelmChartTest.resource;
import static org.socsecgateway.deploy.HelmChartTest.value;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;

/**
 * The chart as a platform team reviews it (issue 12, section 3), each finding checked on the output of the real Helm
 * engine: egress bound to destinations, images, graceful shutdown, JVM options, spreading, memory, the prod webhook,
 * the strict values schema, environments isolated in a shared cluster, GitOps, and the smaller points.
 */
class PlatformReviewChartTest {

    static final List<String> VALUES_FILES = List.of("", "values-test.yaml", "values-acpt.yaml", "values-prod.yaml");
    static final Map<String, String> BCSS_ADDRESSES = Map.of("test", "85.91.184.96/32", "acpt", "85.91.184.103/32",
            "prod", "85.91.184.102/32");
    /** The services whose pods mount key material. */
    static final List<String> KEY_HOLDERS = List.of("token-broker", "bcss-proxy", "wsb-receiver", POLLER, CodeListServiceChartTest.CODELIST);

    static List<Map<String, Object>> deployments(List<Map<String, Object>> documents) {
        return ofKind(documents, "Deployment");
    }

    static String name(Map<String, Object> resource) {
        return path(resource, "metadata.name");
    }

    static Map<String, Object> annotations(Map<String, Object> resource) {
        Map<String, Object> annotations = path(resource, "metadata.annotations");
        return annotations == null ? Map.of() : annotations;
    }

    static int number(Object node, String dotted) {
        return ((Number) path(node, dotted)).intValue();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // egress

    /** No egress rule of any policy, in any environment, is "any address on port X": every rule names its peers. */
    @ParameterizedTest
    @ValueSource(strings = { "", "values-test.yaml", "values-acpt.yaml", "values-prod.yaml" })
    void everyEgressRuleHasADestination(String valuesFile) {
        List<Map<String, Object>> policies = ofKind(documents(rendered(valuesFile)), "NetworkPolicy");
        assertThat(policies).hasSize(ALL_SERVICES.size());
        for (Map<String, Object> policy : policies) {
            assertThat(list(policy, "spec.egress")).as("egress of %s", name(policy))
                    .isNotEmpty()
                    .allSatisfy(rule -> assertThat(list(rule, "to")).as("destination of a rule of %s", name(policy)).isNotEmpty());
        }
        // the siblings: the internet channel, another port list, narrowed database peers
        for (String output : List.of(render(valuesFile, Map.of("bcss.channel", "internet")),
                render(valuesFile, Map.of("bcssProxy.networkPolicy.bcssPorts[0]", 8443)),
                renderOverlay(valuesFile, """
                        wsbReceiver:
                          networkPolicy:
                            databaseCidrs: []
                            databasePeers:
                              - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: postgres}}
                        """))) {
            assertThat(ofKind(documents(output), "NetworkPolicy")).allSatisfy(policy -> assertThat(list(policy, "spec.egress"))
                    .allSatisfy(rule -> assertThat(list(rule, "to")).isNotEmpty()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "test", "acpt", "prod" })
    void bcssProxyReachesOnlyItsEnvironmentsEntryPoint(String environment) {
        Map<String, Object> policy = resource(documents(renderedEnv(environment)), "NetworkPolicy", "bcss-proxy");
        List<Map<String, Object>> bcss = list(policy, "spec.egress").stream()
                .filter(r -> number(r, "ports.0.port") == 4543).toList();
        assertThat(bcss).hasSize(1);
        assertThat(list(bcss.get(0), "to")).extracting(p -> path(p, "ipBlock.cidr")).containsExactly(BCSS_ADDRESSES.get(environment));
        assertThat(list(bcss.get(0), "ports")).hasSize(1);
        // no other rule opens 4543, and without the address there is no BCSS rule at all
        assertThat(HelmChartTest.egressPorts(policy)).containsOnlyOnce(4543);
        Map<String, Object> without = resource(documents(renderOverlay("values-" + environment + ".yaml",
                "bcssProxy: {networkPolicy: {bcssCidrs: []}}\n")), "NetworkPolicy", "bcss-proxy");
        assertThat(HelmChartTest.egressPorts(without)).as("DNS, API server, token-broker").containsExactlyInAnyOrder(53, 53, 443, 6443, 8081);
    }

    @Test
    void apiServerAndDatabaseAddressesAreRequired() {
        List<Map<String, Object>> documents = documents(renderedEnv("prod"));
        for (String service : List.of("token-broker", "bcss-proxy", "wsb-receiver", CodeListServiceChartTest.CODELIST)) {
            Map<String, Object> jwks = list(resource(documents, "NetworkPolicy", service), "spec.egress").stream()
                    .filter(r -> list(r, "ports").stream().anyMatch(p -> ((Number) p.get("port")).intValue() == 6443))
                    .findFirst().orElseThrow();
            assertThat(list(jwks, "to")).extracting(p -> path(p, "ipBlock.cidr"))
                    .as("%s reaches the API server's endpoints only", service)
                    .containsExactly("192.0.2.10/32", "192.0.2.11/32", "192.0.2.12/32");
        }
        assertThatThrownBy(() -> renderOverlay("values-prod.yaml", "networkPolicy: {apiServer: {cidrs: []}}\n"))
                .hasMessageContaining("networkPolicy.apiServer.cidrs is required").hasMessageContaining("endpointslices");
        assertThatThrownBy(() -> renderOverlay("values-prod.yaml", "wsbReceiver: {networkPolicy: {databaseCidrs: []}}\n"))
                .hasMessageContaining("wsbReceiver.networkPolicy.databaseCidrs or .databasePeers is required");
        assertThatThrownBy(() -> renderOverlay("values-prod.yaml", "codelistService: {networkPolicy: {databaseCidrs: []}}\n"))
                .hasMessageContaining("codelistService.networkPolicy.databaseCidrs or .databasePeers is required");
        // a service that verifies no caller tokens needs no API server address; no policies need no addresses at all
        renderOverlay("values-prod.yaml", """
                networkPolicy: {apiServer: {cidrs: []}}
                tokenBroker: {enabled: false}
                bcssProxy: {enabled: false}
                wsbReceiver: {enabled: false}
                codelistService: {enabled: false}
                dfdgPoller: {ingest: {url: "https://wsb.example.org"}}
                """);
        renderOverlay("values-prod.yaml", """
                networkPolicy: {enabled: false, apiServer: {cidrs: []}}
                wsbReceiver: {networkPolicy: {databaseCidrs: []}}
                """);
    }

    @Test
    void tokenBrokerReachesSmalsOnlyAtItsAddresses() {
        Map<String, Object> policy = resource(documents(renderedEnv("prod")), "NetworkPolicy", "token-broker");
        List<Map<String, Object>> https = list(policy, "spec.egress").stream()
                .filter(r -> list(r, "ports").stream().anyMatch(p -> ((Number) p.get("port")).intValue() == 443)).toList();
        // the API server rule (443 + 6443) and the Smals rule (443 only, the site's addresses)
        assertThat(https).extracting(r -> list(r, "to").stream().map(p -> (String) path(p, "ipBlock.cidr")).toList())
                .containsExactlyInAnyOrder(List.of("192.0.2.10/32", "192.0.2.11/32", "192.0.2.12/32"), List.of("192.0.2.23/32"));
        Map<String, Object> without = resource(documents(renderOverlay("values-prod.yaml",
                "tokenBroker: {networkPolicy: {egressCidrs: []}}\n")), "NetworkPolicy", "token-broker");
        assertThat(HelmChartTest.egressPorts(without)).containsExactlyInAnyOrder(53, 53, 443, 6443);
    }

    @Test
    void siteAndEnvironmentFilesCarryTheAddresses() throws IOException {
        Set<String> siteKeys = new TreeSet<>();
        HelmChartTest.leafKeys("", YAML.readTree(CHART.resolve(SITE).toFile()), siteKeys);
        assertThat(siteKeys).containsExactlyInAnyOrder("image.registry", "networkPolicy.apiServer.cidrs",
                "wsbReceiver.networkPolicy.databaseCidrs", "codelistService.networkPolicy.databaseCidrs");
        Set<String> smals = new TreeSet<>();
        for (String environment : ENVIRONMENTS) {
            JsonNode values = YAML.readTree(CHART.resolve("values-" + environment + ".yaml").toFile());
            assertThat(values.at("/bcssProxy/networkPolicy/bcssCidrs/0").asText()).isEqualTo(BCSS_ADDRESSES.get(environment));
            smals.add(values.at("/tokenBroker/networkPolicy/egressCidrs/0").asText());
        }
        assertThat(smals).as("Smals' hosts differ per environment").hasSize(3).doesNotContain("");
        // an environment file may also carry its own database addresses (the tests allow the keys there)
        assertThat(HelmChartTest.ENVIRONMENT_KEYS).contains("wsbReceiver.networkPolicy.databaseCidrs",
                "codelistService.networkPolicy.databasePeers", "tokenBroker.networkPolicy.egressCidrs",
                "bcssProxy.networkPolicy.bcssCidrs");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // images

    @ParameterizedTest
    @ValueSource(strings = { "", "values-test.yaml", "values-acpt.yaml", "values-prod.yaml" })
    void imagesComeFromTheRegistryAndArePulledAlways(String valuesFile) {
        for (Map<String, Object> deployment : deployments(documents(rendered(valuesFile)))) {
            Map<String, Object> container = container(deployment);
            assertThat(container.get("image").toString()).as("image of %s", name(deployment))
                    .startsWith("registry.example.org/socsec-gateway/" + name(deployment) + ":");
            // every pod mounts key material (signing key, client or server certificates): the registry is asked each time
            assertThat(KEY_HOLDERS).contains(name(deployment));
            assertThat(container.get("imagePullPolicy")).as("pull policy of %s", name(deployment)).isEqualTo("Always");
        }
        assertThatThrownBy(() -> render(valuesFile, Map.of("image.registry", "")))
                .hasMessageContaining("image.registry is required");
    }

    @Test
    void digestPinsTheImage() {
        String digest = "sha256:" + "0123456789abcdef".repeat(4);
        List<Map<String, Object>> documents = documents(render("values-prod.yaml", Map.of("tokenBroker.image.digest", digest,
                "image.registry", "registry.example.org:5000/platform")));
        assertThat(container(resource(documents, "Deployment", "token-broker")).get("image"))
                .isEqualTo("registry.example.org:5000/platform/socsec-gateway/token-broker@" + digest);
        assertThat(container(resource(documents, "Deployment", "bcss-proxy")).get("image"))
                .isEqualTo("registry.example.org:5000/platform/socsec-gateway/bcss-proxy:0.1.0");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("tokenBroker.image.digest", "sha256:abc")))
                .hasMessageContaining("digest");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("tokenBroker.image.digest", "0123456789abcdef".repeat(4))))
                .hasMessageContaining("digest");
    }

    @Test
    void prodRefusesSnapshotImages() {
        // the chart's appVersion (0.1.0-SNAPSHOT), a global and a per-service snapshot tag
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("image.tag", "")))
                .hasMessageContaining("image tag \"0.1.0-SNAPSHOT\" is a mutable snapshot")
                .hasMessageContaining("image.refuseSnapshots");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("image.tag", "0.2.0-SNAPSHOT")))
                .hasMessageContaining("0.2.0-SNAPSHOT");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("wsbReceiver.image.tag", "0.1.1-SNAPSHOT")))
                .hasMessageContaining("wsb-receiver: image tag \"0.1.1-SNAPSHOT\"");
        // a digest makes the tag irrelevant; test and acpt may run snapshots
        String digest = "sha256:" + "ab".repeat(32);
        Map<String, Object> pinned = new HashMap<>(Map.of("image.tag", ""));
        for (String key : List.of("tokenBroker", "bcssProxy", "wsbReceiver", "dfdgPoller", "codelistService")) {
            pinned.put(key + ".image.digest", digest);
        }
        assertThat(deployments(documents(render("values-prod.yaml", pinned))))
                .allSatisfy(d -> assertThat(container(d).get("image").toString()).endsWith("@" + digest));
        assertThat(container(resource(documents(renderedEnv("acpt")), "Deployment", "bcss-proxy")).get("image").toString())
                .endsWith(":0.1.0-SNAPSHOT");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // graceful shutdown and JVM options

    @ParameterizedTest
    @ValueSource(strings = { "", "values-test.yaml", "values-acpt.yaml", "values-prod.yaml" })
    void podsStopGracefully(String valuesFile) {
        List<Map<String, Object>> documents = documents(rendered(valuesFile));
        for (Map<String, Object> deployment : deployments(documents)) {
            Map<String, Object> container = container(deployment);
            int preStop = number(container, "lifecycle.preStop.sleep.seconds");
            assertThat(path(container, "lifecycle.preStop").toString()).as("no shell: the kubelet's sleep action")
                    .doesNotContain("exec");
            int grace = number(deployment, "spec.template.spec.terminationGracePeriodSeconds");
            String timeout = applicationProperties(documents, name(deployment)).getProperty("quarkus.shutdown.timeout");
            assertThat(timeout).as("quarkus.shutdown.timeout of %s", name(deployment)).matches("\\d+s");
            int shutdown = Integer.parseInt(timeout.replace("s", ""));
            assertThat(grace).as("grace period of %s", name(deployment)).isGreaterThan(preStop + shutdown);
            assertThat(List.of(preStop, shutdown, grace)).containsExactly(5, 20, 40);
        }
        // the values reach every pod, and a grace period that does not cover them fails the render
        List<Map<String, Object>> longer = documents(render(valuesFile, Map.of("shutdown.timeoutSeconds", 50,
                "shutdown.terminationGracePeriodSeconds", 70, "shutdown.preStopSleepSeconds", 10)));
        assertThat(deployments(longer)).allSatisfy(d -> {
            assertThat(number(d, "spec.template.spec.terminationGracePeriodSeconds")).isEqualTo(70);
            assertThat(number(container(d), "lifecycle.preStop.sleep.seconds")).isEqualTo(10);
            assertThat(applicationProperties(longer, name(d)).getProperty("quarkus.shutdown.timeout")).isEqualTo("50s");
        });
        for (Map<String, Object> sets : List.<Map<String, Object>>of(Map.of("shutdown.terminationGracePeriodSeconds", 25),
                Map.of("shutdown.terminationGracePeriodSeconds", 30, "shutdown.timeoutSeconds", 25),
                Map.of("shutdown.preStopSleepSeconds", 20))) {
            assertThatThrownBy(() -> render(valuesFile, sets)).as("%s", sets)
                    .hasMessageContaining("shutdown.terminationGracePeriodSeconds")
                    .hasMessageContaining("must be larger than");
        }
    }

    @Test
    void chartNeedsKubernetesWithTheSleepAction() throws IOException {
        assertThat(Files.readString(CHART.resolve("Chart.yaml"))).containsPattern("(?m)^kubeVersion: \">=1\\.30\\.0-0\"$");
        assertThatThrownBy(() -> new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion("1.29.9")
                .withValuesFile(CHART.resolve(SITE)).call())
                .hasMessageContaining("kubeVersion");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "values-test.yaml", "values-acpt.yaml", "values-prod.yaml" })
    void jvmOptionsGoToTheJavaLauncher(String valuesFile) {
        for (Map<String, Object> deployment : deployments(documents(rendered(valuesFile)))) {
            Map<String, Object> container = container(deployment);
            assertThat(list(container, "env")).extracting(e -> e.get("name")).doesNotContain("JAVA_OPTS_APPEND", "JAVA_OPTS");
            assertThat(env(container, "JDK_JAVA_OPTIONS")).as("JVM options of %s", name(deployment))
                    .startsWith("-Dquarkus.http.host=0.0.0.0 -Djava.util.logging.manager=org.jboss.logmanager.LogManager "
                            + "-Dvertx.disableURIValidation=true")
                    .contains("-XX:+ExitOnOutOfMemoryError", "-XX:+UseParallelGC")
                    .containsPattern("-XX:MaxRAMPercentage=\\d+")
                    .containsPattern("-XX:MaxDirectMemorySize=\\d+m");
        }
        Map<String, Object> custom = container(resource(documents(render(valuesFile, Map.of("bcssProxy.javaOpts", "-Xmx100m"))),
                "Deployment", "bcss-proxy"));
        assertThat(env(custom, "JDK_JAVA_OPTIONS")).endsWith("-XX:+ExitOnOutOfMemoryError -Xmx100m");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // spreading and memory

    @ParameterizedTest
    @ValueSource(strings = { "", "values-test.yaml", "values-acpt.yaml", "values-prod.yaml" })
    void replicasSpreadSoftlyOverNodesAndZones(String valuesFile) {
        for (Map<String, Object> deployment : deployments(documents(rendered(valuesFile)))) {
            List<Map<String, Object>> constraints = list(deployment, "spec.template.spec.topologySpreadConstraints");
            if (POLLER.equals(name(deployment))) {
                assertThat(constraints).as("one pod: nothing to spread").isEmpty();
                continue;
            }
            assertThat(constraints).extracting(c -> c.get("topologyKey"))
                    .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
            assertThat(constraints).allSatisfy(c -> {
                assertThat(c.get("whenUnsatisfiable")).as("soft").isEqualTo("ScheduleAnyway");
                assertThat(path(c, "labelSelector.matchLabels").toString())
                        .isEqualTo(path(deployment, "spec.selector.matchLabels").toString());
            });
        }
        List<Map<String, Object>> own = documents(render(valuesFile, Map.of(
                "wsbReceiver.topologySpreadConstraints[0].topologyKey", "example.org/rack",
                "wsbReceiver.topologySpreadConstraints[0].maxSkew", 1,
                "wsbReceiver.topologySpreadConstraints[0].whenUnsatisfiable", "DoNotSchedule")));
        assertThat(list(resource(own, "Deployment", "wsb-receiver"), "spec.template.spec.topologySpreadConstraints"))
                .extracting(c -> c.get("topologyKey")).containsExactly("example.org/rack");
        assertThat(deployments(documents(render(valuesFile, Map.of("topologySpread.enabled", false)))))
                .allSatisfy(d -> assertThat(list(d, "spec.template.spec.topologySpreadConstraints")).isEmpty());
    }

    static long mebibytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Mi|Gi)").matcher(quantity);
        assertThat(m.matches()).as(quantity).isTrue();
        return Long.parseLong(m.group(1)) * (m.group(2).equals("Gi") ? 1024 : 1);
    }

    /** Requests = limits, and heap + direct memory + the JVM's own share (~110 MiB) fit the limit. */
    @ParameterizedTest
    @ValueSource(strings = { "", "values-test.yaml", "values-acpt.yaml", "values-prod.yaml" })
    void memoryRequestsEqualLimitsAndTheJvmFits(String valuesFile) {
        for (Map<String, Object> deployment : deployments(documents(rendered(valuesFile)))) {
            Map<String, Object> container = container(deployment);
            String limit = path(container, "resources.limits.memory");
            assertThat((String) path(container, "resources.requests.memory")).as("memory request of %s", name(deployment)).isEqualTo(limit);
            String options = env(container, "JDK_JAVA_OPTIONS");
            Matcher heap = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(options);
            Matcher direct = Pattern.compile("-XX:MaxDirectMemorySize=(\\d+)m").matcher(options);
            assertThat(heap.find() && direct.find()).isTrue();
            long limitMiB = mebibytes(limit);
            long heapMiB = limitMiB * Integer.parseInt(heap.group(1)) / 100;
            assertThat(heapMiB + Long.parseLong(direct.group(1)) + 110).as("heap + direct + JVM of %s", name(deployment))
                    .isLessThanOrEqualTo(limitMiB);
        }
    }

    /** The limits come from the RSS measured under the soak (bench/reports/soak-latest.md), with room above it. */
    @Test
    void memoryLimitsCoverTheMeasuredRss() throws IOException {
        String soak = Files.readString(CHART.getParent().getParent().getParent().resolve("bench/reports/soak-latest.md"));
        List<Map<String, Object>> documents = documents(renderedEnv("prod"));
        for (String service : List.of("token-broker", "bcss-proxy", "wsb-receiver")) {
            Matcher measured = Pattern.compile("(?m)^" + service.replace('-', '_') + "_rss_max_mib=([0-9.]+)$").matcher(soak);
            assertThat(measured.find()).as("RSS of %s in the soak report", service).isTrue();
            double rss = Double.parseDouble(measured.group(1));
            long limit = mebibytes(path(container(resource(documents, "Deployment", service)), "resources.limits.memory"));
            assertThat((double) limit).as("limit of %s against its measured RSS %s MiB", service, rss).isGreaterThanOrEqualTo(rss * 1.5);
        }
        assertThat(Files.readString(CHART.resolve("values.yaml"))).contains("bench/reports/soak-latest.md");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the prod webhook

    @Test
    void prodWebhookNeedsStarsAddressesAndPin() {
        Map<String, Object> webhook = resource(documents(renderedEnv("prod")), "Service", "wsb-receiver-webhook");
        assertThat(path(webhook, "spec.loadBalancerSourceRanges").toString()).isEqualTo("[192.0.2.16/28]");
        assertThat(applicationProperties(documents(renderedEnv("prod")), "wsb-receiver").getProperty("wsb.webhook.pinned-sha256"))
                .matches("[0-9A-F:]{95}");

        assertThatThrownBy(() -> renderOverlay("values-prod.yaml", "wsbReceiver: {webhook: {allowedCidrs: []}}\n"))
                .hasMessageContaining("wsbReceiver.webhook.requireSourceRanges is set")
                .hasMessageContaining("STAR's sender addresses");
        assertThatThrownBy(() -> renderOverlay("values-prod.yaml", "wsbReceiver: {webhook: {pinnedSha256: []}}\n"))
                .hasMessageContaining("wsbReceiver.webhook.requirePin is set")
                .hasMessageContaining("fingerprint");
        // the load balancer's own source ranges count too
        List<Map<String, Object>> lb = documents(renderOverlay("values-prod.yaml", """
                wsbReceiver:
                  webhook:
                    allowedCidrs: []
                    service: {loadBalancerSourceRanges: ["198.51.100.0/28"]}
                """));
        assertThat(path(resource(lb, "Service", "wsb-receiver-webhook"), "spec.loadBalancerSourceRanges").toString())
                .isEqualTo("[198.51.100.0/28]");
        // test and acpt: not required
        for (String environment : List.of("test", "acpt")) {
            assertThat(path(resource(documents(renderedEnv(environment)), "Service", "wsb-receiver-webhook"), "spec").toString())
                    .doesNotContain("loadBalancerSourceRanges");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // values.schema.json

    /** The typos of the issue and their siblings: each renders nothing, it fails and names the key. */
    @Test
    void typosAndWeakenedSettingsAreRefused() {
        Map<String, Object> refused = new LinkedHashMap<>();
        refused.put("bcssProxy.networkPolicy.bcssCIDRs[0]", "85.91.184.102/32");
        refused.put("bcssProxy.replicas", 3);
        refused.put("containerSecurityContext.privileged", true);
        refused.put("bcssProxy.podDisruptionBudget.maxUnavailable", "lots");
        // siblings
        refused.put("tokenBroker.networkPolicy.egressCIDRs[0]", "192.0.2.1/32");
        refused.put("wsbReceiver.networkPolicy.databaseCIDRs[0]", "192.0.2.1/32");
        refused.put("wsbReceiver.replicas", 3);
        refused.put("codelistService.replica", 2);
        refused.put("networkpolicy.enabled", false);
        refused.put("tokenBroker.podDisruptionBudget.maxUnavailable", "half");
        refused.put("wsbReceiver.podDisruptionBudget.maxUnavailable", -1);
        refused.put("containerSecurityContext.allowPrivilegeEscalation", true);
        refused.put("containerSecurityContext.readOnlyRootFilesystem", false);
        refused.put("containerSecurityContext.runAsNonRoot", false);
        refused.put("containerSecurityContext.capabilities.add[0]", "NET_ADMIN");
        refused.put("containerSecurityContext.capabilities.drop[0]", "NET_RAW");
        refused.put("podSecurityContext.runAsNonRoot", false);
        refused.put("podSecurityContext.runAsUser", 0);
        refused.put("podSecurityContext.seccompProfile.type", "Unconfined");
        refused.put("containerSecurityContext.seLinuxOptions.type", "spc_t");
        refused.put("tokenBroker.resources.limits.memory", "512MB");
        refused.put("bcssProxy.resources.requests.cpu", "lots");
        refused.put("tmpSizeLimit", "64 megabytes");
        refused.put("tokenBroker.signingKey.existingSecret", "Signing_Key");
        refused.put("wsbReceiver.database.existingSecret", "DB");
        refused.put("tokenBroker.probes.liveness.timeoutSecond", 5);
        refused.put("tokenBroker.image.pullPolicy", "Sometimes");
        refused.put("wsbReceiver.webhook.service.keepOnDeletion", true);
        refused.put("wsbReceiver.networkPolicy.ingressFrom[0].namespaceSelecter.matchLabels.a", "b");
        refused.put("image.registy", "registry.example.org");
        refused.put("shutdown.gracePeriodSeconds", 60);
        for (Map.Entry<String, Object> entry : refused.entrySet()) {
            String leaf = entry.getKey().replaceAll("\\[\\d+]", "").replaceAll(".*\\.", "");
            assertThatThrownBy(() -> render("values-prod.yaml", Map.of(entry.getKey(), entry.getValue())))
                    .as("%s=%s", entry.getKey(), entry.getValue())
                    .hasMessageContaining("values don't meet the specifications of the schema")
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf(leaf, entry.getKey().split("\\.")[0]));
        }
        // the settings it accepts
        render("values-prod.yaml", Map.of("bcssProxy.podDisruptionBudget.maxUnavailable", "25%",
                "tokenBroker.resources.requests.cpu", "0.5", "podSecurityContext.runAsUser", 1001));
    }

    /** Every object block of the schema refuses unknown keys, except the free-form maps (labels, annotations, ...). */
    @Test
    void everySchemaBlockIsClosed() throws IOException {
        JsonNode schema = YAML.readTree(CHART.resolve("values.schema.json").toFile());
        List<String> open = new ArrayList<>();
        collectOpenBlocks("", schema, open);
        assertThat(open).isEmpty();
        assertThat(schema.get("additionalProperties").asBoolean(true)).as("the root").isFalse();
    }

    static void collectOpenBlocks(String at, JsonNode node, List<String> open) {
        if (node.isObject()) {
            if (node.has("properties") && !node.has("additionalProperties")) {
                open.add(at);
            }
            node.properties().forEach(f -> collectOpenBlocks(at + "/" + f.getKey(), f.getValue(), open));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectOpenBlocks(at + "/" + i, node.get(i), open);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // environments sharing a cluster

    record AppTarget(String release, String namespace) {
    }

    static AppTarget argoTarget(String environment) throws IOException {
        Map<String, Object> application = documents(Files.readString(ARGOCD.resolve("socsec-gateway-" + environment + ".yaml"))).get(0);
        return new AppTarget(path(application, "spec.source.helm.releaseName"), path(application, "spec.destination.namespace"));
    }

    /** Rendered as Argo CD deploys them, test and prod let in and accept different callers. */
    @Test
    void testAndProdInOneClusterDoNotShareCallers() throws IOException {
        Map<String, List<Map<String, Object>>> byEnvironment = new LinkedHashMap<>();
        for (String environment : List.of("test", "prod")) {
            AppTarget target = argoTarget(environment);
            byEnvironment.put(environment, documents(render(target.release(), target.namespace(),
                    List.of(SITE, "values-" + environment + ".yaml"), Map.of())));
        }
        AppTarget test = argoTarget("test");
        AppTarget prod = argoTarget("prod");
        assertThat(test.namespace()).isNotEqualTo(prod.namespace());
        for (String service : List.of("token-broker", "bcss-proxy", "wsb-receiver", CodeListServiceChartTest.CODELIST)) {
            String testAudience = applicationProperties(byEnvironment.get("test"), service).getProperty("mp.jwt.verify.audiences");
            String prodAudience = applicationProperties(byEnvironment.get("prod"), service).getProperty("mp.jwt.verify.audiences");
            assertThat(testAudience).isEqualTo(service + "." + test.release() + "." + test.namespace());
            assertThat(prodAudience).isEqualTo(service + "." + prod.release() + "." + prod.namespace()).isNotEqualTo(testAudience);

            Map<String, Object> testApi = list(resource(byEnvironment.get("test"), "NetworkPolicy", service), "spec.ingress").get(0);
            Map<String, Object> prodApi = list(resource(byEnvironment.get("prod"), "NetworkPolicy", service), "spec.ingress").get(0);
            Set<String> testPeers = list(testApi, "from").stream().map(Object::toString).collect(Collectors.toSet());
            Set<String> prodPeers = list(prodApi, "from").stream().map(Object::toString).collect(Collectors.toSet());
            assertThat(testPeers).as("peers of %s in test and prod", service).doesNotContainAnyElementsOf(prodPeers);
        }
        // the caller labels name the release; the proxy's token and the poller's are those of their own release
        Map<String, Object> proxyApi = list(resource(byEnvironment.get("prod"), "NetworkPolicy", "bcss-proxy"), "spec.ingress").get(0);
        assertThat(path(proxyApi, "from.0.namespaceSelector.matchLabels").toString())
                .isEqualTo("{socsec-gateway/bcss-client=" + prod.release() + "." + prod.namespace() + "}");
        assertThat(path(proxyApi, "from.1").toString()).isEqualTo("{namespaceSelector={matchLabels={kubernetes.io/metadata.name="
                + prod.namespace() + "}}, podSelector={matchLabels={socsec-gateway/bcss-client=" + prod.release() + "." + prod.namespace() + "}}}");
        for (String environment : byEnvironment.keySet()) {
            List<Map<String, Object>> documents = byEnvironment.get(environment);
            Object brokerAudience = path(HelmChartTest.named(list(resource(documents, "Deployment", "bcss-proxy"), "spec.template.spec.volumes"),
                    "broker-token"), "projected.sources.0.serviceAccountToken.audience");
            assertThat(brokerAudience).isEqualTo(applicationProperties(documents, "token-broker").getProperty("mp.jwt.verify.audiences"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // GitOps

    @Test
    void prodIsPinnedToAPromotedReleaseInItsOwnProject() throws IOException {
        Map<String, Map<String, Object>> byKind = new HashMap<>();
        List<Map<String, Object>> applications = new ArrayList<>();
        try (Stream<Path> files = Files.list(ARGOCD)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                Map<String, Object> manifest = documents(Files.readString(file)).get(0);
                if ("Application".equals(manifest.get("kind"))) {
                    applications.add(manifest);
                } else {
                    byKind.put((String) manifest.get("kind"), manifest);
                }
            }
        }
        Map<String, Object> project = byKind.get("AppProject");
        assertThat(project).as("an AppProject manifest in deploy/argocd").isNotNull();
        assertThat(applications).hasSize(3).allSatisfy(a -> {
            assertThat(path(a, "spec.project").toString()).isEqualTo(name(project)).isNotEqualTo("default");
            assertThat(list(project, "spec.destinations")).as("the project allows %s's destination", name(a))
                    .anySatisfy(d -> assertThat(d).containsEntry("namespace", path(a, "spec.destination.namespace"))
                            .containsEntry("server", path(a, "spec.destination.server")));
            assertThat((List<Object>) path(project, "spec.sourceRepos")).contains((Object) path(a, "spec.source.repoURL"));
        });
        assertThat((List<Object>) path(project, "spec.clusterResourceWhitelist")).as("nothing cluster-scoped").isEmpty();
        // every kind the chart renders (with the optional ones switched on) is allowed, nothing more than needed; helm
        // test hooks are not synced by Argo CD
        Set<String> allowed = list(project, "spec.namespaceResourceWhitelist").stream()
                .map(r -> r.get("kind").toString()).collect(Collectors.toSet());
        Set<String> rendered = new TreeSet<>();
        documents(render("values-prod.yaml", Map.of("metrics.serviceMonitor.enabled", true))).stream()
                .filter(d -> !String.valueOf(annotations(d).get("helm.sh/hook")).contains("test"))
                .forEach(d -> rendered.add((String) d.get("kind")));
        assertThat(allowed).containsAll(rendered).doesNotContain("Secret", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding");

        Map<String, Object> prod = applications.stream()
                .filter(a -> "prod".equals(path(a, "metadata.labels.socsec-gateway/environment"))).findFirst().orElseThrow();
        assertThat(path(prod, "spec.source.targetRevision").toString()).as("a release tag, never a branch")
                .matches("v\\d+\\.\\d+\\.\\d+").isNotIn("main", "HEAD", "master")
                // the images of that release: values-prod.yaml's image.tag
                .isEqualTo("v" + YAML.readTree(CHART.resolve("values-prod.yaml").toFile()).at("/image/tag").asText());
        assertThat((Object) path(prod, "spec.syncPolicy.automated")).as("prod syncs by hand").isNull();
    }

    @Test
    void webhookServiceOutlivesTheReleaseAndTheApplication() {
        for (String environment : ENVIRONMENTS) {
            Map<String, Object> webhook = resource(documents(renderedEnv(environment)), "Service", "wsb-receiver-webhook");
            assertThat((Map<String, Object>) path(webhook, "metadata.annotations"))
                    .containsEntry("helm.sh/resource-policy", "keep")
                    .containsEntry("argocd.argoproj.io/sync-options", "Delete=false");
        }
        // the user's annotations are kept; the protection can be switched off explicitly
        Map<String, Object> custom = resource(documents(render("values-prod.yaml", Map.of(
                "wsbReceiver.webhook.service.annotations.service\\.beta\\.kubernetes\\.io/aws-load-balancer-type", "nlb"))),
                "Service", "wsb-receiver-webhook");
        assertThat((Map<String, Object>) path(custom, "metadata.annotations")).hasSize(3)
                .containsEntry("service.beta.kubernetes.io/aws-load-balancer-type", "nlb");
        Map<String, Object> unprotected = resource(documents(render("values-prod.yaml",
                Map.of("wsbReceiver.webhook.service.keepOnDelete", false))), "Service", "wsb-receiver-webhook");
        assertThat((Object) path(unprotected, "metadata.annotations")).isNull();
        // the internal Services are not kept (nothing outside points at them)
        assertThat(ofKind(documents(renderedEnv("prod")), "Service")).filteredOn(s -> !"wsb-receiver-webhook".equals(name(s)))
                .allSatisfy(s -> assertThat((Object) path(s, "metadata.annotations")).isNull());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // smaller points

    @Test
    void disruptionBudgetsLetUnhealthyPodsGo() {
        List<Map<String, Object>> budgets = ofKind(documents(renderedEnv("prod")), "PodDisruptionBudget");
        assertThat(budgets).hasSize(4)
                .allSatisfy(pdb -> assertThat((Object) path(pdb, "spec.unhealthyPodEvictionPolicy")).isEqualTo("AlwaysAllow"));
    }

    /**
     * Helm's longest release name (53 characters) in a 63-character namespace, with and without 56-character service
     * names (the schema's maximum; "-webhook" used to make that 64): no name or label value above 63 characters.
     */
    @Test
    void longNamesStayWithinKubernetesLimits() {
        String release = "r".repeat(53);
        assertThatThrownBy(() -> HelmChartTest.render("r".repeat(54), NAMESPACE, List.of(SITE), Map.of()))
                .hasMessageContaining("53");
        Map<String, Object> sets = new LinkedHashMap<>();
        for (String key : List.of("tokenBroker", "bcssProxy", "wsbReceiver", "dfdgPoller", "codelistService")) {
            sets.put(key + ".name", (key.toLowerCase() + "-" + "x".repeat(56)).substring(0, 56));
        }
        for (Map<String, Object> variant : List.<Map<String, Object>>of(Map.of(), sets)) {
            List<Map<String, Object>> documents = documents(HelmChartTest.render(release, "n".repeat(63),
                    List.of(SITE, "values-prod.yaml"), variant));
            for (Map<String, Object> document : documents) {
                assertThat(name(document)).as("%s name", document.get("kind")).hasSizeLessThanOrEqualTo(63)
                        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
                Map<String, Object> labels = path(document, "metadata.labels");
                assertThat(labels.values()).allSatisfy(v -> assertThat(v.toString()).hasSizeLessThanOrEqualTo(63)
                        .matches("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?"));
            }
            // the caller labels of the policies stay valid label values too
            for (Map<String, Object> policy : ofKind(documents, "NetworkPolicy")) {
                List<String> values = new ArrayList<>();
                collectLabelValues(path(policy, "spec.ingress"), values);
                assertThat(values).allSatisfy(v -> assertThat(v).hasSizeLessThanOrEqualTo(63));
            }
            assertThat(ofKind(documents, "Service")).extracting(PlatformReviewChartTest::name)
                    .anySatisfy(n -> assertThat(n).endsWith("-webhook"));
        }
    }

    @SuppressWarnings("unchecked")
    static void collectLabelValues(Object node, List<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if ("matchLabels".equals(k)) {
                    ((Map<String, Object>) v).values().forEach(x -> into.add(x.toString()));
                } else {
                    collectLabelValues(v, into);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(x -> collectLabelValues(x, into));
        }
    }

    @Test
    void probeTimeoutsAreConfigurable() {
        List<Map<String, Object>> defaults = documents(renderedEnv("prod"));
        assertThat(deployments(defaults)).allSatisfy(d -> {
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(value(container(d), probe + ".timeoutSeconds")).isEqualTo(2);
            }
        });
        Map<String, Object> container = container(resource(documents(render("values-prod.yaml", Map.of(
                "wsbReceiver.probes.readiness.timeoutSeconds", 5, "wsbReceiver.probes.liveness.timeoutSeconds", 4,
                "dfdgPoller.probes.startup.timeoutSeconds", 3))), "Deployment", "wsb-receiver"));
        assertThat(value(container, "readinessProbe.timeoutSeconds")).isEqualTo(5);
        assertThat(value(container, "livenessProbe.timeoutSeconds")).isEqualTo(4);
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("wsbReceiver.probes.readiness.timeoutSeconds", 0)))
                .hasMessageContaining("timeoutSeconds");
    }

    @Test
    void serviceMonitorsSelectOnlyTheManagementServices() {
        List<Map<String, Object>> documents = documents(render("values-prod.yaml", Map.of("metrics.serviceMonitor.enabled", true)));
        List<Map<String, Object>> services = ofKind(documents, "Service");
        for (Map<String, Object> monitor : ofKind(documents, "ServiceMonitor")) {
            Map<String, Object> selector = path(monitor, "spec.selector.matchLabels");
            List<String> selected = services.stream()
                    .filter(s -> ((Map<String, Object>) path(s, "metadata.labels")).entrySet().containsAll(selector.entrySet()))
                    .map(PlatformReviewChartTest::name).toList();
            assertThat(selected).as("Services selected by ServiceMonitor %s", name(monitor)).containsExactly(name(monitor));
            assertThat(list(resource(documents, "Service", name(monitor)), "spec.ports")).extracting(p -> p.get("name"))
                    .contains("management");
        }
        assertThat(ofKind(documents, "ServiceMonitor")).extracting(PlatformReviewChartTest::name).doesNotContain("wsb-receiver-webhook");
    }

    /** Peers that name the chart's own pods are bound to the release namespace, never a bare pod label. */
    @Test
    void chartPodPeersAreBoundToTheReleaseNamespace() {
        List<Map<String, Object>> documents = documents(renderedEnv("prod"));
        int found = 0;
        for (Map<String, Object> policy : ofKind(documents, "NetworkPolicy")) {
            List<Map<String, Object>> peers = new ArrayList<>();
            list(policy, "spec.ingress").forEach(r -> peers.addAll(list(r, "from")));
            list(policy, "spec.egress").forEach(r -> peers.addAll(list(r, "to")));
            for (Map<String, Object> peer : peers) {
                if (peer.containsKey("podSelector")) {
                    Map<String, Object> namespace = path(peer, "namespaceSelector.matchLabels");
                    assertThat(namespace).as("peer %s of %s", peer, name(policy)).isNotNull();
                    if (String.valueOf((Object) path(peer, "podSelector.matchLabels")).contains("app.kubernetes.io/instance")) {
                        assertThat(namespace).containsExactly(Map.entry("kubernetes.io/metadata.name", NAMESPACE));
                        if (!String.valueOf((Object) path(peer, "podSelector.matchLabels")).contains("helm-test")) {
                            found++; // the helm test pods' peers are MonitoringChartTest's
                        }
                    }
                }
            }
        }
        // broker <- proxy, proxy -> broker, receiver <- poller, poller -> receiver
        assertThat(found).isEqualTo(4);
    }

    @Test
    void databasePoolsFitPostgresConnections() {
        List<Map<String, Object>> documents = documents(renderedEnv("prod"));
        assertThat(applicationProperties(documents, "wsb-receiver").getProperty("quarkus.datasource.jdbc.max-size")).isEqualTo("20");
        assertThat(applicationProperties(documents, CodeListServiceChartTest.CODELIST).getProperty("quarkus.datasource.jdbc.max-size"))
                .isEqualTo("8");
        // prod: (3 + 1) x 20 = 80 of 97; one more replica, a bigger pool, or a smaller budget fails
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("wsbReceiver.replicaCount", 5)))
                .hasMessageContaining("wsbReceiver: (replicaCount 5 + 1 during a roll-out) x database.poolMaxSize 20 = 120 connections")
                .hasMessageContaining("max_connections");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("wsbReceiver.database.poolMaxSize", 32)))
                .hasMessageContaining("128 connections");
        assertThatThrownBy(() -> render("values-prod.yaml", Map.of("codelistService.database.maxConnections", 20)))
                .hasMessageContaining("codelistService: (replicaCount 2 + 1 during a roll-out) x database.poolMaxSize 8 = 24");
        assertThat(applicationProperties(documents(render("values-prod.yaml", Map.of("wsbReceiver.replicaCount", 5,
                "wsbReceiver.database.maxConnections", 200))), "wsb-receiver").getProperty("quarkus.datasource.jdbc.max-size"))
                .isEqualTo("20");
    }

    /**
     * NOTES.txt, rendered as helm install prints it (helm template leaves it out, and helm-java's client-side install
     * still wants a cluster: a copy of the chart renders it into a ConfigMap with tpl): the release's caller label and
     * audience, and what is still missing.
     */
    @Test
    void notesTellWhatToDoNext() {
        String notes = install("values-prod.yaml", "{}");
        assertThat(notes).contains("socsec-gateway.socsec", "socsec-gateway/bcss-client=socsec-gateway.socsec",
                "bcss-proxy.socsec-gateway.socsec", "kubectl -n socsec get service wsb-receiver-webhook", "helm.sh/resource-policy: keep",
                "deploy/README.md");
        assertThat(notes).doesNotContain("WARNING: tokenBroker").doesNotContain("WARNING: bcssProxy");
        String missing = install("values-test.yaml", """
                tokenBroker: {networkPolicy: {egressCidrs: []}}
                bcssProxy: {networkPolicy: {bcssCidrs: []}}
                """);
        assertThat(missing).contains("WARNING: tokenBroker.networkPolicy.egressCidrs is empty", "FQDN-capable policy",
                "WARNING: bcssProxy.networkPolicy.bcssCidrs is empty", "WARNING: wsbReceiver.webhook.allowedCidrs is empty");
    }

    /** NOTES.txt rendered with values-site.yaml, valuesFile and an overlay. */
    static String install(String valuesFile, String overlayYaml) {
        try {
            Path tmp = Files.createTempDirectory("socsec-notes-");
            try {
                Path chart = tmp.resolve("socsec-gateway");
                HelmChartTest.copyTree(CHART, chart);
                Files.copy(CHART.resolve("templates/NOTES.txt"), chart.resolve("notes.txt"));
                Files.writeString(chart.resolve("templates/zz-notes.yaml"), """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: rendered-notes
                        data:
                          notes: {{ tpl (.Files.Get "notes.txt") . | quote }}
                        """);
                Path overlay = tmp.resolve("overlay.yaml");
                Files.writeString(overlay, overlayYaml);
                String output = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE)
                        .withKubeVersion(HelmChartTest.KUBE_VERSION).withValuesFile(chart.resolve(SITE))
                        .withValuesFile(chart.resolve(valuesFile)).withValuesFile(overlay).call();
                return Objects.requireNonNull(path(resource(documents(output), "ConfigMap", "rendered-notes"), "data.notes"));
            } finally {
                try (Stream<Path> files = Files.walk(tmp)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The chart README (deploy/README.md) agrees with Chart.yaml: version, appVersion, kubeVersion, the site file. */
    @Test
    void readmeAgreesWithTheChart() throws IOException {
        String chart = Files.readString(CHART.resolve("Chart.yaml"));
        String readme = Files.readString(CHART.getParent().getParent().resolve("README.md"));
        for (String key : List.of("version", "appVersion")) {
            Matcher m = Pattern.compile("(?m)^" + key + ": (\\S+)$").matcher(chart);
            assertThat(m.find()).isTrue();
            assertThat(readme).as("README names %s %s", key, m.group(1)).contains(key + " " + m.group(1));
        }
        assertThat(readme).contains("kubeVersion `>=1.30.0-0`", SITE, "JDK_JAVA_OPTIONS", "socsec-gateway-project.yaml",
                "toFQDNs").doesNotContain("JAVA_OPTS_APPEND");
    }
}
