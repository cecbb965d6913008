package org.socsecgateway.simulators.wsrm;

/** A protocol rule broken by the caller: answered as a FaultDetails fault with this code. */
final class WsrmFault extends Exception {

    private final int errorCode;

    WsrmFault(int errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    int errorCode() {
        return errorCode;
    }
}
