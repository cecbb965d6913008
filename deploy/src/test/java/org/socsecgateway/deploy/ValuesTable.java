package org.socsecgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The chart's values as Markdown tables (key, default, description), from values.yaml and its comments: the comment
 * lines right above a key describe it; commented-out YAML right below a key (a "#" followed by two spaces or more)
 * is its example; a line {@code # --- Title ---} starts a section. Keys inside lists are not listed (the list's key
 * is, with the whole list as its default). Defaults are read with a YAML parser, not from the text.
 *
 * <p>Writes deploy/charts/socsec-gateway/VALUES.md; {@link ValuesTableTest} fails when the committed file differs.
 * Regenerate with {@value #REGENERATE}.
 */
public final class ValuesTable {

    /** The one command that rewrites VALUES.md (run from the repository root). */
    public static final String REGENERATE = "./mvnw -B -q -pl deploy test -Dtest=ValuesTableTest -Dvalues.table.write=true";

    private static final Pattern SECTION = Pattern.compile("^# -{3} (.+?) -*$");
    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.\\-/]+|\"[^\"]+\"):(?: .*)?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One table row: the dotted key, its default (compact JSON, "" for a block), its description. */
    public record Row(String section, String key, String defaultValue, String description) {
    }

    private ValuesTable() {
    }

    /** The rows of a values file, in file order. */
    public static List<Row> rows(String yaml) {
        JsonNode values;
        try {
            values = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid YAML", e);
        }
        List<Row> rows = new ArrayList<>();
        Deque<int[]> indents = new ArrayDeque<>();
        Deque<String> keys = new ArrayDeque<>();
        List<String> pending = new ArrayList<>();
        String section = "";
        int skipDeeperThan = Integer.MAX_VALUE;
        Row last = null;
        for (String line : yaml.split("\n", -1)) {
            String trimmed = line.strip();
            int indent = line.length() - line.stripLeading().length();
            if (trimmed.isEmpty()) {
                pending.clear();
                last = null;
                continue;
            }
            if (trimmed.startsWith("#")) {
                Matcher title = SECTION.matcher(line);
                if (indent == 0 && title.matches()) {
                    section = title.group(1).strip();
                    pending.clear();
                    last = null;
                    continue;
                }
                String text = trimmed.substring(1);
                text = text.startsWith(" ") ? text.substring(1) : text;
                boolean example = text.startsWith(" ");
                if (example && pending.isEmpty() && last != null) {
                    // commented-out YAML right below a key: its example
                    Row withExample = withExample(last, text.strip());
                    rows.set(rows.size() - 1, withExample);
                    last = withExample;
                } else if (example) {
                    pending.add("`" + text.strip() + "`");
                } else {
                    pending.add(text.strip());
                }
                continue;
            }
            if (indent > skipDeeperThan) {
                continue; // inside a list
            }
            skipDeeperThan = Integer.MAX_VALUE;
            if (trimmed.startsWith("- ") || trimmed.equals("-")) {
                // a list's items: their keys belong to the list's default
                skipDeeperThan = indents.isEmpty() ? -1 : indents.peek()[0];
                pending.clear();
                continue;
            }
            Matcher key = KEY.matcher(line);
            if (!key.matches()) {
                pending.clear();
                continue;
            }
            while (!indents.isEmpty() && indents.peek()[0] >= indent) {
                indents.pop();
                keys.removeLast();
            }
            String name = key.group(2).replace("\"", "");
            indents.push(new int[] {indent});
            keys.addLast(name);
            String dotted = String.join(".", keys);
            JsonNode node = at(values, keys);
            String description = String.join(" ", pending);
            pending.clear();
            boolean block = node != null && node.isObject() && !node.isEmpty();
            if (block && description.isEmpty()) {
                last = null;
                continue;
            }
            last = new Row(section, dotted, block ? "" : compact(node), description);
            rows.add(last);
        }
        return rows;
    }

    private static Row withExample(Row row, String example) {
        String description = row.description();
        String prefix = description.contains("Example: ") ? " " : (description.isEmpty() ? "Example: " : " Example: ");
        return new Row(row.section(), row.key(), row.defaultValue(), description + prefix + "`" + example + "`");
    }

    private static JsonNode at(JsonNode root, Deque<String> keys) {
        JsonNode node = root;
        for (String key : keys) {
            node = node == null ? null : node.get(key);
        }
        return node;
    }

    private static String compact(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Markdown document: a title, how to regenerate, a table per section. */
    public static String markdown(String yaml) {
        StringBuilder out = new StringBuilder();
        out.append("# socsec-gateway chart: values\n\n")
                .append("<!-- Generated from the comments in values.yaml by deploy/src/test/java/org/socsecgateway/deploy/ValuesTable.java.\n")
                .append("     Do not edit: change values.yaml, then run ").append(REGENERATE).append(" -->\n\n")
                .append("Every value of `values.yaml` with its default and the comment above it (`values.schema.json` checks\n")
                .append("them at install). Environment files (`values-<env>.yaml`) change only what differs per environment.\n")
                .append("Regenerate after changing `values.yaml`: `").append(REGENERATE).append("`.\n");
        String section = null;
        // a key without a comment that another service's block explains (e.g. bcssProxy.extraProperties after
        // tokenBroker.extraProperties) points at that explanation
        Map<String, String> explained = new HashMap<>();
        for (Row row : rows(yaml)) {
            String suffix = row.key().contains(".") ? row.key().substring(row.key().indexOf('.')) : null;
            if (suffix != null && !row.description().isEmpty()) {
                explained.putIfAbsent(suffix, row.key());
            } else if (suffix != null && explained.containsKey(suffix)) {
                row = new Row(row.section(), row.key(), row.defaultValue(), "As `" + explained.get(suffix) + "`.");
            }
            if (!row.section().equals(section)) {
                section = row.section();
                out.append("\n## ").append(section.isEmpty() ? "General" : section).append("\n\n")
                        .append("| Key | Default | Description |\n|---|---|---|\n");
            }
            out.append("| `").append(row.key()).append("` | ")
                    .append(row.defaultValue().isEmpty() ? "" : "`" + cell(row.defaultValue()) + "`").append(" | ")
                    .append(cell(row.description())).append(" |\n");
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** Writes {@code VALUES.md} next to {@code values.yaml}. Argument: the chart directory. */
    public static void main(String[] args) {
        Path chart = Path.of(args.length > 0 ? args[0] : "deploy/charts/socsec-gateway");
        try {
            Files.writeString(chart.resolve("VALUES.md"), markdown(Files.readString(chart.resolve("values.yaml"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
