package org.socsecgateway.simulators.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.socsecgateway.simulators.internal.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/** The operations of the simulated "demo" API. */
final class DemoApi {

    static final String NAME = "demo";
    static final String CONSULT = "scope:cbss:api:demo:consult";
    static final String UPDATE = "scope:cbss:api:demo:update";

    /** Largest document {@code GET /demo/v1/documents/{bytes}} serves. */
    static final long MAX_DOCUMENT_BYTES = 200L * 1024 * 1024;
    /** Content of the documents: this pattern, repeated. */
    static final byte[] DOCUMENT_PATTERN = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static final int CHUNK_BYTES = 64 * 1024; // a multiple of the pattern length
    private static final Buffer CHUNK = patternChunk();
    private static final List<String> LEGAL_FORMS = List.of("BV", "NV", "VZW", "CV", "Comm.V");
    private static final List<String> GIVEN_NAMES = List.of("Marie", "Jan", "Sofie", "Luc", "Emma", "Noah",
            "Lotte", "Mohamed", "Julie", "Thomas");
    private static final List<String> FAMILY_NAMES = List.of("Peeters", "Janssens", "Maes", "Jacobs", "Mertens",
            "Willems", "Claes", "Dubois", "Lambert", "Dupont");
    private static final System.Logger LOG = System.getLogger(DemoApi.class.getName());

    private DemoApi() {
    }

    static List<Operation> operations(GatewayFaults faults) {
        return List.of(
                Operation.of("GET", "/v1/organizations/([^/]+)", CONSULT, DemoApi::organization),
                Operation.of("POST", "/v1/persons/search", UPDATE, DemoApi::searchPerson),
                Operation.of("GET", "/v1/documents/([^/]+)", CONSULT, (ctx, path) -> document(ctx, path, faults)),
                Operation.of("POST", "/v1/uploads", UPDATE, DemoApi::upload));
    }

