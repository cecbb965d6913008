package org.socsecgateway.simulators;

import org.socsecgateway.simulators.admin.AdminServer;
import org.socsecgateway.simulators.codelist.DfdgCodeListSimulator;
import org.socsecgateway.simulators.db.LocalPostgres;
import org.socsecgateway.simulators.gateway.BcssGatewaySimulator;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.oauth.BcssOAuthSimulator;
import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.simulators.soap.DfdgServerBuilder;
import org.socsecgateway.simulators.wsb.StarWsbSender;
import org.socsecgateway.simulators.wsrm.DfdgWsrmSimulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulators of the local stack until the process is stopped:
 * {@code java -jar simulators/target/simulators.jar [options]}.
 * Printing to the console is deliberate here: the banner tells a developer what to configure.
 */
public final class SimulatorMain {

    static final String USAGE = """
            Usage: java -jar simulators/target/simulators.jar [options]
              --pki DIR              local certificates, created if missing (default .local-stack/pki)
              --bind-host HOST       address the HTTPS simulators listen on (default 127.0.0.1)
              --oauth-port PORT      fake BCSS OAuth v5 server (default 8443)
              --issuer-port PORT     fake Kubernetes caller token issuer (default 8444)
              --admin-port PORT      admin API, plain HTTP on 127.0.0.1 (default 8099)
              --gateway-port PORT    fake BCSS REST gateway, demo API at /demo (default 8445)
              --wsrm-port PORT       fake DFDG WSRM service (WsrmService + WsrmMessageService), mutual TLS
                                     trusting foces-client.crt (default 8447; 0 = none)
              --codelist-port PORT   fake DFDG CodeListService (the six Get<Xxx>CodeList lists), mutual TLS
                                     trusting foces-client.crt (default 8448; 0 = none)
              --client-id ID         BCSS client registered with the bcss-signing certificate
                                     (default partenaire:federal:service:bus:client:confidential)
              --client-scopes A,B    its scopes; the first is its default scope
                                     (default scope:cbss:api:demo:consult,scope:cbss:api:demo:update)
              --token-lifetime SEC   access token lifetime in seconds (default 600)
              --postgres-port PORT   embedded PostgreSQL for the local stack's wsb-receiver, on 127.0.0.1,
                                     user postgres, any password, database wsb (default 5433; 0 = none)
              --postgres-dir DIR     its data, kept across runs (default .local-stack/postgres)
              --help                 this text
            """;

    private SimulatorMain() {
    }

    /** Command line settings, with the defaults of the local stack. */
    record Options(Path pki, String bindHost, int oauthPort, int issuerPort, int adminPort, int gatewayPort,
                   int wsrmPort, int codelistPort, String clientId, List<String> clientScopes, Duration tokenLifetime,
                   int postgresPort, Path postgresDir, boolean help) {

        /** The database the local stack's wsb-receiver uses. */
        static final String WSB_DATABASE = "wsb";

        static Options parse(String... args) {
            Path pki = Path.of(".local-stack", "pki");
            String bindHost = "127.0.0.1";
            int oauthPort = 8443;
            int issuerPort = 8444;
            int adminPort = 8099;
            int gatewayPort = 8445;
            int wsrmPort = 8447;
            int codelistPort = 8448;
            String clientId = "partenaire:federal:service:bus:client:confidential";
            List<String> scopes = List.of("scope:cbss:api:demo:consult", "scope:cbss:api:demo:update");
            Duration lifetime = Duration.ofSeconds(600);
            int postgresPort = 5433;
            Path postgresDir = Path.of(".local-stack", "postgres");
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--help") || name.equals("-h")) {
                    return new Options(pki, bindHost, oauthPort, issuerPort, adminPort, gatewayPort, wsrmPort,
                            codelistPort, clientId, scopes, lifetime, postgresPort, postgresDir, true);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + name);
                }
                String value = args[++i];
                switch (name) {
                    case "--pki" -> pki = Path.of(value);
                    case "--bind-host" -> bindHost = value;
                    case "--oauth-port" -> oauthPort = number(name, value);
                    case "--issuer-port" -> issuerPort = number(name, value);
                    case "--admin-port" -> adminPort = number(name, value);
                    case "--gateway-port" -> gatewayPort = number(name, value);
                    case "--wsrm-port" -> wsrmPort = port(name, value);
                    case "--codelist-port" -> codelistPort = port(name, value);
                    case "--client-id" -> clientId = value;
                    case "--client-scopes" -> scopes = scopes(value);
                    case "--token-lifetime" -> lifetime = Duration.ofSeconds(number(name, value));
                    case "--postgres-port" -> postgresPort = port(name, value);
                    case "--postgres-dir" -> postgresDir = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            return new Options(pki, bindHost, oauthPort, issuerPort, adminPort, gatewayPort, wsrmPort, codelistPort,
                    clientId, scopes, lifetime, postgresPort, postgresDir, false);
        }

