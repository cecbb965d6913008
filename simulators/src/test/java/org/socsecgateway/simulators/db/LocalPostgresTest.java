package org.socsecgateway.simulators.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalPostgresTest {

    @Test
    void keepsCommittedDataAcrossStopAndRestartAndIsDurablyConfigured(@TempDir Path dir) throws SQLException {
        try (LocalPostgres postgres = LocalPostgres.start(dir.resolve("pg"), 0)) {
            String url = postgres.jdbcUrl("inbox");
            try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, ""); Statement s = c.createStatement()) {
                s.execute("create table t (v text)");
                s.execute("insert into t values ('kept')");
                assertThat(setting(s, "fsync")).isEqualTo("on");
                assertThat(setting(s, "synchronous_commit")).isEqualTo("on");
            }
            postgres.stop();
            assertThatThrownBy(() -> DriverManager.getConnection(url, LocalPostgres.USER, "").close()).isInstanceOf(SQLException.class);

            postgres.restart();
            try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, ""); Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("select v from t")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("kept");
            }
        }
    }

    private static String setting(Statement s, String name) throws SQLException {
        try (ResultSet row = s.executeQuery("show " + name)) {
            row.next();
            return row.getString(1);
        }
    }
}
