package org.socsecgateway.wsbreceiver.store;

import java.sql.SQLException;

/**
 * The database refused a value of one message for what it is (SQLState class 22 or 23, see {@link SqlStates}):
 * storing it again fails the same way. Nothing of the batch was committed. The message of the database error is not
 * kept here: it can quote the refused value (a CPR number, say).
 */
public class MessageNotStorableException extends RuntimeException {

    private final int index;
    private final String sqlState;

    public MessageNotStorableException(int index, SQLException cause) {
        super("Message " + index + " of the batch was refused by the database: SQLState " + SqlStates.state(cause), null, false, false);
        this.index = index;
        this.sqlState = SqlStates.state(cause);
    }

    /** The position of the refused message in its batch (0 for the webhook's single message), -1 when unknown. */
    public int index() {
        return index;
    }

    /** The database's SQLState, e.g. 22008 (datetime field overflow). */
    public String sqlState() {
        return sqlState;
    }
}
