package org.socsecgateway.codelist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.socsecgateway.simulators.codelist.DfdgCodeListSimulator;
import org.socsecgateway.simulators.db.LocalPostgres;
import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.pki.LocalPki;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * What codelist-service meets in production, for real: DFDG's CodeListService (the simulator: mutual TLS with a
 * FOCES-like client certificate, the two headers checked, realistic lists), an embedded PostgreSQL, and the cluster's
 * caller-token issuer. All certificates are generated for this run. The schedule checks every second, so the
 * start-up fetch happens at once; later fetches in the tests are forced refreshes.
 */
public class SimulatedDfdgCodeLists implements QuarkusTestResourceLifecycleManager {

    public static final String READER = "system:serviceaccount:apps:case-system";
    public static final String OPERATOR = "system:serviceaccount:ops:codelist-operator";
    public static final String STRANGER = "system:serviceaccount:apps:stranger";
    public static final String AUDIENCE = "codelist-service";
    /** The lists of the tests: name → DFDG operation (all six of our WSDL). */
    public static final Map<String, String> LISTS = Map.of(
            "client-system-types", "GetClientSystemTypeIdentifierTypeCodeList",
            "activation-types", "GetActivationTypeIdentifierCodeList",
            "jobcentres", "GetJobcenterIdentifierCodeList",
            "unemployment-funds", "GetUnemploymentFundIdentifierCodeList",
            "municipalities", "GetMunicipalityIdentifierCodeList",
            "client-categories", "GetClientCategoryIdentifierCodeList");

    /** Marks the test field that receives the running {@link DfdgCodeLists}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectDfdg {
    }

    private DfdgCodeLists dfdg;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("codelist-service-test");
            LocalPki pki = LocalPki.create(dir.resolve("pki"));
            CallerTokenIssuer issuer = CallerTokenIssuer.builder().tls(pki.serverCert(), pki.serverKey()).build().start();
            LocalPostgres postgres = LocalPostgres.start(dir.resolve("pg"), 0);
            DfdgCodeListSimulator simulator = DfdgCodeListSimulator.builder()
                    .tls(pki.serverCert(), pki.serverKey())
                    .requireClientCertificate(pki.focesClientCert())
                    .port(0).bindHost("127.0.0.1").host("localhost")
                    .build().start();
            Map<String, String> config = new HashMap<>();
            config.put("quarkus.management.port", "0");
            config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl("codelists"));
            config.put("quarkus.datasource.username", LocalPostgres.USER);
            config.put("quarkus.datasource.password", "unused-trust-auth");
            LISTS.forEach((name, operation) -> config.put("codelist.lists." + name + ".operation", operation));
            config.put("codelist.dfdg.code-list-service-url", simulator.codeListServiceUrl());
            config.put("codelist.schedule.check-every", "1s");
            // the tests force one refresh after another (FetchTest shows the interval through the claim itself)
            config.put("codelist.schedule.forced-min-interval", "0s");
            config.put("codelist.access.readers", READER);
            config.put("codelist.access.operators", OPERATOR);
            config.put("quarkus.tls.dfdg.key-store.pem.0.cert", pki.focesClientCert().toString());
            config.put("quarkus.tls.dfdg.key-store.pem.0.key", pki.focesClientKey().toString());
            config.put("quarkus.tls.dfdg.trust-store.pem.certs", pki.serverCert().toString());
            config.put("dfdg.caller.organisation-type", "8");
            config.put("dfdg.caller.organisation-code", "101");
            config.put("dfdg.caller.user-full-name", "socsec-gateway codelist-service (test)");
            config.put("dfdg.caller.user-identifier", LocalPki.FOCES_CLIENT_USER_IDENTIFIER);
            // shorter than production's minute (the latency test waits this long twice), long enough that a loaded CI
            // machine does not time out a normal answer (which would be a second call)
            config.put("quarkus.cxf.client.codelist.receive-timeout", "8000");
            // the quick retry of an unanswered call waits 5 s in production
            config.put("org.socsecgateway.codelist.client.DfdgCodeListClient/fetch/Retry/delay", "100");
            config.put("org.socsecgateway.codelist.client.DfdgCodeListClient/fetch/Retry/delayUnit", "MILLIS");
            config.put("mp.jwt.verify.publickey.location", issuer.jwksUrl());
            config.put("mp.jwt.verify.issuer", issuer.issuer());
            config.put("smallrye.jwt.client.tls.certificate.path", pki.serverCert().toString());
            dfdg = new DfdgCodeLists(pki, issuer, postgres, simulator, dir, Map.copyOf(config));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(dfdg, new TestInjector.AnnotatedAndMatchesType(InjectDfdg.class, DfdgCodeLists.class));
    }

    @Override
    public void stop() {
        if (dfdg != null) {
            dfdg.close();
        }
    }
}
