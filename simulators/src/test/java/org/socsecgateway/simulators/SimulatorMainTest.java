package org.socsecgateway.simulators;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatorMainTest {

    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheLocalStack() {
        SimulatorMain.Options options = SimulatorMain.Options.parse();

        assertThat(options.pki()).isEqualTo(Path.of(".local-stack/pki"));
        assertThat(options.oauthPort()).isEqualTo(8443);
        assertThat(options.issuerPort()).isEqualTo(8444);
        assertThat(options.adminPort()).isEqualTo(8099);
        assertThat(options.gatewayPort()).isEqualTo(8445);
        assertThat(options.wsrmPort()).isEqualTo(8447);
        assertThat(options.codelistPort()).isEqualTo(8448);
        assertThat(options.clientId()).isEqualTo("partenaire:federal:service:bus:client:confidential");
        assertThat(options.clientScopes()).containsExactly("scope:cbss:api:demo:consult", "scope:cbss:api:demo:update");
        assertThat(options.tokenLifetime()).isEqualTo(Duration.ofSeconds(600));
        assertThat(options.postgresPort()).isEqualTo(5433);
        assertThat(options.postgresDir()).isEqualTo(Path.of(".local-stack/postgres"));
        assertThat(options.help()).isFalse();
    }

    @Test
    void parsesOptionsAndRejectsUnknownOnes() {
        SimulatorMain.Options options = SimulatorMain.Options.parse("--oauth-port", "9443", "--client-scopes", "a,b",
                "--token-lifetime", "60", "--gateway-port", "9445", "--postgres-port", "0", "--postgres-dir", "/tmp/pg",
                "--wsrm-port", "0", "--codelist-port", "9448");

        assertThat(options.oauthPort()).isEqualTo(9443);
        assertThat(options.codelistPort()).isEqualTo(9448);
        assertThat(options.gatewayPort()).isEqualTo(9445);
        assertThat(options.wsrmPort()).isZero();
        assertThat(options.clientScopes()).containsExactly("a", "b");
        assertThat(options.tokenLifetime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.postgresPort()).isZero();
        assertThat(options.postgresDir()).isEqualTo(Path.of("/tmp/pg"));
        assertThatThrownBy(() -> SimulatorMain.Options.parse("--postgres-port", "70000")).hasMessageContaining("--postgres-port");
        assertThat(SimulatorMain.Options.parse("--help").help()).isTrue();
        assertThatThrownBy(() -> SimulatorMain.Options.parse("--nope", "1")).hasMessageContaining("--nope");
        assertThatThrownBy(() -> SimulatorMain.Options.parse("--oauth-port")).hasMessageContaining("missing value");
    }

    @Test
    void startsTheWholeStackAndDescribesIt() throws Exception {
        int wsrmPort;
        int codelistPort;
        try (ServerSocket socket = new ServerSocket(0); ServerSocket other = new ServerSocket(0)) {
            wsrmPort = socket.getLocalPort();
            codelistPort = other.getLocalPort();
        }
        SimulatorMain.Options options = SimulatorMain.Options.parse("--pki", dir.resolve("pki").toString(),
                "--oauth-port", "0", "--issuer-port", "0", "--admin-port", "0", "--gateway-port", "0",
                "--postgres-port", "0", "--wsrm-port", Integer.toString(wsrmPort),
                "--codelist-port", Integer.toString(codelistPort));

        try (SimulatorMain.LocalStack stack = SimulatorMain.LocalStack.start(options)) {
            String banner = stack.banner(options);

            assertThat(stack.postgres()).isNull();
            assertThat(banner).contains("PostgreSQL         not started");

            assertThat(banner).contains(stack.oauth().tokenEndpoint(), stack.oauth().metadataUrl(),
                    stack.callers().jwksUrl(), stack.admin().url(), stack.pki().signingCert().toString(),
                    stack.gateway().baseUrl("demo"), stack.admin().url() + "/admin/wsb/send",
                    stack.pki().starClientCert().toString(),
                    stack.wsrm().wsrmServiceUrl(), stack.wsrm().messageServiceUrl(),
                    stack.pki().focesClientCert().toString(), stack.admin().url() + "/admin/wsrm",
                    stack.codeLists().codeListServiceUrl(), stack.admin().url() + "/admin/codelists",
                    options.clientId());
            assertThat(stack.wsrm().port()).isEqualTo(wsrmPort);
            assertThat(stack.codeLists().port()).isEqualTo(codelistPort);
            assertThat(List.of(stack.pki().serverCert(), stack.pki().signingKeystoreP12())).allSatisfy(
                    file -> assertThat(file).isRegularFile());
        }
    }

    @Test
    void runsAnEmbeddedPostgresWithTheWsbDatabaseAndStopsIt() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        SimulatorMain.Options options = SimulatorMain.Options.parse("--pki", dir.resolve("pki").toString(),
                "--oauth-port", "0", "--issuer-port", "0", "--admin-port", "0", "--gateway-port", "0",
                "--postgres-port", Integer.toString(port), "--postgres-dir", dir.resolve("pg").toString(),
                "--wsrm-port", "0", "--codelist-port", "0");

        String jdbcUrl;
        try (SimulatorMain.LocalStack stack = SimulatorMain.LocalStack.start(options)) {
            jdbcUrl = stack.wsbJdbcUrl();
            assertThat(jdbcUrl).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/wsb");
            assertThat(stack.banner(options)).contains(jdbcUrl, dir.resolve("pg").toString());
            assertThat(stack.codeLists()).isNull();
            assertThat(stack.banner(options)).contains("DFDG code lists    not started (--codelist-port 0)");
            try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "any");
                 ResultSet row = connection.createStatement().executeQuery("select current_database()")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("wsb");
            }
        }
        assertThatThrownBy(() -> DriverManager.getConnection(jdbcUrl, "postgres", "any")).isInstanceOf(SQLException.class);
    }
}
