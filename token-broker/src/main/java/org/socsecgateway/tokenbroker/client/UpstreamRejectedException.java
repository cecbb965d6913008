package org.socsecgateway.tokenbroker.client;

/** The authorization server refused the request (HTTP 4xx): retrying the same request will not help. */
public class UpstreamRejectedException extends RuntimeException {

    private final int status;
    private final String error;
    private final String description;

    public UpstreamRejectedException(int status, String error, String description) {
        super("Authorization server answered " + status + " " + error, null, false, false);
        this.status = status;
        this.error = error;
        this.description = description;
    }

    public int status() {
        return status;
    }

    /** The RFC 6749 error code, e.g. {@code invalid_client}; {@code unknown} when the answer had none. */
    public String error() {
        return error;
    }

    public String description() {
        return description;
    }
}
