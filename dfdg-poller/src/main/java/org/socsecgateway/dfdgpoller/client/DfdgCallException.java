package org.socsecgateway.dfdgpoller.client;

import org.socsecgateway.dfdg.soap.DfdgFault;

/** A DFDG call that did not give a usable answer: which operation, and the classified {@link DfdgFault}. */
public class DfdgCallException extends Exception {

    private final String operation;
    private final DfdgFault fault;

    public DfdgCallException(String operation, DfdgFault fault) {
        super(operation + ": " + fault.describe());
        this.operation = operation;
        this.fault = fault;
    }

    /** The WSRM or Get operation that failed. */
    public String operation() {
        return operation;
    }

    public DfdgFault fault() {
        return fault;
    }
}
