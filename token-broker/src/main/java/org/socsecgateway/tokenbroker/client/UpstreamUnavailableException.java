package org.socsecgateway.tokenbroker.client;

/** The authorization server could not be reached or failed (5xx, refused, timed out): worth retrying later. */
public class UpstreamUnavailableException extends RuntimeException {

    public UpstreamUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
