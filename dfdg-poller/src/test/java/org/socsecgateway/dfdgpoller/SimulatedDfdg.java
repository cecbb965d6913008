package org.socsecgateway.dfdgpoller;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.socsecgateway.common.testing.QuarkusJarProcess;
import org.socsecgateway.simulators.db.LocalPostgres;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.simulators.wsrm.DfdgWsrmSimulator;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * What the poller meets in production, for real: DFDG's WSRM service (the simulator, mutual TLS with a FOCES-like
 * client certificate, the protocol's rules), and the real wsb-receiver (its packaged jar, its own process) on an
 * embedded PostgreSQL, with the cluster's caller-token issuer. All certificates are generated for this run.
 */
public class SimulatedDfdg implements QuarkusTestResourceLifecycleManager {

    /** The subscriber (ActiveOrganisationHeader type:code) the poller drains. */
    public static final String SUBSCRIBER = "8:101";
    public static final String POLLER = "system:serviceaccount:socsec:dfdg-poller";
    public static final String READER = "system:serviceaccount:apps:case-system";
    public static final String USER_IDENTIFIER = LocalPki.FOCES_CLIENT_USER_IDENTIFIER;
    public static final String AUTHORITY = "DFDG-WSRM";
    /** The UUID in the subject of the renewed FOCES certificate. */
    public static final String RENEWED_UUID = "7d3c1a52-0b8e-4f5e-9a61-2c4b8e9f0d17";

    /** Marks the test field that receives the running {@link Dfdg}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectDfdg {
    }

    /** Init arg: {@code "false"} runs DFDG without SequenceAcknowledgement, as its later versions. */
    public static final String ACKNOWLEDGEMENTS = "acknowledgements";

    /** Init arg: {@code "true"} lets the scheduler drain every 2 s (the packaged jar's test); otherwise tests drain. */
    public static final String SCHEDULED = "scheduled";

    private Dfdg dfdg;
    private boolean acknowledgements = true;
    private boolean scheduled;

    @Override
    public void init(Map<String, String> initArgs) {
        acknowledgements = Boolean.parseBoolean(initArgs.getOrDefault(ACKNOWLEDGEMENTS, "true"));
        scheduled = Boolean.parseBoolean(initArgs.getOrDefault(SCHEDULED, "false"));
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("dfdg-poller-test");
            LocalPki pki = LocalPki.create(dir.resolve("pki"));
            CallerTokenIssuer issuer = CallerTokenIssuer.builder().tls(pki.serverCert(), pki.serverKey()).build().start();
            LocalPostgres postgres = LocalPostgres.start(dir.resolve("pg"), 0);
            Map<String, String> receiverConfig = new HashMap<>();
            receiverConfig.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl("wsb"));
            receiverConfig.put("quarkus.datasource.username", LocalPostgres.USER);
            receiverConfig.put("quarkus.datasource.password", "unused-trust-auth");
            receiverConfig.put("quarkus.datasource.jdbc.acquisition-timeout", "2S");
            receiverConfig.put("quarkus.tls.webhook.key-store.pem.0.cert", pki.serverCert().toString());
            receiverConfig.put("quarkus.tls.webhook.key-store.pem.0.key", pki.serverKey().toString());
            receiverConfig.put("quarkus.tls.webhook.trust-store.pem.certs", pki.starClientCert().toString());
            receiverConfig.put("wsb.webhook.allow-unpinned", "true");
            receiverConfig.put("wsb.ingest.callers", POLLER);
            receiverConfig.put("wsb.readers[0].subject", READER);
            receiverConfig.put("wsb.feed.publish-interval", "200ms");
            receiverConfig.put("wsb.feed.poll-interval", "200ms");
            receiverConfig.put("wsb.database-retry-after", "1s");
            receiverConfig.put("mp.jwt.verify.publickey.location", issuer.jwksUrl());
            receiverConfig.put("mp.jwt.verify.issuer", issuer.issuer());
            receiverConfig.put("smallrye.jwt.client.tls.certificate.path", pki.serverCert().toString());
            QuarkusJarProcess receiver = QuarkusJarProcess.start("wsb-receiver",
                    QuarkusJarProcess.jar("wsb-receiver.jar", "../wsb-receiver/target/quarkus-app/quarkus-run.jar"),
                    receiverConfig, dir.resolve("wsb-receiver.log"));

