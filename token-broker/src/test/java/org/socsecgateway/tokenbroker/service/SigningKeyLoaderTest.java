package org.socsecgateway.tokenbroker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.socsecgateway.simulators.pki.LocalPki;
import org.socsecgateway.tokenbroker.config.BrokerConfig;

/** The key formats operators mount: PKCS#8 PEM, PKCS#1 PEM ("BEGIN RSA PRIVATE KEY") and PKCS#12. */
class SigningKeyLoaderTest {

    @TempDir
    static Path dir;

    static LocalPki pki;

    @BeforeAll
    static void generate() {
        pki = LocalPki.create(dir.resolve("pki"));
    }

    @Test
    void readsAPkcs8PemKey() throws Exception {
        SigningIdentity identity = SigningKeyLoader.load(pem(pki.signingKey(), pki.signingCert()));

        assertThat(identity.certificate().getSubjectX500Principal().getName()).contains("CN=");
    }

    @Test
    void readsAPkcs1PemKey() throws Exception {
        byte[] pkcs8 = Base64.getMimeDecoder().decode(Files.readString(pki.signingKey())
                .replaceAll("-----[A-Z ]+-----", ""));
        byte[] pkcs1 = PrivateKeyInfo.getInstance(pkcs8).parsePrivateKey().toASN1Primitive().getEncoded();
        Path key = dir.resolve("pkcs1.key");
        Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(pkcs1) + "\n-----END RSA PRIVATE KEY-----\n");

        SigningIdentity identity = SigningKeyLoader.load(pem(key, pki.signingCert()));

        assertThat(identity.sha256Hex()).isEqualTo(SigningKeyLoader.load(pem(pki.signingKey(), pki.signingCert())).sha256Hex());
    }

    @Test
    void readsAPkcs12KeyStoreWithOrWithoutAlias() throws Exception {
        assertThat(SigningKeyLoader.load(p12(Optional.empty())).certificate()).isNotNull();
        String alias = java.util.Collections.list(keyStore().aliases()).get(0);
        assertThat(SigningKeyLoader.load(p12(Optional.of(alias))).certificate()).isNotNull();
        assertThatThrownBy(() -> SigningKeyLoader.load(p12(Optional.of("no-such-alias")))).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void refusesAKeyThatDoesNotBelongToTheCertificate() {
        assertThatThrownBy(() -> SigningKeyLoader.load(pem(pki.serverKey(), pki.signingCert())))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("does not belong");
    }

    @Test
    void refusesAFileWithoutAKeyAndNamesTheFileNotItsContent() throws Exception {
        Path notAKey = dir.resolve("not-a-key.pem");
        Files.writeString(notAKey, "hello 85073003328");

        assertThatThrownBy(() -> SigningKeyLoader.load(pem(notAKey, pki.signingCert())))
                .hasMessageContaining("not-a-key.pem")
                .hasMessageNotContaining("85073003328");
    }

    private static java.security.KeyStore keyStore() throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(pki.signingKeystoreP12())) {
            store.load(in, pki.password().toCharArray());
        }
        return store;
    }

    private static BrokerConfig.SigningKey pem(Path key, Path cert) {
        return new KeyFiles(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(key), Optional.of(cert));
    }

    private static BrokerConfig.SigningKey p12(Optional<String> alias) {
        return new KeyFiles(Optional.of(pki.signingKeystoreP12()), Optional.of(pki.password()), alias, Optional.empty(), Optional.empty());
    }

    /** The configuration group, as the tests need it. */
    private record KeyFiles(Optional<Path> p12Path, Optional<String> p12Password, Optional<String> p12Alias,
            Optional<Path> pemKey, Optional<Path> pemCert) implements BrokerConfig.SigningKey {

        @Override
        public Duration reloadInterval() {
            return Duration.ofSeconds(1);
        }
    }
}
