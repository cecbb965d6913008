package org.socsecgateway.simulators.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

import static org.assertj.core.api.Assertions.assertThat;

class LocalPkiTest {

    @TempDir
    Path dir;

    @Test
    void generatesServerAndSigningIdentitiesOnceAndReusesThem() throws Exception {
        LocalPki pki = LocalPki.create(dir.resolve("pki"));

        assertThat(List.of(pki.serverCert(), pki.serverKey(), pki.serverKeystoreP12(), pki.serverTruststoreP12(),
                pki.signingCert(), pki.signingKey(), pki.signingKeystoreP12(),
                pki.starClientCert(), pki.starClientKey(), pki.starClientKeystoreP12()))
                .allSatisfy(file -> assertThat(file).isRegularFile().startsWith(pki.dir()));
        assertThat(pki.serverCert().getFileName()).hasToString("server.crt");
        assertThat(pki.signingKeystoreP12().getFileName()).hasToString("bcss-signing-keystore.p12");
        assertThat(Files.readString(pki.serverKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        byte[] firstCert = Files.readAllBytes(pki.serverCert());

        LocalPki again = LocalPki.create(dir.resolve("pki"));

        assertThat(Files.readAllBytes(again.serverCert())).isEqualTo(firstCert);
    }

    @Test
    void serverCertificateNamesBothLocalHostNamesAndIsTrustedByTheTrustStore() throws Exception {
        LocalPki pki = LocalPki.create(dir);
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(pki.serverCert())) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }

        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        List<Object> sans = cert.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)).toList();
        assertThat(sans).contains("localhost", "127.0.0.1");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.serverTruststoreP12())) {
            trust.load(in, pki.password().toCharArray());
        }
        assertThat(trust.getCertificateAlias(cert)).isNotNull();
    }

    @Test
    void focesClientSubjectCarriesTheCvrAndUuidAndItsKeyStoreHoldsTheKey() throws Exception {
        LocalPki pki = LocalPki.create(dir);
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(pki.focesClientCert())) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }

        String subject = cert.getSubjectX500Principal().getName(X500Principal.RFC2253, Map.of("2.5.4.5", "SERIALNUMBER"));
        assertThat(subject).contains("CN=socsec-gateway dfdg-poller (local)")
                .contains("SERIALNUMBER=CVR:12345678-UUID:" + LocalPki.FOCES_CLIENT_UUID)
                .contains("C=DK");
        assertThat(LocalPki.FOCES_CLIENT_USER_IDENTIFIER).isEqualTo("CVR:12345678-UUID:" + LocalPki.FOCES_CLIENT_UUID);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.focesClientKeystoreP12())) {
            keys.load(in, pki.password().toCharArray());
        }
        assertThat(keys.isKeyEntry(keys.aliases().nextElement())).isTrue();
        assertThat(pki.focesClientKey()).isRegularFile();
        assertThat(pki.focesClientTruststoreP12()).isRegularFile();
    }
}
