package org.socsecgateway.common.openapi;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.socsecgateway.common.problem.Problem;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Writes into every service's OpenAPI document what {@code common} does for every service, so the resources need not
 * repeat it: each 4xx/5xx answer is {@code application/problem+json} (RFC 9457) with the {@code Problem} schema, and
 * each {@code /v1/...} operation (the internal APIs, all behind a caller token) may answer 401. Runs when the build
 * generates the document; found by Quarkus in common's index (services without smallrye-openapi never load it).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponses implements OASFilter {

    /** Name of the problem schema under {@code components.schemas}. */
    public static final String SCHEMA = "Problem";

    private static final String INTERNAL_API = "/v1/";
    private static final String UNAUTHORIZED = "401";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        Components components = openAPI.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            openAPI.setComponents(components);
        }
        components.addSchema(SCHEMA, problemSchema());
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            if (path.getValue().getOperations() == null) {
                continue;
            }
            for (Operation operation : path.getValue().getOperations().values()) {
                describeErrors(path.getKey(), operation);
            }
        }
    }

    private static void describeErrors(String path, Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        if (path.startsWith(INTERNAL_API) && !responses.hasAPIResponse(UNAUTHORIZED)) {
            responses.addAPIResponse(UNAUTHORIZED, OASFactory.createAPIResponse()
                    .description("No caller token, or one that is malformed, expired, not yet valid, for another"
                            + " audience or signed with a key the issuer does not publish"));
        }
        if (responses.getAPIResponses() == null) {
            return;
        }
        for (Map.Entry<String, APIResponse> response : responses.getAPIResponses().entrySet()) {
            if (isError(response.getKey()) && isEmpty(response.getValue().getContent())) {
                response.getValue().setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(SCHEMA))));
            }
        }
    }

    private static boolean isError(String code) {
        return code.length() == 3 && (code.charAt(0) == '4' || code.charAt(0) == '5');
    }

    private static boolean isEmpty(Content content) {
        return content == null || content.getMediaTypes() == null || content.getMediaTypes().isEmpty();
    }

    /** The members {@link Problem} writes; extension members (e.g. {@code issues}, {@code upstreamError}) are allowed. */
    static Schema problemSchema() {
        return OASFactory.createSchema()
                .addType(SchemaType.OBJECT)
                .description("An RFC 9457 problem document. Extension members (for example `issues`, `upstreamError`,"
                        + " `head`) sit at the top level. The detail never repeats request content.")
                .required(List.of("type", "title", "status"))
                .addProperty("type", OASFactory.createSchema().addType(SchemaType.STRING).format("uri-reference")
                        .description("`urn:problem-type:belgif:<name>` where a belgif problem type fits, otherwise"
                                + " `about:blank`")
                        .examples(List.of("urn:problem-type:belgif:badRequest", "about:blank")))
                .addProperty("title", OASFactory.createSchema().addType(SchemaType.STRING)
                        .description("Short summary of the problem type"))
                .addProperty("status", OASFactory.createSchema().addType(SchemaType.INTEGER).format("int32")
                        .description("The HTTP status code"))
                .addProperty("detail", OASFactory.createSchema().addType(SchemaType.STRING)
                        .description("What went wrong with this request, for a human"))
                .additionalPropertiesBoolean(Boolean.TRUE);
    }
}
