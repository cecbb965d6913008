package org.socsecgateway.bcssproxy;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.socsecgateway.simulators.gateway.BcssGatewaySimulator;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.oauth.BcssOAuthSimulator;
import org.socsecgateway.simulators.pki.LocalPki;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.certs.CertificateGenerator;
import io.smallrye.certs.CertificateRequest;
import io.smallrye.certs.Format;

/**
 * Everything around the proxy, for real and over TLS: the simulated Smals OAuth server, the simulated BCSS gateway
 * (requiring the proxy's client certificate), the caller-token issuer and the real token broker as a process.
 */
public class SimulatedPartners implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "partenaire:federal:service:bus:client:confidential";
    public static final String CONSULT = "scope:cbss:api:demo:consult";
    public static final String UPDATE = "scope:cbss:api:demo:update";
    public static final String PROXY_SUBJECT = "system:serviceaccount:socsec:bcss-proxy";
    public static final String PAYROLL = "system:serviceaccount:apps:payroll";
    public static final String OTHER = "system:serviceaccount:apps:other";
    /** May run the connectivity test (proxy.connectivity.operators). */
    public static final String OPERATOR = "system:serviceaccount:socsec:operator";

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectBcss {
    }

    /** What the tests reach into. */
    public record Partners(BcssOAuthSimulator oauth, BcssGatewaySimulator gateway, CallerTokenIssuer issuer, Path dir,
            String brokerMetricsUrl, Path serverCert) {

        public String callerToken(String subject) {
            return issuer.mint(subject, "bcss-proxy", Duration.ofMinutes(10));
        }
    }

    private Partners partners;
    private BrokerProcess broker;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("bcss-proxy-test");
            LocalPki pki = LocalPki.create(dir.resolve("pki"));
            Path clientDir = Files.createDirectories(dir.resolve("client"));
            new CertificateGenerator(clientDir, true).generate(new CertificateRequest().withName("proxy-client")
                    .withCN("socsec-gateway test bcss-proxy").withFormat(Format.PEM).withDuration(Duration.ofDays(30)));
            Path clientCert = clientDir.resolve("proxy-client.crt");
            Path clientKey = clientDir.resolve("proxy-client.key");

            BcssOAuthSimulator oauth = BcssOAuthSimulator.builder().tls(pki.serverCert(), pki.serverKey()).build().start();
            oauth.registerClient(CLIENT_ID, pki.signingCert(), Set.of(CONSULT, UPDATE), Set.of(CONSULT));
            BcssGatewaySimulator gateway = BcssGatewaySimulator.builder().tls(pki.serverCert(), pki.serverKey())
                    .requireClientCertificate(clientCert).authorizationServer(oauth).build().start();
            CallerTokenIssuer issuer = CallerTokenIssuer.builder().tls(pki.serverCert(), pki.serverKey()).build().start();

            Map<String, String> brokerConfig = new HashMap<>();
            brokerConfig.put("broker.environment", "test");
            brokerConfig.put("broker.client.id", CLIENT_ID);
            brokerConfig.put("broker.client.scopes", CONSULT + "," + UPDATE);
            // the tests get refused tokens replaced for the same scope sets seconds apart (token-broker's own tests cover the limit)
            brokerConfig.put("broker.cache.report-min-interval", "0s");
            brokerConfig.put("broker.endpoints.metadata", oauth.metadataUrl());
            brokerConfig.put("broker.endpoints.token", oauth.tokenEndpoint());
            brokerConfig.put("broker.key.pem-key", pki.signingKey().toString());
            brokerConfig.put("broker.key.pem-cert", pki.signingCert().toString());
            brokerConfig.put("quarkus.tls.bcss-oauth.trust-store.pem.certs", pki.serverCert().toString());
            brokerConfig.put("mp.jwt.verify.publickey.location", issuer.jwksUrl());
            brokerConfig.put("mp.jwt.verify.issuer", issuer.issuer());
            brokerConfig.put("smallrye.jwt.client.tls.certificate.path", pki.serverCert().toString());
            brokerConfig.put("broker.callers[0].subject", PROXY_SUBJECT);
            brokerConfig.put("broker.callers[0].scopes", CONSULT + "," + UPDATE);
            broker = BrokerProcess.start(brokerConfig, Path.of("target", "token-broker-process.log"));
            partners = new Partners(oauth, gateway, issuer, dir, broker.metricsUrl(), pki.serverCert());

            Path ownToken = dir.resolve("proxy-token");
            Files.writeString(ownToken, issuer.mint(PROXY_SUBJECT, "token-broker", Duration.ofHours(2)));
            warmUp(broker, Files.readString(ownToken));

            Map<String, String> config = new HashMap<>();
            config.put("proxy.environment", "test");
            config.put("proxy.apis.demo.base-url", gateway.baseUrl("demo"));
            config.put("proxy.apis.demo.scopes", CONSULT + "," + UPDATE);
            config.put("proxy.apis.demo.timeout", "3s");
            config.put("proxy.apis.readonly.base-url", gateway.baseUrl("demo"));
            config.put("proxy.apis.readonly.scopes", CONSULT);
            config.put("proxy.apis.unreachable.base-url", "https://localhost:" + closedPort() + "/demo");
            config.put("proxy.apis.unreachable.scopes", CONSULT);
            // Bulkhead tests: "bulk" has 32 places (the former default) and room to wait; "narrow" has 2 places, 2 in the queue
            // and a short wait, so it refuses as soon as two calls hold it.
            config.put("proxy.apis.bulk.base-url", gateway.baseUrl("demo"));
            config.put("proxy.apis.bulk.scopes", CONSULT + "," + UPDATE);
            config.put("proxy.apis.bulk.max-concurrent", "32");
            config.put("proxy.apis.bulk.max-queued", "64");
            config.put("proxy.apis.bulk.max-queue-wait", "30s");
            config.put("proxy.apis.narrow.base-url", gateway.baseUrl("demo"));
            config.put("proxy.apis.narrow.scopes", CONSULT + "," + UPDATE);
            config.put("proxy.apis.narrow.timeout", "20s");
            config.put("proxy.apis.narrow.max-concurrent", "2");
            config.put("proxy.apis.narrow.max-queued", "2");
            config.put("proxy.apis.narrow.max-queue-wait", "300ms");
            config.put("proxy.callers[0].subject", PAYROLL);
            config.put("proxy.callers[0].apis", "demo,readonly,unreachable,bulk,narrow");
            config.put("proxy.callers[1].subject", OTHER);
            config.put("proxy.callers[1].apis", "unreachable");
            config.put("proxy.connectivity.operators", OPERATOR);
            config.put("proxy.broker.url", broker.url());
            config.put("proxy.broker.token-file", ownToken.toString());
            config.put("proxy.breaker.failure-threshold", "3");
            config.put("proxy.breaker.open-for", "2s");
            // HTTPS as well, so tests can call the proxy over HTTP/2 (ALPN); plain HTTP stays on for the others.
            config.put("quarkus.tls.proxy-server.key-store.pem.0.cert", pki.serverCert().toString());
            config.put("quarkus.tls.proxy-server.key-store.pem.0.key", pki.serverKey().toString());
            config.put("quarkus.http.tls-configuration-name", "proxy-server");
            config.put("quarkus.http.insecure-requests", "enabled");
            config.put("quarkus.http.test-ssl-port", "0");
            // the packaged jar (*IT) takes the production management port otherwise: one a running local stack holds
            config.put("quarkus.management.port", "0");
            config.put("quarkus.tls.bcss-gateway.trust-store.pem.certs", pki.serverCert().toString());
            config.put("quarkus.tls.bcss-gateway.key-store.pem.0.cert", clientCert.toString());
            config.put("quarkus.tls.bcss-gateway.key-store.pem.0.key", clientKey.toString());
            config.put("mp.jwt.verify.publickey.location", issuer.jwksUrl());
            config.put("mp.jwt.verify.issuer", issuer.issuer());
            config.put("smallrye.jwt.client.tls.certificate.path", pki.serverCert().toString());
            // every caller-token refusal logged, so each test sees its own line (CallerAuthLogTest)
            config.put("socsec.caller-auth.refusal-log-interval", "PT0.001S");
            return config;
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("Cannot start the BCSS test environment", e);
        }
    }

    /**
     * Has the broker fetch the demo API's token once, so the first proxied call of a test class does not wait for
     * a cold broker JVM on a loaded machine (longer than the proxy's 5 s broker timeout). Best effort.
     */
    private static void warmUp(BrokerProcess broker, String ownToken) {
        try {
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(broker.url() + "/v1/tokens")).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + ownToken).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"scopes\":[\"" + CONSULT + "\",\"" + UPDATE + "\"]}"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the tests will show what is wrong with the broker
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // closed again at once: connections to it are refused
        }
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(partners, new TestInjector.AnnotatedAndMatchesType(InjectBcss.class, Partners.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
        if (partners != null) {
            for (AutoCloseable closeable : List.<AutoCloseable>of(partners.gateway(), partners.oauth(), partners.issuer())) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // best effort at shutdown
                }
            }
        }
    }
}
