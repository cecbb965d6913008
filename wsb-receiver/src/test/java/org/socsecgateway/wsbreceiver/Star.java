package org.socsecgateway.wsbreceiver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.socsecgateway.simulators.db.LocalPostgres;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.simulators.wsb.StarWsbSender;

import io.agroal.api.AgroalDataSource;

/** The running partners of a test: certificates, database, caller tokens, and clients built from them. */
public final class Star implements AutoCloseable {

    private final LocalPki pki;
    private final LocalPki.Identity impostor;
    private final LocalPki.Identity stranger;
    private final LocalPostgres postgres;
    private final CallerTokenIssuer issuer;
    private final String jdbcUrl;
    private final int webhookPort;

    Star(LocalPki pki, LocalPki.Identity impostor, LocalPki.Identity stranger, LocalPostgres postgres, CallerTokenIssuer issuer,
         String jdbcUrl, int webhookPort) {
        this.webhookPort = webhookPort;
        this.pki = pki;
        this.impostor = impostor;
        this.stranger = stranger;
        this.postgres = postgres;
        this.issuer = issuer;
        this.jdbcUrl = jdbcUrl;
    }

    public LocalPki pki() {
        return pki;
    }

    public LocalPki.Identity impostor() {
        return impostor;
    }

    public LocalPki.Identity stranger() {
        return stranger;
    }

    public LocalPostgres postgres() {
        return postgres;
    }

    /** https://localhost:port of the webhook listener. */
    public String webhookBase() {
        return "https://localhost:" + webhookPort;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** A caller token for the internal API. */
    public String token(String subject) {
        return issuer.mint(subject, SimulatedStar.AUDIENCE, Duration.ofMinutes(10));
    }

    public CallerTokenIssuer issuer() {
        return issuer;
    }

    /** A STAR sender with STAR's certificate, posting to {@code webhookBase} (https://localhost:port). */
    public StarWsbSender.Builder sender(String webhookBase) {
        return StarWsbSender.builder()
                .clientIdentity(pki.starClientCert(), pki.starClientKey())
                .trust(pki.serverCert())
                .target(webhookBase)
                .retryBaseDelay(Duration.ofMillis(20))
                .requestTimeout(Duration.ofSeconds(10));
    }

    /** A JDK client presenting the given PKCS#12 identity (null: none), trusting the receiver's server certificate. */
    public HttpClient tlsClient(Path clientKeystoreP12) {
        return tlsClient(clientKeystoreP12, HttpClient.Version.HTTP_1_1, Duration.ofSeconds(5));
    }

    /**
     * As {@link #tlsClient(Path)}, speaking {@code version} (HTTP/2 is negotiated with ALPN), with a connect timeout
     * that covers the TCP connection and the TLS handshake.
     */
    public HttpClient tlsClient(Path clientKeystoreP12, HttpClient.Version version, Duration connectTimeout) {
        try {
            KeyManagerFactory keys = null;
            if (clientKeystoreP12 != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(clientKeystoreP12)) {
                    store.load(in, pki.password().toCharArray());
                }
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, pki.password().toCharArray());
            }
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry("receiver", certificate(pki.serverCert()));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManager[] keyManagers = keys == null ? null
                    : new KeyManager[] {new AlwaysPresent((X509ExtendedKeyManager) keys.getKeyManagers()[0])};
            context.init(keyManagers, trust.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(context).version(version)
                    .connectTimeout(connectTimeout).build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a TLS client", e);
        }
    }

    /**
     * Presents its certificate even when the server's list of accepted issuers does not name it (the JDK would
     * otherwise quietly send none), so a test really shows a wrong certificate to the receiver.
     */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;

        AlwaysPresent(X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        private String alias() {
            return keys.getClientAliases("RSA", null) != null ? keys.getClientAliases("RSA", null)[0] : keys.getClientAliases("EC", null)[0];
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return alias();
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return alias();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return keys.getClientAliases(keyType, null);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keys.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return keys.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    /** POSTs a body with a content type; the status and body of the answer. */
    public static HttpResponse<String> post(HttpClient client, String url, String contentType, byte[] body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Starts the stopped database again and empties the receiver's pool. In service, each connection pooled before
     * the restart fails one request (a 503 STAR retries) and is discarded; a test that stopped the database clears
     * them, so that a later test's first requests do not meet them.
     */
    public void restartPostgres(AgroalDataSource receiverPool) {
        postgres.restart();
        receiverPool.flush(AgroalDataSource.FlushMode.GRACEFUL); // idle ones now, busy ones when returned
    }

    /** A number from the database, e.g. {@code select count(*) from inbox_event where authority = ?}. */
    public long count(String sql, Object... parameters) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, "");
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The raw JSON stored for a message id. */
    public String rawOf(String messageId) {
        try (Connection connection = connect();
             PreparedStatement statement = connection.prepareStatement("select raw from inbox_event where message_id = ?")) {
            statement.setString(1, messageId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs an update directly in the database (test set-up: ageing rows, holding transactions). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, LocalPostgres.USER, "");
    }

    static X509Certificate certificate(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        issuer.close();
        postgres.close();
    }
}
