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

    /** True when DFDG did not answer at all (worth one quick retry), false for a fault DFDG sent. */
    public boolean noAnswer() {
        return !fault.sentByDfdg();
    }
}
