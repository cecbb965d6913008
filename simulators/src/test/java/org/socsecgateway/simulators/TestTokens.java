package org.socsecgateway.simulators;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.socsecgateway.simulators.oauth.BcssOAuthSimulator;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.util.HashMap;
import java.util.Map;

/** Access tokens obtained from a {@link BcssOAuthSimulator} the way a real client gets them. */
public final class TestTokens {

    public static final String CLIENT = "partenaire:federal:service:bus:client:confidential";
    public static final String CONSULT = "scope:cbss:api:demo:consult";
    public static final String UPDATE = "scope:cbss:api:demo:update";

    private TestTokens() {
    }

    /** @param scope space-separated scopes, or null for the client's default scopes */
    public static String request(HttpClient http, BcssOAuthSimulator oauth, PrivateKey signingKey, String scope)
            throws Exception {
        Map<String, String> form = new HashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", TestAssertion.of(CLIENT, oauth.tokenEndpoint(), signingKey).sign());
        if (scope != null) {
            form.put("scope", scope);
        }
        HttpResponse<String> response = TestHttp.postForm(http, oauth.tokenEndpoint(), form);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("no token: " + response.statusCode() + " " + response.body());
        }
        return new ObjectMapper().readTree(response.body()).get("access_token").asText();
    }
}
