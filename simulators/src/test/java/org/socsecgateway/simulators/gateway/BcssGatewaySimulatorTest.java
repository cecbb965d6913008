package org.socsecgateway.simulators.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.socsecgateway.simulators.TestAssertion;
import org.socsecgateway.simulators.TestHttp;
import org.socsecgateway.simulators.TestTokens;
import org.socsecgateway.simulators.oauth.BcssOAuthSimulator;
import org.socsecgateway.simulators.pki.LocalPki;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.simulators.TestTokens.CONSULT;
import static org.socsecgateway.simulators.TestTokens.UPDATE;

class BcssGatewaySimulatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SEARCH = "/v1/persons/search";

    @TempDir
    static Path dir;

    static LocalPki pki;
    static BcssOAuthSimulator oauth;
    static BcssGatewaySimulator gateway;
    static HttpClient http;
    static PrivateKey signingKey;
    static String readWrite;

    @BeforeAll
    static void start() throws Exception {
        pki = LocalPki.create(dir);
        signingKey = TestAssertion.readKey(pki.signingKey());
        oauth = BcssOAuthSimulator.builder().tls(pki.serverCert(), pki.serverKey()).build().start()
                .registerClient(TestTokens.CLIENT, pki.signingCert(), Set.of(CONSULT, UPDATE), Set.of(CONSULT));
        gateway = BcssGatewaySimulator.builder()
                .tls(pki.serverCert(), pki.serverKey())
                .authorizationServer(oauth)
                .api("other")
                .build()
                .start();
        http = TestHttp.trusting(pki.serverTruststoreP12(), pki.password());
        readWrite = TestTokens.request(http, oauth, signingKey, CONSULT + " " + UPDATE);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        oauth.close();
    }

    @BeforeEach
    void reset() {
        gateway.stats().reset();
    }

    @Test
    void publishesItsBaseUrlAndHealth() throws Exception {
        assertThat(gateway.baseUrl("demo")).isEqualTo("https://localhost:" + gateway.port() + "/demo");

        HttpResponse<String> health = TestHttp.get(http, gateway.baseUrl("demo") + "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("UP");
        assertThat(TestHttp.get(http, gateway.baseUrl("other") + "/health").statusCode()).isEqualTo(200);

        assertProblem(send(get("/other/v1/anything", readWrite)), 404, "resourceNotFound", "/other/v1/anything");
        assertProblem(send(get("/nope/health", null)), 404, "resourceNotFound", "/nope/health");
        assertProblem(send(get("/demo/v1/nothing-here", readWrite)), 404, "resourceNotFound", "/demo/v1/nothing-here");
    }

    @Test
    void healthCanRequireAToken() throws Exception {
        try (BcssGatewaySimulator guarded = BcssGatewaySimulator.builder()
                .tls(pki.serverCert(), pki.serverKey())
                .authorizationServer(oauth)
                .healthRequiresToken(true)
                .build()
                .start()) {
            String health = guarded.baseUrl("demo") + "/health";

            assertProblem(send(HttpRequest.newBuilder(URI.create(health)).GET()), 401, "noAccessToken", "/demo/health");
            HttpResponse<String> withToken = send(HttpRequest.newBuilder(URI.create(health))
                    .header("Authorization", "Bearer " + readWrite).GET());
            assertThat(withToken.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void rejectsARequestWithoutToken() throws Exception {
        HttpResponse<String> response = send(get("/demo/v1/organizations/123?lang=nl", null));

        assertProblem(response, 401, "noAccessToken", "/demo/v1/organizations/123"); // instance without the query
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");

        HttpResponse<String> basic = send(get("/demo/v1/organizations/123", null).header("Authorization", "Basic eDp5"));
        assertProblem(basic, 401, "noAccessToken", "/demo/v1/organizations/123");
    }

    @Test
    void rejectsUnknownAndRevokedTokens() throws Exception {
        HttpResponse<String> unknown = send(get("/demo/v1/organizations/123", "never-issued"));
        assertProblem(unknown, 401, "invalidAccessToken", "/demo/v1/organizations/123");
        assertThat(unknown.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");

        String token = TestTokens.request(http, oauth, signingKey, CONSULT);
        assertThat(send(get("/demo/v1/organizations/123", token)).statusCode()).isEqualTo(200);
        oauth.revoke(token);

        HttpResponse<String> revoked = send(get("/demo/v1/organizations/123", token));
        assertProblem(revoked, 401, "invalidAccessToken", "/demo/v1/organizations/123");
        assertThat(revoked.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
    }

    @Test
    void tellsAnExpiredTokenFromAnInvalidOne() throws Exception {
        oauth.faults().tokenLifetime(Duration.ofSeconds(1));
        String token;
        try {
            token = TestTokens.request(http, oauth, signingKey, CONSULT);
        } finally {
            oauth.faults().clear();
        }
        Instant expiresAt = oauth.find(token).orElseThrow().expiresAt();
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis() + 50));

        HttpResponse<String> expired = send(get("/demo/v1/organizations/123", token));

        assertProblem(expired, 401, "expiredAccessToken", "/demo/v1/organizations/123");
        assertThat(expired.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
        assertThat(oauth.introspect(token)).isEmpty();
        assertThat(oauth.find(token)).isPresent();
    }

    @Test
    void rejectsATokenWithoutTheOperationsScope() throws Exception {
        String consultOnly = TestTokens.request(http, oauth, signingKey, CONSULT);

        HttpResponse<String> response = send(post(SEARCH, consultOnly, "{\"ssin\":\"85073003328\"}"));

        JsonNode problem = assertProblem(response, 403, "missingScope", "/demo/v1/persons/search");
        assertThat(problem.get("requiredScopes").toString()).isEqualTo("[\"" + UPDATE + "\"]");
        assertThat(send(get("/demo/v1/organizations/1", consultOnly)).statusCode()).isEqualTo(200);
    }

    @Test
    void consultsOrganizations() throws Exception {
        HttpResponse<String> found = send(get("/demo/v1/organizations/0123456789", readWrite));

        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode organization = JSON.readTree(found.body());
        assertThat(organization.get("id").asText()).isEqualTo("0123456789");
        assertThat(organization.get("name").asText()).isEqualTo("Organisation 0123456789");
        assertThat(organization.get("legalForm").asText()).isNotBlank();

        assertProblem(send(get("/demo/v1/organizations/0", readWrite)), 404, "resourceNotFound",
                "/demo/v1/organizations/0");
    }

    @Test
    void searchesPersonsByValidSsin() throws Exception {
        assertThat(ssin("850730033", false)).isEqualTo("85073003328");
        for (String ssin : List.of("85073003328", ssin("050101012", true), ssin("050101012", false),
                ssin("904201234", false))) {
            HttpResponse<String> response = send(post(SEARCH, readWrite, "{\"ssin\":\"" + ssin + "\"}"));

            assertThat(response.statusCode()).as(ssin + ": " + response.body()).isEqualTo(200);
            JsonNode person = JSON.readTree(response.body());
            assertThat(person.get("ssin").asText()).isEqualTo(ssin);
            assertThat(person.get("givenName").asText()).isNotBlank();
            assertThat(person.get("familyName").asText()).isNotBlank();
        }
        assertThat(birthDate("85073003328")).isEqualTo("1985-07-30");
        assertThat(birthDate(ssin("050101012", true))).isEqualTo("2005-01-01");
        assertThat(birthDate(ssin("050101012", false))).isEqualTo("1905-01-01");
        assertThat(birthDate(ssin("904201234", false))).isEqualTo("1990-02-01"); // bis number: month + 40
    }

    @Test
    void rejectsInvalidSsinsWithoutEchoingThem() throws Exception {
        String wrongCheck = "85073003327";
        for (String body : List.of("{\"ssin\":\"" + wrongCheck + "\"}", "{\"ssin\":\"8507300332\"}",
                "{\"ssin\":\"8507300332X\"}", "{\"ssin\":85073003328}", "{\"name\":\"x\"}", "{\"ssin\":null}")) {
            HttpResponse<String> response = send(post(SEARCH, readWrite, body));

            JsonNode problem = assertProblem(response, 400, "badRequest", "/demo/v1/persons/search");
            JsonNode issue = problem.get("issues").get(0);
            assertThat(issue.get("type").asText()).isEqualTo("urn:problem-type:belgif:input-validation:invalidInput");
            assertThat(issue.get("in").asText()).isEqualTo("body");
            assertThat(issue.get("name").asText()).isEqualTo("ssin");
            assertThat(issue.get("detail").asText()).isNotBlank();
            assertThat(response.body()).doesNotContain("8507300332");
        }
    }

    @Test
    void rejectsBodiesThatAreNotJsonOrTooLarge() throws Exception {
        JsonNode notJson = assertProblem(send(post(SEARCH, readWrite, "ssin=85073003328")), 400, "badRequest",
                "/demo/v1/persons/search");
        assertThat(notJson.get("issues").get(0).get("in").asText()).isEqualTo("body");
        assertProblem(send(request(SEARCH, readWrite).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ssin\":\"85073003328\"}"))), 400, "badRequest", "/demo/v1/persons/search");
        assertProblem(send(post(SEARCH, readWrite, "[]")), 400, "badRequest", "/demo/v1/persons/search");

        String huge = "{\"ssin\":\"85073003328\",\"padding\":\"" + "x".repeat(1024 * 1024) + "\"}";
        JsonNode tooLarge = assertProblem(send(post(SEARCH, readWrite, huge)), 413, "payloadTooLarge",
                "/demo/v1/persons/search");
        assertThat(tooLarge.get("limit").asLong()).isEqualTo(BcssGatewaySimulator.MAX_JSON_BODY_BYTES);

        // the connection stays usable after an early answer
        assertThat(send(post(SEARCH, readWrite, "{\"ssin\":\"85073003328\"}")).statusCode()).isEqualTo(200);
    }

    @Test
    void streamsLargeDocuments() throws Exception {
        long size = 50L * 1024 * 1024 + 3; // not a multiple of the chunk size
        HttpResponse<InputStream> response = http.send(request("/v1/documents/" + size, readWrite).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(size);
        byte[] pattern = "0123456789abcdef".getBytes();
        long count = 0;
        long mismatches = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = response.body()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != pattern[(int) ((count + i) % pattern.length)]) {
                        mismatches++;
                    }
                }
                count += n;
            }
        }
        assertThat(count).isEqualTo(size);
        assertThat(mismatches).isZero();

        HttpResponse<String> empty = send(get("/demo/v1/documents/0", readWrite));
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).isEmpty();
        assertProblem(send(get("/demo/v1/documents/abc", readWrite)), 400, "badRequest", "/demo/v1/documents/abc");
        assertProblem(send(get("/demo/v1/documents/" + (200L * 1024 * 1024 + 1), readWrite)), 400, "badRequest",
                "/demo/v1/documents/" + (200L * 1024 * 1024 + 1));
    }

    @Test
    void hashesUploadsAsTheyArrive() throws Exception {
        byte[] upload = new byte[5 * 1024 * 1024 + 17];
        new java.util.Random(42).nextBytes(upload);

        HttpResponse<String> response = send(request("/v1/uploads", readWrite)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("bytes").asLong()).isEqualTo(upload.length);
        assertThat(body.get("sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload)));

        HttpResponse<String> empty = send(request("/v1/uploads", readWrite).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(JSON.readTree(empty.body()).get("bytes").asLong()).isZero();
        assertThat(JSON.readTree(empty.body()).get("sha256").asText())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void answersTraceIds() throws Exception {
        String traceId = UUID.randomUUID().toString();

        HttpResponse<String> related = send(get("/demo/v1/organizations/1", readWrite).header("BelGov-Trace-Id", traceId));
        HttpResponse<String> unrelated = send(get("/demo/v1/organizations/1", null));

        assertThat(related.headers().firstValue("BelGov-Related-Trace-Id")).hasValue(traceId);
        String own = related.headers().firstValue("BelGov-Trace-Id").orElseThrow();
        assertThat(UUID.fromString(own).toString()).isNotEqualTo(traceId);
        assertThat(unrelated.headers().firstValue("BelGov-Trace-Id")).isPresent().isNotEqualTo(Optional.of(own));
        assertThat(unrelated.headers().firstValue("BelGov-Related-Trace-Id")).isEmpty();
    }

    @Test
    void answersMethodNotAllowed() throws Exception {
        HttpResponse<String> response = send(get("/demo" + SEARCH, readWrite));

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(send(request("/health", null).POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(405);
    }

    @Test
    void recordsRequests() throws Exception {
        send(post(SEARCH, readWrite, "{\"ssin\":\"85073003328\"}").header("BelGov-Trace-Id", "t-1"));
        send(get("/demo/v1/organizations/7?x=1", null));

        assertThat(gateway.stats().requests()).isEqualTo(2);
        List<RecordedRequest> recent = gateway.stats().recent();
        assertThat(recent).hasSize(2);
        RecordedRequest search = recent.get(0);
        assertThat(search.method()).isEqualTo("POST");
        assertThat(search.path()).isEqualTo("/demo/v1/persons/search");
        assertThat(search.status()).isEqualTo(200);
        assertThat(search.bodyBytes()).isEqualTo("{\"ssin\":\"85073003328\"}".length());
        assertThat(search.headers().get("belgov-trace-id")).containsExactly("t-1");
        assertThat(search.header("Authorization")).hasValue("Bearer " + readWrite);
        assertThat(recent.get(1).path()).isEqualTo("/demo/v1/organizations/7");
        assertThat(recent.get(1).status()).isEqualTo(401);

        gateway.stats().reset();
        assertThat(gateway.stats().requests()).isZero();
        assertThat(gateway.stats().recent()).isEmpty();
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** A valid SSIN for these 9 digits, computed with the modulo 97 rule. */
    static String ssin(String nineDigits, boolean bornIn2000OrLater) {
        long base = Long.parseLong((bornIn2000OrLater ? "2" : "") + nineDigits);
        return nineDigits + String.format("%02d", 97 - base % 97);
    }

    private static String birthDate(String ssin) throws Exception {
        return JSON.readTree(send(post(SEARCH, readWrite, "{\"ssin\":\"" + ssin + "\"}")).body()).get("birthDate").asText();
    }

    /** A request to {@code /demo{path}}, with a bearer token when not null. */
    static HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl("demo") + path))
                .timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    /** A GET of {@code path} (from the origin, API name included). */
    static HttpRequest.Builder get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    static HttpRequest.Builder post(String path, String token, String json) {
        return request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Checks the belgif problem members and the trace header; returns the problem. */
    static JsonNode assertProblem(HttpResponse<String> response, int status, String type, String instance)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("BelGov-Trace-Id")).isPresent();
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("urn:problem-type:belgif:" + type);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("instance").asText()).isEqualTo(instance);
        return problem;
    }
}
