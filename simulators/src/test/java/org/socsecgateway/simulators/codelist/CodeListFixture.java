package org.socsecgateway.simulators.codelist;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.simulators.wsrm.RawSoap;

import java.net.http.HttpClient;
import java.nio.file.Path;

/**
 * One fake CodeListService per test class, with mutual TLS trusting the FOCES client and a plain client certificate
 * without CVR, its clock at {@link CodeListCalls#CLOCK}, and everything back to normal before each test.
 */
abstract class CodeListFixture {

    @TempDir
    static Path tmp;

    static LocalPki pki;
    static LocalPki.Identity plain;
    static DfdgCodeListSimulator sim;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        pki = RawSoap.pki();
        plain = pki.identity("plain-client", "some client without CVR");
        sim = CodeListCalls.simulator(pki)
                .requireClientCertificate(RawSoap.bundle(tmp.resolve("trusted.pem"), pki.focesClientCert(), plain.cert()))
                .build().start();
        client = RawSoap.focesClient(pki);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.reset();
        sim.faults().clear();
        sim.resetCounts();
    }
}
