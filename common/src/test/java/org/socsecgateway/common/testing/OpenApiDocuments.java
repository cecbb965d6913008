package org.socsecgateway.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Keeps a service's OpenAPI document in the repository ({@code docs/openapi/<service>.yaml}) true. The build writes the
 * document to {@code target/openapi/<service>.yaml} ({@code quarkus.smallrye-openapi.store-schema-directory}, also
 * during the augmentation of the tests); each service's {@code OpenApiDocumentTest} fetches {@code /q/openapi} from the
 * management port and hands it here. The committed copy must equal both (as YAML trees: the order of keys inside a
 * schema is not part of the contract). A difference fails with the command that copies the build's document into
 * docs/openapi ({@code -Dopenapi.update=true}); without that flag nothing is written, so a fresh clone's build leaves
 * the work tree clean.
 */
public final class OpenApiDocuments {

    /** System property that makes {@link #assertCommitted} copy the build's document to docs/openapi. */
    public static final String UPDATE = "openapi.update";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final int MAX_REPORTED = 20;

    private OpenApiDocuments() {
    }

    /** {@code docs/openapi/<service>.yaml}; tests run with the module's directory as their working directory. */
    public static Path committed(String service) {
        return module().getParent().resolve("docs").resolve("openapi").resolve(service + ".yaml");
    }

    /** {@code target/openapi/<service>.yaml}, written by the build (the service's {@code store-schema-*} properties). */
    public static Path built(String service) {
        return module().resolve("target").resolve("openapi").resolve(service + ".yaml");
    }

    /**
     * Fails unless the committed document equals the one the build wrote and {@code served} (the YAML of
     * {@code /q/openapi}); with {@code -Dopenapi.update=true} copies the build's document to docs/openapi instead.
     *
     * @param service the module and document name, e.g. {@code token-broker}
     * @param test    the surefire {@code -Dtest} selector of the calling test, for the update command in a failure
     * @param served  the document {@code /q/openapi} answered (YAML)
     */
    public static void assertCommitted(String service, String test, String served) {
        Path built = built(service);
        Path committed = committed(service);
        assertThat(built).as("the build did not write %s: quarkus.smallrye-openapi.store-schema-directory=target/openapi"
                + " and store-schema-file-name=%s belong in the service's application.properties", built, service)
                .exists();
        if (Boolean.getBoolean(UPDATE)) {
            write(committed, read(built));
            return;
        }
        String update = "./mvnw -B -q -pl " + service + " -am verify -DskipITs -Dtest='" + test + "'"
                + " -Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE + "=true";
        assertThat(committed).as("%s is missing: run %s, and commit the file", committed, update).exists();
        JsonNode expected = parse(read(committed));
        assertThat(differences(expected, parse(read(built)), ""))
                .as("the OpenAPI document the build wrote (%s) differs from the committed %s at these places (an API"
                        + " changed): run %s, and commit the file", built, committed, update)
                .isEmpty();
        assertThat(differences(expected, parse(served), ""))
                .as("the OpenAPI document served at /q/openapi differs from the committed %s at these places: run %s,"
                        + " and commit the file", committed, update)
                .isEmpty();
    }

    /** JSON pointers where the two trees differ (at most 20), empty when they are equal. */
    static List<String> differences(JsonNode expected, JsonNode actual, String pointer) {
        List<String> found = new ArrayList<>();
        collect(expected, actual, pointer, found);
        return found;
    }

    private static void collect(JsonNode expected, JsonNode actual, String pointer, List<String> found) {
        if (found.size() >= MAX_REPORTED || expected.equals(actual)) {
            return;
        }
        if (expected.isObject() && actual.isObject()) {
            Set<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String child = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!expected.has(name) || !actual.has(name)) {
                    found.add(child + (expected.has(name) ? " (only in the committed document)" : " (new)"));
                } else {
                    collect(expected.get(name), actual.get(name), child, found);
                }
                if (found.size() >= MAX_REPORTED) {
                    return;
                }
            }
            return;
        }
        if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            for (int i = 0; e.hasNext(); i++) {
                collect(e.next(), a.next(), pointer + "/" + i, found);
            }
            return;
        }
        found.add(pointer + ": committed " + abbreviate(expected) + ", now " + abbreviate(actual));
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }

    private static JsonNode parse(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path module() {
        return Path.of("").toAbsolutePath();
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path path, String text) {
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
