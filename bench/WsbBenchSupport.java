import org.socsecgateway.simulators.db.LocalPostgres;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.pki.LocalPki;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What the drivers of the wsb-receiver scripts (bench/WsbCrash.java, bench/WsbIngestBench.java) share: the options,
 * PostgreSQL and the caller-token issuer with the {@code driver.env} / {@code finished} / {@code stop} hand-shake
 * through files in DIR, and small helpers. bench/lib.sh (stage_receiver_driver) compiles it with the driver.
 */
public final class WsbBenchSupport {

    private WsbBenchSupport() {
    }

    /** What {@link #startStack} started; both stop when the process exits. */
    record Stack(LocalPki pki, LocalPostgres postgres, CallerTokenIssuer issuer, String jdbcUrl) {
    }

    /**
     * Creates the PKI in DIR/pki, starts PostgreSQL (data in DIR/pg) on {@code pgPort} and the caller-token issuer on
     * {@code issuerPort}, both stopped by a shutdown hook (thread {@code shutdownThread}), then writes
     * {@code driver.env} (JDBC_URL of database wsb, PIN = SHA-256 of STAR's certificate, READY=1) for the script.
     */
    static Stack startStack(Path dir, int pgPort, int issuerPort, String shutdownThread) throws Exception {
        LocalPki pki = LocalPki.create(dir.resolve("pki"));
        LocalPostgres postgres = LocalPostgres.start(dir.resolve("pg"), pgPort);
        CallerTokenIssuer issuer = CallerTokenIssuer.builder().tls(pki.serverCert(), pki.serverKey()).port(issuerPort).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            issuer.close();
            postgres.close();
        }, shutdownThread));
        String jdbcUrl = postgres.jdbcUrl("wsb");
        writeAtomically(dir.resolve("driver.env"), "JDBC_URL=" + jdbcUrl + "\nPIN=" + sha256(pki.starClientCert())
                + "\nREADY=1\n");
        return new Stack(pki, postgres, issuer, jdbcUrl);
    }

    /**
     * Prints {@code out} as key=value lines, writes {@code finished} and waits (at most 60 s) until the script has
     * created {@code stop}: PostgreSQL stops with this process, so the script first reads the receiver's counters and
     * stops it.
     */
    static void finish(Path dir, Map<String, Object> out) throws IOException, InterruptedException {
        out.forEach((k, v) -> System.out.println(k + "=" + v));
        System.out.flush();
        writeAtomically(dir.resolve("finished"), "1\n");
        long stopDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(dir.resolve("stop")) && System.nanoTime() < stopDeadline) {
            Thread.sleep(100);
        }
    }

    static long single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The server settings that decide durability, as name=value pairs (e.g. fsync=on,synchronous_commit=on). */
    static String settings(Connection connection) throws SQLException {
        StringBuilder settings = new StringBuilder();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes',"
                        + " 'wal_sync_method', 'commit_delay', 'shared_buffers', 'max_wal_size') order by name")) {
            while (rows.next()) {
                settings.append(settings.isEmpty() ? "" : ",").append(rows.getString(1)).append('=').append(rows.getString(2));
            }
        }
        return settings.toString();
    }

    static String sha256(Path certPem) throws Exception {
        try (InputStream in = Files.newInputStream(certPem)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        }
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** One page of wsb-receiver's feed ({@code GET /v1/events?after=&limit=1000}); any other status than 200 ends the driver. */
    static com.fasterxml.jackson.databind.JsonNode feedPage(java.net.http.HttpClient http,
            com.fasterxml.jackson.databind.ObjectMapper json, int httpPort, String token, String after)
            throws IOException, InterruptedException {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://127.0.0.1:" + httpPort + "/v1/events?after=" + after + "&limit=1000"))
                .header("Authorization", "Bearer " + token).timeout(java.time.Duration.ofSeconds(30)).GET().build();
        java.net.http.HttpResponse<InputStream> response = http.send(request,
                java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                System.out.println("fatal=GET /v1/events answered " + response.statusCode() + ": " + new String(body.readAllBytes()));
                System.exit(2);
            }
            return json.readTree(body);
        }
    }

    static void checkDeadline(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            System.out.println("fatal=" + what + " (time limit)");
            System.exit(2);
        }
    }

    static void log(String message) {
        System.err.printf("[driver %tT] %s%n", System.currentTimeMillis(), message);
    }

    /** {@code --name value} pairs; each of {@code required} must be there. */
    static Map<String, String> parse(String[] args, String... required) {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        for (String name : List.of(required)) {
            if (!options.containsKey(name)) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
        }
        return options;
    }
}
