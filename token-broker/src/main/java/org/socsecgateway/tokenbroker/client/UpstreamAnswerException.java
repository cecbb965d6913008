package org.socsecgateway.tokenbroker.client;

/**
 * The authorization server answered, but the answer cannot be used: not JSON, not the RFC 6749 section 5.1 shape,
 * an {@code expires_in} that is no usable lifetime, an unexpected status. The message states what was wrong (it
 * never quotes the token) and becomes the detail of a 502.
 */
public class UpstreamAnswerException extends RuntimeException {

    public UpstreamAnswerException(String reason) {
        super(reason, null, false, false);
    }
}
