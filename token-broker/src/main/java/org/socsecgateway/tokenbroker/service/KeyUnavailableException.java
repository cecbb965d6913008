package org.socsecgateway.tokenbroker.service;

/** No usable signing key: missing, unreadable or expired. Operators see why in readiness and the log. */
public class KeyUnavailableException extends RuntimeException {

    public KeyUnavailableException(String reason) {
        super(reason, null, false, false);
    }
}
