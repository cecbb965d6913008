package org.socsecgateway.dfdgpoller.client;

/** wsb-receiver refused a call (4xx: a bug or a configuration problem; sending it again will not help). */
public class WsbReceiverException extends RuntimeException {

    private final int status;

    public WsbReceiverException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, 0 when no answer came. */
    public int status() {
        return status;
    }
}