        private static int port(String name, String value) {
            int port = number(name, value);
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " needs a port between 0 and 65535, not " + value);
            }
            return port;
        }

        private static int number(String name, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " needs a number, not " + value);
            }
        }

        private static List<String> scopes(String value) {
            List<String> scopes = new ArrayList<>(new LinkedHashSet<>(Arrays.asList(value.split(","))));
            scopes.removeIf(String::isBlank);
            if (scopes.isEmpty()) {
                throw new IllegalArgumentException("--client-scopes needs at least one scope");
            }
            return List.copyOf(scopes);
        }
    }

    /**
     * The running simulators; closing stops them all.
     *
     * @param postgres  the embedded PostgreSQL, or null when {@code --postgres-port 0}
     * @param wsbJdbcUrl JDBC URL of its {@value Options#WSB_DATABASE} database, or null without PostgreSQL
     */
    record LocalStack(LocalPki pki, BcssOAuthSimulator oauth, CallerTokenIssuer callers,
                      BcssGatewaySimulator gateway, DfdgWsrmSimulator wsrm, DfdgCodeListSimulator codeLists,
                      AdminServer admin, LocalPostgres postgres, String wsbJdbcUrl) implements AutoCloseable {

        static LocalStack start(Options options) {
            LocalPki pki = LocalPki.create(options.pki());
            BcssOAuthSimulator oauth = null;
            CallerTokenIssuer callers = null;
            BcssGatewaySimulator gateway = null;
            DfdgWsrmSimulator wsrm = null;
            DfdgCodeListSimulator codeLists = null;
            LocalPostgres postgres = null;
            try {
                String wsbJdbcUrl = null;
                if (options.postgresPort() != 0) {
                    postgres = LocalPostgres.start(options.postgresDir(), options.postgresPort());
                    wsbJdbcUrl = postgres.jdbcUrl(Options.WSB_DATABASE);
                }
                oauth = BcssOAuthSimulator.builder()
                        .tls(pki.serverCert(), pki.serverKey())
                        .bindHost(options.bindHost())
                        .port(options.oauthPort())
                        .tokenLifetime(options.tokenLifetime())
                        .build()
                        .registerClient(options.clientId(), pki.signingCert(), new LinkedHashSet<>(options.clientScopes()),
                                Set.of(options.clientScopes().get(0)))
                        .start();
                callers = CallerTokenIssuer.builder()
                        .tls(pki.serverCert(), pki.serverKey())
                        .bindHost(options.bindHost())
                        .port(options.issuerPort())
                        .build()
                        .start();
                gateway = BcssGatewaySimulator.builder()
                        .tls(pki.serverCert(), pki.serverKey())
                        // BCSS asks for the client's registered certificate, the same one that signs its JWTs.
                        .requireClientCertificate(pki.signingCert())
                        .bindHost(options.bindHost())
                        .port(options.gatewayPort())
                        .authorizationServer(oauth)
                        .build()
                        .start();
                if (options.wsrmPort() != 0) {
                    // DFDG requires a FOCES/OCES3 function certificate: the poller presents foces-client
                    wsrm = dfdgFake(DfdgWsrmSimulator.builder(), pki, options.bindHost(), options.wsrmPort())
                            .build().start();
                }
                if (options.codelistPort() != 0) {
                    // the code-list client presents the same function certificate
                    codeLists = dfdgFake(DfdgCodeListSimulator.builder(), pki, options.bindHost(),
                            options.codelistPort()).build().start();
                }
                // the WSB sender presents the STAR client identity and trusts receivers with the local server certificate
                StarWsbSender.Builder wsb = StarWsbSender.builder()
                        .clientIdentity(pki.starClientCert(), pki.starClientKey())
                        .trust(pki.serverCert());
                AdminServer admin = new AdminServer(oauth, callers, gateway, wsb, wsrm, codeLists, options.adminPort())
                        .start();
                return new LocalStack(pki, oauth, callers, gateway, wsrm, codeLists, admin, postgres, wsbJdbcUrl);
            } catch (RuntimeException e) {
                closeQuietly(codeLists);
                closeQuietly(wsrm);
                closeQuietly(gateway);
                closeQuietly(callers);
                closeQuietly(oauth);
                closeQuietly(postgres);
                throw e;
            }
        }

        /** A fake DFDG service's settings: the local server certificate, mutual TLS with the foces-client one. */
        private static <B extends DfdgServerBuilder<B>> B dfdgFake(B builder, LocalPki pki, String bindHost, int port) {
            return builder.tls(pki.serverCert(), pki.serverKey()).requireClientCertificate(pki.focesClientCert())
                    .bindHost(bindHost).port(port);
        }

        String banner(Options options) {
            return String.join(System.lineSeparator(),
                    "socsec-gateway simulators are running (Ctrl+C to stop)",
                    "  BCSS OAuth v5",
                    "    issuer           " + oauth.issuer(),
                    "    metadata         " + oauth.metadataUrl(),
                    "    token endpoint   " + oauth.tokenEndpoint(),
                    "    client id        " + options.clientId(),
                    "    scopes           " + String.join(" ", options.clientScopes())
                            + " (default " + options.clientScopes().get(0) + ")",
                    "    token lifetime   " + options.tokenLifetime().toSeconds() + " s",
                    "  BCSS REST gateway (tokens of the OAuth server above)",
                    "    base URL         " + gateway.baseUrl("demo"),
                    "    health           " + gateway.baseUrl("demo") + "/health",
                    wsrm == null
                            ? "  DFDG WSRM          not started (--wsrm-port 0)"
                            : "  DFDG WSRM (client certificate " + pki.focesClientCert().getFileName() + ", "
                                    + LocalPki.FOCES_CLIENT_USER_IDENTIFIER + ")" + System.lineSeparator()
                                    + "    WsrmService        " + wsrm.wsrmServiceUrl() + System.lineSeparator()
                                    + "    WsrmMessageService " + wsrm.messageServiceUrl() + System.lineSeparator()
                                    + "    queue            GET/POST " + admin.url() + "/admin/wsrm[/load]",
                    codeLists == null
                            ? "  DFDG code lists    not started (--codelist-port 0)"
                            : "  DFDG code lists (client certificate " + pki.focesClientCert().getFileName() + ")"
                                    + System.lineSeparator()
                                    + "    CodeListService  " + codeLists.codeListServiceUrl() + System.lineSeparator()
                                    + "    lists            GET/POST " + admin.url() + "/admin/codelists[/{operation}/...]",
                    "  caller token issuer (Kubernetes stand-in)",
                    "    issuer           " + callers.issuer(),
                    "    jwks             " + callers.jwksUrl(),
                    "  admin API          " + admin.url() + "/admin/health",
                    "  STAR WSB sender    POST " + admin.url() + "/admin/wsb/send (receivers must trust "
                            + pki.starClientCert().getFileName() + " and present the server cert)",
                    postgres == null
                            ? "  PostgreSQL         not started (--postgres-port 0)"
                            : "  PostgreSQL         " + wsbJdbcUrl + " (user " + LocalPostgres.USER
                                    + ", any password; data in " + postgres.dataDir() + ")",
                    "  PKI " + pki.dir() + " (PKCS#12 password " + pki.password() + ", local use only)",
                    "    server cert      " + pki.serverCert(),
                    "    server key       " + pki.serverKey(),
                    "    server keystore  " + pki.serverKeystoreP12(),
                    "    truststore       " + pki.serverTruststoreP12(),
                    "    signing cert     " + pki.signingCert(),
                    "    signing key      " + pki.signingKey(),
                    "    signing keystore " + pki.signingKeystoreP12(),
                    "    STAR client cert " + pki.starClientCert(),
                    "    STAR client key  " + pki.starClientKey(),
                    "    FOCES client cert " + pki.focesClientCert(),
                    "    FOCES client key  " + pki.focesClientKey(),
                    "    FOCES keystore    " + pki.focesClientKeystoreP12());
        }

        @Override
        public void close() {
            closeQuietly(admin);
            closeQuietly(codeLists);
            closeQuietly(wsrm);
            closeQuietly(gateway);
            closeQuietly(callers);
            closeQuietly(oauth);
            closeQuietly(postgres); // last: a service still connected to it is cut off (fast shutdown)
        }

        private static void closeQuietly(AutoCloseable closeable) {
            if (closeable == null) {
                return;
            }
            try {
                closeable.close();
            } catch (Exception e) {
                System.getLogger(SimulatorMain.class.getName())
                        .log(System.Logger.Level.WARNING, "error while stopping a simulator", e);
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(USAGE);
            return;
        }
        LocalStack stack = LocalStack.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "simulators-shutdown"));
        System.out.println(stack.banner(options));
        stopped.await();
    }
}
