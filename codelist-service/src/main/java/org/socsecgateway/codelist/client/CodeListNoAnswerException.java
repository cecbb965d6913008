package org.socsecgateway.codelist.client;

import org.socsecgateway.dfdg.soap.DfdgFault;

/** DFDG did not answer (transport failure, error page, empty answer): the one kind of failure retried at once. */
public class CodeListNoAnswerException extends CodeListFetchException {

    public CodeListNoAnswerException(String operation, DfdgFault fault) {
        super(operation, fault);
    }
}
