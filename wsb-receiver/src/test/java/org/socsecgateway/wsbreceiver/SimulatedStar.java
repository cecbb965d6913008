package org.socsecgateway.wsbreceiver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

import org.socsecgateway.common.tls.Certificates;
import org.socsecgateway.simulators.db.LocalPostgres;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.pki.LocalPki;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * What the receiver meets in production, for real: a PostgreSQL server (embedded, with its data kept across a stop),
 * STAR's client certificate, an impostor certificate that the trust store accepts but that is not pinned, and the
 * cluster's caller-token issuer. All certificates are generated for this run.
 */
public class SimulatedStar implements QuarkusTestResourceLifecycleManager {

    public static final String AKASSE = "AKASSE:58";
    public static final String KOMMUNE = "KOMMUNE:101";
    public static final String AKASSE_PATH = "/wsb/akasse-58";
    public static final String KOMMUNE_PATH = "/wsb/kommune-101";
    /** Used only by the load tests, so they can count exactly what they sent. */
    public static final String JOBCENTER = "JOBCENTER:7";
    public static final String JOBCENTER_PATH = "/wsb/jobcenter-7";
    public static final String POLLER = "system:serviceaccount:socsec:dfdg-poller";
    public static final String ALL_READER = "system:serviceaccount:apps:case-system";
    public static final String AKASSE_READER = "system:serviceaccount:apps:akasse-only";
    public static final String MEMBERSHIP_READER = "system:serviceaccount:apps:memberships-only";
    public static final String STRANGER = "system:serviceaccount:apps:stranger";
    /** May read the WSRM sequence receipts (wsb.wsrm.receipt-readers), nothing else. */
    public static final String RECEIPT_READER = "system:serviceaccount:ops:wsrm-auditor";
    public static final String AUDIENCE = "wsb-receiver";
    /** Small, so the 413 test needs no large body. */
    public static final int MAX_MESSAGE_SIZE = 8 * 1024;
    /** quarkus.http.limits.max-body-size: small, so the internal listener's 413 tests need no large body. */
    public static final int MAX_BODY_SIZE = 1024 * 1024;

    /** Marks the test field that receives the running {@link Star}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectStar {
    }

    private Star star;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("wsb-receiver-test");
            LocalPki pki = LocalPki.create(dir.resolve("pki"));
            LocalPki.Identity impostor = pki.identity("impostor", "trusted but not pinned");
            LocalPki.Identity stranger = pki.identity("stranger", "not trusted at all");
            // The trust store holds STAR's certificate and the impostor's; only STAR's fingerprint is pinned.
            Path trust = dir.resolve("star-trust.pem");
            Files.writeString(trust, Files.readString(pki.starClientCert()) + Files.readString(impostor.cert()));
            LocalPostgres postgres = LocalPostgres.start(dir.resolve("pg"), 0);
            CallerTokenIssuer issuer = CallerTokenIssuer.builder().tls(pki.serverCert(), pki.serverKey()).build().start();
            int webhookPort = freePort();
            star = new Star(pki, impostor, stranger, postgres, issuer, postgres.jdbcUrl("inbox"), webhookPort);

            Map<String, String> config = new HashMap<>();
            // a known port, so the packaged jar (WsbReceiverIT) can be reached on it too
            config.put("quarkus.http.test-ssl-port", Integer.toString(webhookPort));
            config.put("quarkus.datasource.jdbc.url", star.jdbcUrl());
            // the packaged jar (*IT) takes the production management port otherwise: one a running local stack holds
            config.put("quarkus.management.port", "0");
            config.put("quarkus.datasource.username", LocalPostgres.USER);
            config.put("quarkus.datasource.password", "unused-trust-auth");
            // Short, so the outage test sees the 503 quickly.
            config.put("quarkus.datasource.jdbc.acquisition-timeout", "2S");
            config.put("quarkus.tls.webhook.key-store.pem.0.cert", pki.serverCert().toString());
            config.put("quarkus.tls.webhook.key-store.pem.0.key", pki.serverKey().toString());
            config.put("quarkus.tls.webhook.trust-store.pem.certs", trust.toString());
            config.put("wsb.webhook.pinned-sha256", colonSeparated(Certificates.sha256(Star.certificate(pki.starClientCert()))));
            config.put("wsb.webhook.max-message-size", Integer.toString(MAX_MESSAGE_SIZE));
            // Small, so the refusal tests send little over it (production: 16M, application.properties)
            config.put("quarkus.http.limits.max-body-size", Integer.toString(MAX_BODY_SIZE));
            config.put("wsb.webhook.endpoints[0].path", AKASSE_PATH);
            config.put("wsb.webhook.endpoints[0].authority", AKASSE);
            config.put("wsb.webhook.endpoints[1].path", KOMMUNE_PATH);
            config.put("wsb.webhook.endpoints[1].authority", KOMMUNE);
            config.put("wsb.webhook.endpoints[2].path", JOBCENTER_PATH);
            config.put("wsb.webhook.endpoints[2].authority", JOBCENTER);
            config.put("wsb.ingest.callers", POLLER);
            config.put("wsb.ingest.max-batch", "50");
            config.put("wsb.wsrm.receipt-readers", RECEIPT_READER);
            config.put("wsb.readers[0].subject", ALL_READER);
            config.put("wsb.readers[1].subject", AKASSE_READER);
            config.put("wsb.readers[1].authorities", AKASSE);
            config.put("wsb.readers[2].subject", MEMBERSHIP_READER);
            config.put("wsb.readers[2].types", "60010");
            config.put("wsb.feed.max-wait", "10s");
            config.put("wsb.feed.poll-interval", "200ms");
            config.put("wsb.feed.publish-interval", "200ms");
            config.put("wsb.database-retry-after", "2s");
            config.put("wsb.metrics-interval", "1s");
            config.put("mp.jwt.verify.publickey.location", issuer.jwksUrl());
            config.put("mp.jwt.verify.issuer", issuer.issuer());
            config.put("smallrye.jwt.client.tls.certificate.path", pki.serverCert().toString());
            // every caller-token refusal logged, so each test sees its own line (CallerAuthLogTest)
            config.put("socsec.caller-auth.refusal-log-interval", "PT0.001S");
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As people copy it from a certificate viewer: upper case with colons (the receiver normalises). */
    private static String colonSeparated(String hex) {
        return hex.toUpperCase().replaceAll("(..)(?!$)", "$1:");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(star, new TestInjector.AnnotatedAndMatchesType(InjectStar.class, Star.class));
    }

    @Override
    public void stop() {
        if (star != null) {
            star.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temp dir left behind is harmless
            }
        }
    }
}
