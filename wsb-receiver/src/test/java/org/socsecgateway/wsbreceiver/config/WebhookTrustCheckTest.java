package org.socsecgateway.wsbreceiver.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.socsecgateway.simulators.pki.LocalPki;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * A trust store holding STAR's CA without a pinned fingerprint would let any certificate of that CA deliver: the
 * receiver refuses to start so configured, unless wsb.webhook.allow-unpinned says that is intended.
 */
class WebhookTrustCheckTest {

    private static final String PIN = "AB:CD:" + "00:".repeat(29) + "EF";

    private static X509Certificate starCa;
    private static X509Certificate star;

    @BeforeAll
    static void certificates(@TempDir Path dir) throws Exception {
        starCa = caCertificate("CN=STAR issuing CA (test)");
        LocalPki pki = LocalPki.create(dir);
        try (InputStream in = Files.newInputStream(pki.starClientCert())) {
            star = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void aCaWithoutAPinStopsTheStartNamingTheProperties() {
        for (KeyStore trust : new KeyStore[] {trustStore(starCa), trustStore(star, starCa)}) {
            assertThatThrownBy(() -> WebhookTrustCheck.verify(Set.of(), false, Optional.of(trust)))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("wsb.webhook.pinned-sha256 is empty")
                    .hasMessageContaining("CN=STAR issuing CA (test)")
                    .hasMessageContaining("wsb.webhook.allow-unpinned=true");
        }
    }

    @Test
    void noTrustStoreWithoutAPinStopsTheStart() {
        assertThatThrownBy(() -> WebhookTrustCheck.verify(Set.of(), false, Optional.empty()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("wsb.webhook.pinned-sha256 is empty and the webhook has no trust store");
    }

    @Test
    void aPinOrTheExplicitOptOutOrOnlyStarsOwnCertificateStart() {
        assertThatCode(() -> WebhookTrustCheck.verify(Set.of(PIN), false, Optional.of(trustStore(starCa)))).doesNotThrowAnyException();
        assertThatCode(() -> WebhookTrustCheck.verify(Set.of(), true, Optional.of(trustStore(starCa)))).doesNotThrowAnyException();
        assertThatCode(() -> WebhookTrustCheck.verify(Set.of(PIN), false, Optional.empty())).doesNotThrowAnyException();
        // STAR's own (end-entity) certificate: only its key's holder gets through the handshake
        assertThatCode(() -> WebhookTrustCheck.verify(Set.of(), false, Optional.of(trustStore(star)))).doesNotThrowAnyException();
    }

    private static KeyStore trustStore(X509Certificate... certificates) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.length; i++) {
                store.setCertificateEntry("cert-" + i, certificates[i]);
            }
            return store;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate caCertificate(String subject) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        X500Principal name = new X500Principal(subject);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }
}
