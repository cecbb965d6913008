package org.socsecgateway.tokenbroker;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.smallrye.certs.CertificateGenerator;
import io.smallrye.certs.CertificateRequest;
import io.smallrye.certs.Format;

/** Fresh signing identities (PEM key + certificate) generated during a test. */
public final class TestIdentities {

    public record Identity(Path key, Path cert) {
    }

    private TestIdentities() {
    }

    public static Identity generate(Path dir, String name, Duration validity) throws Exception {
        Files.createDirectories(dir);
        new CertificateGenerator(dir, true).generate(new CertificateRequest()
                .withName(name)
                .withCN("socsec-gateway test " + name)
                .withFormat(Format.PEM)
                .withDuration(validity));
        return new Identity(dir.resolve(name + ".key"), dir.resolve(name + ".crt"));
    }

    /** A self-signed identity valid from {@code notBefore} to {@code notAfter}, e.g. one that is not valid yet. */
    public static Identity generate(Path dir, String name, Instant notBefore, Instant notAfter) throws Exception {
        return generate(dir, name, newKeyPair(), notBefore, notAfter);
    }

    /** A self-signed identity valid for {@code validity} from once its key is generated (slow machines included). */
    public static Identity generateValidFor(Path dir, String name, Duration validity) throws Exception {
        KeyPair pair = newKeyPair();
        Instant now = Instant.now();
        return generate(dir, name, pair, now.minus(Duration.ofMinutes(1)), now.plus(validity));
    }

    private static KeyPair newKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static Identity generate(Path dir, String name, KeyPair pair, Instant notBefore, Instant notAfter) throws Exception {
        Files.createDirectories(dir);
        X500Name subject = new X500Name("CN=socsec-gateway test " + name);
        var certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
                BigInteger.valueOf(notBefore.toEpochMilli()), Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        Path key = dir.resolve(name + ".key");
        Path cert = dir.resolve(name + ".crt");
        Files.writeString(key, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
        return new Identity(key, cert);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
