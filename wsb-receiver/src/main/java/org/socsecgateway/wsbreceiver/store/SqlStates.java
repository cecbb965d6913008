package org.socsecgateway.wsbreceiver.store;

import java.sql.SQLException;

/**
 * Whose fault a failed statement is, by its SQLState (SQL:2016 / PostgreSQL error codes, appendix A of the PostgreSQL
 * manual). The one place both entry points (webhook and ingest) decide between "the message cannot be stored"
 * (4xx: sending it again will not help) and "the database is in trouble" (503: retry later).
 */
public final class SqlStates {

    private SqlStates() {
    }

    /**
     * Class 22 (data exception: a value out of range, U+0000 in text, bad encoding…) and class 23 (integrity
     * constraint violation): the same message fails the same way every time.
     */
    public static boolean isMessageFault(SQLException e) {
        String state = state(e);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /**
     * Trouble that passes: class 08 (connection), 53 (insufficient resources), 57P (operator intervention, e.g. the
     * server shutting down), 40001/40P01 (serialization failure, deadlock), 55P03 (lock not available), 57014
     * (statement timeout), and a failure without a state (the pool could not hand out a connection).
     */
    public static boolean isTransient(SQLException e) {
        String state = state(e);
        return state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                || state.equals("40001") || state.equals("40P01") || state.equals("55P03") || state.equals("57014")
                || state.startsWith("58");
    }

    /** The first SQLState in the exception or its causes; null when none has one. */
    public static String state(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
