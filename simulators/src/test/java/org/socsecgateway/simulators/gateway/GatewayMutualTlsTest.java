package org.socsecgateway.simulators.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.socsecgateway.simulators.TestHttp;
import org.socsecgateway.simulators.oauth.BcssOAuthSimulator;
import org.socsecgateway.simulators.pki.LocalPki;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayMutualTlsTest {

    @TempDir
    static Path dir;

    static LocalPki pki;
    static BcssOAuthSimulator oauth;
    static BcssGatewaySimulator gateway;

    @BeforeAll
    static void start() {
        pki = LocalPki.create(dir);
        oauth = BcssOAuthSimulator.builder().tls(pki.serverCert(), pki.serverKey()).build().start();
        // the bcss-signing identity doubles as TLS client certificate: its certificate allows clientAuth
        gateway = BcssGatewaySimulator.builder()
                .tls(pki.serverCert(), pki.serverKey())
                .requireClientCertificate(pki.signingCert())
                .authorizationServer(oauth)
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        oauth.close();
    }

    @Test
    void refusesAHandshakeWithoutClientCertificate() {
        HttpClient anonymous = TestHttp.trusting(pki.serverTruststoreP12(), pki.password());

        assertThatThrownBy(() -> TestHttp.get(anonymous, gateway.baseUrl("demo") + "/health"))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(ConnectException.class);
    }

    @Test
    void servesAClientWithTheTrustedCertificate() throws Exception {
        HttpClient client = TestHttp.withClientCertificate(pki.serverTruststoreP12(), pki.signingKeystoreP12(),
                pki.password());

        assertThat(TestHttp.get(client, gateway.baseUrl("demo") + "/health").statusCode()).isEqualTo(200);
        assertThat(TestHttp.get(client, gateway.baseUrl("demo") + "/v1/organizations/1").statusCode()).isEqualTo(401);
    }
}
