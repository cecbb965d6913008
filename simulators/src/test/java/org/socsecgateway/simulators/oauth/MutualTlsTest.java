package org.socsecgateway.simulators.oauth;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.socsecgateway.simulators.TestAssertion;
import org.socsecgateway.simulators.TestHttp;
import org.socsecgateway.simulators.pki.LocalPki;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MutualTlsTest {

    static final String CLIENT = "partenaire:federal:service:bus:client:confidential";

    @TempDir
    static Path dir;

    static LocalPki pki;
    static BcssOAuthSimulator sim;

    @BeforeAll
    static void start() {
        pki = LocalPki.create(dir);
        // the bcss-signing identity doubles as TLS client certificate: its certificate allows clientAuth
        sim = BcssOAuthSimulator.builder()
                .tls(pki.serverCert(), pki.serverKey())
                .requireClientCertificate(pki.signingCert())
                .build()
                .start()
                .registerClient(CLIENT, pki.signingCert(), Set.of("scope:a"), Set.of("scope:a"));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void refusesAHandshakeWithoutClientCertificate() {
        HttpClient anonymous = TestHttp.trusting(pki.serverTruststoreP12(), pki.password());

        // TLS 1.3 reports the missing certificate as an alert or as a reset, depending on timing
        assertThatThrownBy(() -> TestHttp.get(anonymous, sim.metadataUrl())).isInstanceOf(IOException.class)
                .isNotInstanceOf(ConnectException.class);
    }

    @Test
    void refusesAClientCertificateItDoesNotTrust() {
        HttpClient stranger = TestHttp.withClientCertificate(pki.serverTruststoreP12(), pki.serverKeystoreP12(),
                pki.password());

        assertThatThrownBy(() -> TestHttp.get(stranger, sim.metadataUrl())).isInstanceOf(IOException.class)
                .isNotInstanceOf(ConnectException.class);
    }

    @Test
    void servesAClientWithTheTrustedCertificate() throws Exception {
        HttpClient client = TestHttp.withClientCertificate(pki.serverTruststoreP12(), pki.signingKeystoreP12(),
                pki.password());

        assertThat(TestHttp.get(client, sim.metadataUrl()).statusCode()).isEqualTo(200);
        assertThat(BcssOAuthSimulatorTest.requestToken(client, sim.tokenEndpoint(),
                TestAssertion.of(CLIENT, sim.tokenEndpoint(), TestAssertion.readKey(pki.signingKey())).sign(), Map.of())
                .statusCode()).isEqualTo(200);
    }
}
