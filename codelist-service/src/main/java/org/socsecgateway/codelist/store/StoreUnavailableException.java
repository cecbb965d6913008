package org.socsecgateway.codelist.store;

/** PostgreSQL failed (down, timeout, …): worth trying again later. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String what, Throwable cause) {
        super(what + " failed: " + cause.getMessage(), cause);
    }
}
