package org.socsecgateway.wsbreceiver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/** Data errors are the message's fault, connection and resource trouble is transient. */
class SqlStatesTest {

    private static SQLException state(String state) {
        return new SQLException("x", state);
    }

    @Test
    void dataAndIntegrityErrorsAreTheMessagesFault() {
        for (String state : new String[] {"22021", "22008", "22003", "22P02", "22P05", "23502", "23505", "23514"}) {
            assertThat(SqlStates.isMessageFault(state(state))).as(state).isTrue();
            assertThat(SqlStates.isTransient(state(state))).as(state).isFalse();
        }
    }

    @Test
    void connectionResourceAndConcurrencyTroubleIsTransient() {
        for (String state : new String[] {"08001", "08006", "08003", "57P01", "57P03", "53300", "53100", "40001", "40P01", "55P03", "57014", "58030"}) {
            assertThat(SqlStates.isTransient(state(state))).as(state).isTrue();
            assertThat(SqlStates.isMessageFault(state(state))).as(state).isFalse();
        }
        assertThat(SqlStates.isTransient(new SQLException("Sorry, acquisition timeout!"))).isTrue();
        // the state of a wrapped cause counts
        assertThat(SqlStates.isMessageFault(new SQLException("outer", null, state("22021")))).isTrue();
    }
}
