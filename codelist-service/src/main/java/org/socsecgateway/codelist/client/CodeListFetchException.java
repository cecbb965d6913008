package org.socsecgateway.codelist.client;

import org.socsecgateway.dfdg.soap.DfdgFault;

/** A {@code Get<Xxx>CodeList} call that brought no list: DFDG's fault, an error page, no answer, a transport failure. */
public class CodeListFetchException extends Exception {

    private final transient DfdgFault fault;

    public CodeListFetchException(String operation, DfdgFault fault) {
        super(operation + ": " + fault.describe());
        this.fault = fault;
    }

    /** What went wrong, log-safe, with DFDG's ErrorCode when it sent one. */
    public DfdgFault fault() {
        return fault;
    }
}