            // The poller reads its FOCES identity from a copy, so a test can renew it (RENEWED_UUID) in place; DFDG
            // trusts both.
            Path focesCert = dir.resolve("foces.crt");
            Path focesKey = dir.resolve("foces.key");
            Files.copy(pki.focesClientCert(), focesCert);
            Files.copy(pki.focesClientKey(), focesKey);
            LocalPki.Identity renewed = pki.identity("foces-renewed",
                    "socsec-gateway dfdg-poller (renewed),SERIALNUMBER=CVR:12345678-UUID:" + RENEWED_UUID);
            Path trusted = dir.resolve("foces-trusted.pem");
            Files.writeString(trusted, Files.readString(pki.focesClientCert()) + Files.readString(renewed.cert()));
            DfdgWsrmSimulator simulator = DfdgWsrmSimulator.builder()
                    .tls(pki.serverCert(), pki.serverKey())
                    .requireClientCertificate(trusted)
                    .port(0).bindHost("127.0.0.1").host("localhost")
                    // short, so a sequence left open (a stopped poller) comes back within the tests; long enough for a cold
                    // first ingest
                    .sequenceExpiry(Duration.ofSeconds(10))
                    .acknowledgements(acknowledgements)
                    .build().start();

            Path token = dir.resolve("poller-token");
            Files.writeString(token, issuer.mint(POLLER, "wsb-receiver", Duration.ofHours(2)));
            dfdg = new Dfdg(pki, issuer, postgres, receiver, simulator, dir, renewed, focesCert, focesKey);

            Map<String, String> config = new HashMap<>();
            config.put("quarkus.management.port", "0");
            if (scheduled) {
                config.put("poller.schedule.every", "2s");
                config.put("poller.schedule.initial-delay", "1s");
            } else {
                config.put("quarkus.scheduler.enabled", "false");
            }
            config.put("poller.dfdg.wsrm-service-url", simulator.wsrmServiceUrl());
            config.put("quarkus.tls.dfdg.key-store.pem.0.cert", focesCert.toString());
            config.put("quarkus.tls.dfdg.key-store.pem.0.key", focesKey.toString());
            config.put("quarkus.tls.dfdg.trust-store.pem.certs", pki.serverCert().toString());
            config.put("dfdg.caller.organisation-type", "8");
            config.put("dfdg.caller.organisation-code", "101");
            config.put("dfdg.caller.user-full-name", "socsec-gateway dfdg-poller (test)");
            config.put("dfdg.caller.user-identifier", USER_IDENTIFIER);
            config.put("poller.ingest.url", receiver.url());
            config.put("poller.ingest.token-file", token.toString());
            config.put("poller.wsrm.ingest-batch", "200");
            // short, so a wsb-receiver outage ends the drain within seconds
            config.put("poller.ingest.timeout", "5s");
            // receipts are sent again once here (production: 4 times), so the wsb-receiver outage test ends sooner
            config.put("org.socsecgateway.dfdgpoller.client.WsbReceiverClient/recordSequence/Retry/maxRetries", "1");
            config.put("quarkus.cxf.client.wsrm.receive-timeout", "10000");
            config.put("quarkus.cxf.client.wsrm-message.receive-timeout", "10000");
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(dfdg, new TestInjector.AnnotatedAndMatchesType(InjectDfdg.class, Dfdg.class));
    }

    @Override
    public void stop() {
        if (dfdg != null) {
            dfdg.close();
        }
    }
}
