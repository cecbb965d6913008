package org.socsecgateway.tokenbroker.client;

import java.time.Duration;
import java.util.Optional;

/**
 * The authorization server could not be reached or cannot serve now (5xx, 408, 429, refused, timed out): worth
 * retrying later, not before its {@code Retry-After} when it sent one.
 */
public class UpstreamUnavailableException extends RuntimeException {

    private final transient Duration retryAfter;

    public UpstreamUnavailableException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** @param retryAfter the server's {@code Retry-After}, already bounded; {@code null} when it sent none */
    public UpstreamUnavailableException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause, false, false);
        this.retryAfter = retryAfter;
    }

    /** How long the authorization server asked us to wait (RFC 9110 section 10.2.3), if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
