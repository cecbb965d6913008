package org.socsecgateway.common.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.junit.jupiter.api.Test;

/** Every error answer is described as problem+json, and every internal (/v1) operation may answer 401. */
class ProblemResponsesTest {

    private static Operation operation(String... codes) {
        Operation operation = OASFactory.createOperation().responses(OASFactory.createAPIResponses());
        for (String code : codes) {
            operation.getResponses().addAPIResponse(code, OASFactory.createAPIResponse().description(code));
        }
        return operation;
    }

    private static OpenAPI document(String path, Operation operation) {
        return OASFactory.createOpenAPI().paths(OASFactory.createPaths()
                .addPathItem(path, OASFactory.createPathItem().GET(operation)));
    }

    @Test
    void errorAnswersGetTheProblemSchemaAndSuccessesAreLeftAlone() {
        Operation operation = operation("200", "304", "400", "404", "503");
        OpenAPI openAPI = document("/v1/things/{id}", operation);

        new ProblemResponses().filterOpenAPI(openAPI);

        for (String code : new String[] { "400", "404", "503", "401" }) {
            assertThat(operation.getResponses().getAPIResponse(code).getContent().getMediaType("application/problem+json")
                    .getSchema().getRef()).as(code).isEqualTo("#/components/schemas/Problem");
        }
        assertThat(operation.getResponses().getAPIResponse("200").getContent()).isNull();
        assertThat(operation.getResponses().getAPIResponse("304").getContent()).isNull();
        assertThat(openAPI.getComponents().getSchemas().get(ProblemResponses.SCHEMA).getRequired())
                .containsExactly("type", "title", "status");
    }

    @Test
    void anErrorThatAlreadyHasContentKeepsIt() {
        Operation operation = operation("400");
        operation.getResponses().getAPIResponse("400").setContent(OASFactory.createContent()
                .addMediaType("text/plain", OASFactory.createMediaType()));

        new ProblemResponses().filterOpenAPI(document("/v1/x", operation));

        assertThat(operation.getResponses().getAPIResponse("400").getContent().getMediaTypes()).containsOnlyKeys("text/plain");
    }

    @Test
    void onlyInternalApisGetA401() {
        Operation webhook = operation("200");
        Operation internal = operation("200");
        Operation described = operation("200", "401");
        described.getResponses().getAPIResponse("401").description("as the resource says");

        new ProblemResponses().filterOpenAPI(document("/wsb/{path}", webhook));
        new ProblemResponses().filterOpenAPI(document("/v1/events", internal));
        new ProblemResponses().filterOpenAPI(document("/v1/ingest", described));

        assertThat(webhook.getResponses().hasAPIResponse("401")).isFalse();
        assertThat(internal.getResponses().hasAPIResponse("401")).isTrue();
        assertThat(described.getResponses().getAPIResponse("401").getDescription()).isEqualTo("as the resource says");
    }
}
