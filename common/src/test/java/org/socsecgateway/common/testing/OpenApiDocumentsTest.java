package org.socsecgateway.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The comparison behind every OpenApiDocumentTest: key order does not count, any other change does. */
class OpenApiDocumentsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode yaml(String text) throws Exception {
        return YAML.readTree(text);
    }

    @Test
    void theOrderOfKeysIsNotADifference() throws Exception {
        JsonNode committed = yaml("paths:\n  /v1/a:\n    get:\n      summary: s\n      tags: [t]\n");
        JsonNode built = yaml("paths:\n  /v1/a:\n    get:\n      tags: [t]\n      summary: s\n");

        assertThat(OpenApiDocuments.differences(committed, built, "")).isEmpty();
    }

    @Test
    void aChangedValueANewKeyAndARemovedKeyAreNamedByTheirPointer() throws Exception {
        JsonNode committed = yaml("paths:\n  /v1/a:\n    get:\n      summary: s\n  /v1/gone:\n    get: {}\n");
        JsonNode built = yaml("paths:\n  /v1/a:\n    get:\n      summary: other\n  /v1/new:\n    get: {}\n");

        assertThat(OpenApiDocuments.differences(committed, built, "")).containsExactly(
                "/paths/~1v1~1a/get/summary: committed \"s\", now \"other\"",
                "/paths/~1v1~1gone (only in the committed document)",
                "/paths/~1v1~1new (new)");
    }

    @Test
    void aChangedListIsADifference() throws Exception {
        JsonNode committed = yaml("security:\n- caller: []\n");

        assertThat(OpenApiDocuments.differences(committed, yaml("security: []\n"), "")).hasSize(1);
        assertThat(OpenApiDocuments.differences(committed, yaml("security:\n- other: []\n"), ""))
                .containsExactly("/security/0/caller (only in the committed document)", "/security/0/other (new)");
    }
}