    /** {@code GET /demo/v1/organizations/{id}}: a made-up organisation; id 0 does not exist. */
    private static void organization(RoutingContext ctx, Matcher path) {
        String id = path.group(1);
        if (id.equals("0")) {
            Problem.resourceNotFound("No organization found with this id").send(ctx);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("name", "Organisation " + id);
        body.put("legalForm", pick(LEGAL_FORMS, id));
        Answers.json(ctx, 200, body);
    }

    /** {@code POST /demo/v1/persons/search} {@code {"ssin":"..."}}: the SSIN is validated, the person made up. */
    private static void searchPerson(RoutingContext ctx, Matcher path) {
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType != null && !isJson(contentType)) {
            Problem.badRequest(List.of(Problem.issue(Problem.SCHEMA_VIOLATION, "body", null,
                    "the body must be application/json"))).send(ctx);
            return;
        }
        readBody(ctx, BcssGatewaySimulator.MAX_JSON_BODY_BYTES, body -> {
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(body.getBytes());
            } catch (IOException e) {
                json = null;
            }
            if (json == null || !json.isObject()) {
                Problem.badRequest(List.of(Problem.issue(Problem.SCHEMA_VIOLATION, "body", null,
                        "the body must be a JSON object"))).send(ctx);
                return;
            }
            JsonNode ssinNode = json.get("ssin");
            Optional<String> invalid;
            if (ssinNode == null || ssinNode.isNull()) {
                invalid = Optional.of("ssin is required");
            } else if (!ssinNode.isTextual()) {
                invalid = Optional.of("ssin must be a string of 11 digits");
            } else {
                invalid = Ssin.problem(ssinNode.asText());
            }
            if (invalid.isPresent()) {
                Problem.badRequest(List.of(Problem.issue(Problem.INVALID_INPUT, "body", "ssin", invalid.get())))
                        .send(ctx);
                return;
            }
            String ssin = ssinNode.asText();
            Map<String, Object> person = new LinkedHashMap<>();
            person.put("ssin", ssin);
            person.put("givenName", pick(GIVEN_NAMES, ssin));
            person.put("familyName", pick(FAMILY_NAMES, new StringBuilder(ssin).reverse().toString()));
            person.put("birthDate", Ssin.birthDate(ssin).map(Object::toString).orElse(null));
            Answers.json(ctx, 200, person);
        });
    }

    /**
     * {@code GET /demo/v1/documents/{bytes}}: exactly that many bytes of {@link #DOCUMENT_PATTERN}, written in
     * chunks as fast as the client reads them, so memory stays bounded whatever the size.
     */
    private static void document(RoutingContext ctx, Matcher path, GatewayFaults faults) {
        String size = path.group(1);
        long bytes = size.matches("[0-9]{1,12}") ? Long.parseLong(size) : -1;
        if (bytes < 0 || bytes > MAX_DOCUMENT_BYTES) {
            Problem.badRequest(List.of(Problem.issue(Problem.INVALID_INPUT, "path", "bytes",
                    "bytes must be a whole number from 0 to " + MAX_DOCUMENT_BYTES))).send(ctx);
            return;
        }
        Answers.discardBody(ctx.request());
        HttpServerResponse response = ctx.response()
                .setStatusCode(200)
                .putHeader("Content-Type", "application/octet-stream");
        if (faults.takeBreakOff()) {
            response.setChunked(true);
            new DocumentWriter(response, bytes / 2, () -> ctx.request().connection().close()).write();
        } else {
            response.putHeader("Content-Length", Long.toString(bytes));
            new DocumentWriter(response, bytes, response::end).write();
        }
    }

    /** {@code POST /demo/v1/uploads}: reads the body as it arrives, answers its length and SHA-256. */
    private static void upload(RoutingContext ctx, Matcher path) {
        HttpServerRequest request = ctx.request();
        MessageDigest sha256 = sha256();
        long[] count = {0};
        request.handler(chunk -> {
            sha256.update(chunk.getBytes());
            count[0] += chunk.length();
        });
        request.exceptionHandler(e -> LOG.log(System.Logger.Level.DEBUG, "upload aborted: {0}", e.toString()));
        Runnable answer = () -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("bytes", count[0]);
            body.put("sha256", HexFormat.of().formatHex(sha256.digest()));
            Answers.json(ctx, 200, body);
        };
        request.endHandler(end -> answer.run());
        if (request.isEnded()) {
            answer.run(); // no body at all: the end came before the handlers
        } else {
            request.resume();
        }
    }

    /**
     * Reads a body of at most {@code limit} bytes; a larger one is answered 413 {@code payloadTooLarge} (as soon
     * as it is known, the rest being read and dropped).
     */
    private static void readBody(RoutingContext ctx, long limit, Consumer<Buffer> onBody) {
        HttpServerRequest request = ctx.request();
        String declared = request.getHeader("Content-Length");
        if (declared != null && declared.matches("[0-9]{1,18}") && Long.parseLong(declared) > limit) {
            Problem.payloadTooLarge(limit).send(ctx);
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + (long) chunk.length() > limit) {
                Problem.payloadTooLarge(limit).send(ctx); // replaces these handlers: the rest is dropped
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> LOG.log(System.Logger.Level.DEBUG, "request body aborted: {0}", e.toString()));
        request.endHandler(end -> onBody.accept(body));
        if (request.isEnded()) {
            onBody.accept(body);
        } else {
            request.resume();
        }
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    private static String pick(List<String> values, String key) {
        return values.get(Math.floorMod(key.hashCode(), values.size()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }

    private static Buffer patternChunk() {
        byte[] chunk = new byte[CHUNK_BYTES];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = DOCUMENT_PATTERN[i % DOCUMENT_PATTERN.length];
        }
        return Buffer.buffer(chunk);
    }

    /** Writes a document while the connection's write queue has room, then waits for it to drain. */
    private static final class DocumentWriter {

        private final HttpServerResponse response;
        private final Runnable finish;
        private long remaining;

        /** {@code finish} runs once the bytes are written: normally {@code response::end}. */
        DocumentWriter(HttpServerResponse response, long bytes, Runnable finish) {
            this.response = response;
            this.remaining = bytes;
            this.finish = finish;
        }

        void write() {
            while (remaining > 0 && !response.writeQueueFull()) {
                if (response.closed()) {
                    return; // the client went away: stop producing
                }
                int n = (int) Math.min(CHUNK_BYTES, remaining);
                response.write(n == CHUNK_BYTES ? CHUNK : CHUNK.slice(0, n));
                remaining -= n;
            }
            if (remaining == 0) {
                if (!response.closed()) {
                    finish.run();
                }
            } else if (!response.closed()) {
                response.drainHandler(drained -> write());
            }
        }
    }
}
