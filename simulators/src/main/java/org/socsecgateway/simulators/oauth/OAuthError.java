package org.socsecgateway.simulators.oauth;

/** An RFC 6749 section 5.2 error answer; thrown by the checks, turned into JSON by the token endpoint. */
final class OAuthError extends Exception {

    private final int status;
    private final String error;

    private OAuthError(int status, String error, String description) {
        super(description, null, false, false); // control flow only: no stack trace needed
        this.status = status;
        this.error = error;
    }

    static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description);
    }

    static OAuthError unsupportedGrantType(String description) {
        return new OAuthError(400, "unsupported_grant_type", description);
    }

    /** 401 as RFC 6749 allows for failed client authentication (no WWW-Authenticate: no HTTP auth scheme used). */
    static OAuthError invalidClient(String description) {
        return new OAuthError(401, "invalid_client", description);
    }

    static OAuthError invalidScope(String description) {
        return new OAuthError(400, "invalid_scope", description);
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }

    String description() {
        return getMessage();
    }
}
