package org.socsecgateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The generated values table (VALUES.md) is current, and the generator reads values.yaml's comments the way they are
 * written. With -Dvalues.table.write=true the test rewrites VALUES.md instead ({@link ValuesTable#REGENERATE}).
 */
class ValuesTableTest {

    static final Path VALUES = HelmChartTest.CHART.resolve("values.yaml");
    static final Path TABLE = HelmChartTest.CHART.resolve("VALUES.md");

    @Test
    void theCommittedTableIsGeneratedFromTheCurrentValues() throws IOException {
        String generated = ValuesTable.markdown(Files.readString(VALUES));
        if (Boolean.getBoolean("values.table.write")) {
            Files.writeString(TABLE, generated);
        }

        assertThat(TABLE).as("VALUES.md").exists();
        assertThat(Files.readString(TABLE))
                .as("deploy/charts/socsec-gateway/VALUES.md is stale: values.yaml changed. Regenerate it from the"
                        + " repository root with: " + ValuesTable.REGENERATE)
                .isEqualTo(generated);
    }

    /** Every leaf of values.yaml (a scalar, a list, an empty map) has its row, in the file's order. */
    @Test
    void everyValueHasARowWithItsDefault() throws IOException {
        String yaml = Files.readString(VALUES);
        List<ValuesTable.Row> rows = ValuesTable.rows(yaml);
        Set<String> leaves = new TreeSet<>();
        leaves(new YAMLMapper().readTree(yaml), "", leaves);

        Map<String, ValuesTable.Row> byKey = rows.stream().collect(Collectors.toMap(ValuesTable.Row::key, r -> r));
        assertThat(byKey.keySet()).containsAll(leaves);
        assertThat(byKey.get("bcss.environment").defaultValue()).isEqualTo("\"test\"");
        assertThat(byKey.get("bcss.environment").description()).startsWith("test | acpt | prod");
        assertThat(byKey.get("wsbReceiver.replicaCount").defaultValue()).isEqualTo("2");
        assertThat(byKey.get("prometheusRule.enabled").description()).contains("Prometheus Operator CRDs");
        assertThat(byKey.get("helmTest.image.repository").defaultValue()).contains("curl");
        assertThat(rows.stream().map(ValuesTable.Row::section).distinct())
                .contains("token-broker", "bcss-proxy", "wsb-receiver", "dfdg-poller", "codelist-service");
    }

    static void leaves(JsonNode node, String prefix, Set<String> into) {
        if (node.isObject() && !node.isEmpty()) {
            node.properties().forEach(e -> leaves(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), into));
        } else {
            into.add(prefix);
        }
    }

    /** The comment conventions of values.yaml: description above, example below, sections, lists, blocks. */
    @Test
    void commentsAboveAreDescriptionsCommentedYamlBelowIsAnExampleAndListItemsAreNotKeys() {
        String yaml = """
                # File header: not a description (a blank line follows).

                # --- One service -------------------------------------
                svc:
                  # How many | pods.
                  replicas: 2
                  # Who may call.
                  callers: []
                  #  - subject: a
                  #    scopes: [b]

                  # The Secret, mounted read-only.
                  secret:
                    name: s
                    key: tls.key
                  peers:
                    - namespaceSelector:
                        matchLabels:
                          x: "y"
                  # Any property, e.g.:
                  #   a.b: c
                  extra: {}
                  undocumented: ""
                other:
                  replicas: 1
                """;

        assertThat(ValuesTable.rows(yaml)).containsExactly(
                new ValuesTable.Row("One service", "svc.replicas", "2", "How many | pods."),
                new ValuesTable.Row("One service", "svc.callers", "[]", "Who may call. Example: `- subject: a` `scopes: [b]`"),
                new ValuesTable.Row("One service", "svc.secret", "", "The Secret, mounted read-only."),
                new ValuesTable.Row("One service", "svc.secret.name", "\"s\"", ""),
                new ValuesTable.Row("One service", "svc.secret.key", "\"tls.key\"", ""),
                new ValuesTable.Row("One service", "svc.peers", "[{\"namespaceSelector\":{\"matchLabels\":{\"x\":\"y\"}}}]", ""),
                new ValuesTable.Row("One service", "svc.extra", "{}", "Any property, e.g.: `a.b: c`"),
                new ValuesTable.Row("One service", "svc.undocumented", "\"\"", ""),
                new ValuesTable.Row("One service", "other.replicas", "1", ""));
        assertThat(ValuesTable.markdown(yaml))
                .contains("## One service")
                .contains("| `svc.replicas` | `2` | How many \\| pods. |")
                .contains("| `other.replicas` | `1` | As `svc.replicas`. |")
                .contains(ValuesTable.REGENERATE);
    }
}
