package org.socsecgateway.dfdgpoller.client;

/** wsb-receiver did not store (5xx, no answer, timeout): transient, worth sending again. */
public class WsbReceiverUnavailableException extends WsbReceiverException {

    public WsbReceiverUnavailableException(int status, String message, Throwable cause) {
        super(status, message, cause);
    }
}
