package org.socsecgateway.dfdgpoller.client;

import org.socsecgateway.dfdg.soap.DfdgFault;

/** A DFDG call that got no SOAP answer at all (transport failure, HTTP error page, empty body): worth sending again. */
public class DfdgUnavailableException extends DfdgCallException {

    public DfdgUnavailableException(String operation, DfdgFault fault) {
        super(operation, fault);
    }
}
