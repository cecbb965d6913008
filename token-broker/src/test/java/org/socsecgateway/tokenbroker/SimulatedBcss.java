package org.socsecgateway.tokenbroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.oauth.BcssOAuthSimulator;
import org.socsecgateway.simulators.pki.LocalPki;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the simulated Smals OAuth server and the caller-token issuer over real TLS with certificates generated
 * for this run, and points the broker at them. Init arg {@code keys=absent} starts the broker without key files.
 */
public class SimulatedBcss implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "partenaire:federal:service:bus:client:confidential";
    public static final String DEFAULT_SCOPE = "scope:cbss:api:demo:consult";
    public static final String PROXY = "system:serviceaccount:socsec:bcss-proxy";
    public static final String LIMITED = "system:serviceaccount:apps:limited";
    public static final String STRANGER = "system:serviceaccount:apps:stranger";
    public static final String AUDIENCE = "token-broker";

    /** Marks the test field that receives the running {@link Bcss}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectBcss {
    }

    private Bcss bcss;
    private boolean keysAbsent;
    private boolean pkcs12;
    private boolean metadataMissing;

    @Override
    public void init(Map<String, String> initArgs) {
        keysAbsent = "absent".equals(initArgs.get("keys"));
        pkcs12 = "p12".equals(initArgs.get("keys"));
        metadataMissing = "missing".equals(initArgs.get("metadata"));
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("token-broker-test");
            LocalPki pki = LocalPki.create(dir.resolve("pki"));
            Path keys = Files.createDirectories(dir.resolve("keys"));
            Path keyFile = keys.resolve("signing.key");
            Path certFile = keys.resolve("signing.crt");
            if (!keysAbsent) {
                Files.copy(pki.signingKey(), keyFile, StandardCopyOption.REPLACE_EXISTING);
                Files.copy(pki.signingCert(), certFile, StandardCopyOption.REPLACE_EXISTING);
            }
            BcssOAuthSimulator oauth = BcssOAuthSimulator.builder().tls(pki.serverCert(), pki.serverKey()).build().start();
            oauth.registerClient(CLIENT_ID, pki.signingCert(), registeredScopes(), Set.of(DEFAULT_SCOPE));
            CallerTokenIssuer issuer = CallerTokenIssuer.builder().tls(pki.serverCert(), pki.serverKey()).build().start();
            bcss = new Bcss(oauth, issuer, pki, keyFile, certFile, dir);

            Map<String, String> config = new HashMap<>();
            config.put("broker.environment", "test");
            config.put("broker.client.id", CLIENT_ID);
            config.put("broker.client.scopes", String.join(",", registeredScopes()));
            // tests report tokens of the same scope sets seconds apart; TokenCacheReportTest covers the interval
            config.put("broker.cache.report-min-interval", "0s");
            if (metadataMissing) {
                // No metadata document there (404): the broker must fall back to the configured token endpoint.
                config.put("broker.endpoints.metadata", oauth.metadataUrl() + "-missing");
                config.put("broker.endpoints.token", oauth.tokenEndpoint());
            } else {
                config.put("broker.endpoints.metadata", oauth.metadataUrl());
                // Unreachable on purpose: tokens can only be had through the discovered endpoint.
                config.put("broker.endpoints.token", "https://127.0.0.1:9/REST/oauth/v5/token");
            }
            if (pkcs12) {
                // The PKCS#12 form, with the optional assertion headers switched on.
                config.put("broker.key.p12-path", pki.signingKeystoreP12().toString());
                config.put("broker.key.p12-password", pki.password());
                config.put("broker.assertion.key-id", "socsec-test-kid");
                config.put("broker.assertion.include-x5t-s256", "true");
            } else {
                config.put("broker.key.pem-key", keyFile.toString());
                config.put("broker.key.pem-cert", certFile.toString());
            }
            config.put("broker.key.reload-interval", "1s");
            config.put("broker.cache.refresh-ahead", "2s");
            config.put("broker.cache.min-remaining", "1s");
            config.put("broker.cache.sweep-interval", "1s");
            config.put("broker.token.min-lifetime", "2s"); // tests use lifetimes of a few seconds
            // every refusal logged, so each test sees its own line (RateLimitedLogTest covers the limiting)
            config.put("socsec.caller-auth.refusal-log-interval", "PT0.001S");
            config.put("broker.upstream.initial-backoff", "200ms");
            // the packaged jar (*IT) takes the production management port otherwise: one a running local stack holds
            config.put("quarkus.management.port", "0");
            config.put("broker.upstream.max-backoff", "1s");
            config.put("broker.upstream.read-timeout", "3s");
            config.put("quarkus.tls.bcss-oauth.trust-store.pem.certs", pki.serverCert().toString());
            config.put("mp.jwt.verify.publickey.location", issuer.jwksUrl());
            config.put("mp.jwt.verify.issuer", issuer.issuer());
            config.put("smallrye.jwt.client.tls.certificate.path", pki.serverCert().toString());
            config.put("broker.callers[0].subject", PROXY);
            config.put("broker.callers[0].scopes", String.join(",", registeredScopes()));
            config.put("broker.callers[0].default-scopes", "true");
            config.put("broker.callers[1].subject", LIMITED);
            config.put("broker.callers[1].scopes", scope(1));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code scope:cbss:api:demo:consult} plus numbered scopes, so each test can use a scope set nobody else does. */
    public static Set<String> registeredScopes() {
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add(DEFAULT_SCOPE);
        IntStream.rangeClosed(1, 40).mapToObj(SimulatedBcss::scope).forEach(scopes::add);
        return scopes;
    }

    public static String scope(int n) {
        return "scope:cbss:api:demo" + n + ":consult";
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(bcss, new TestInjector.AnnotatedAndMatchesType(InjectBcss.class, Bcss.class));
    }

    @Override
    public void stop() {
        if (bcss != null) {
            bcss.oauth().close();
            bcss.issuer().close();
        }
    }
}
