package org.socsecgateway.wsbreceiver.store;

import java.sql.SQLException;

/** The database could not be used; nothing was committed. Answered 503 with Retry-After. */
public class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(String operation, SQLException cause) {
        // the SQL state and message name the failure; they never contain message content (we bind parameters)
        super(operation + " failed: SQLState " + cause.getSQLState() + ", " + cause.getMessage(), cause);
    }
}
