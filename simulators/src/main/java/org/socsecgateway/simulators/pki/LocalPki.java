package org.socsecgateway.simulators.pki;

import io.smallrye.certs.CertificateGenerator;
import io.smallrye.certs.CertificateRequest;
import io.smallrye.certs.Format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates for local runs and tests, generated once into a directory and reused afterwards
 * (so a local stack keeps trusting the same files across restarts).
 * <p>
 * Every identity {@code <name>} consists of {@code <name>.crt}, {@code <name>.key} (PKCS#8 PEM),
 * {@code <name>-keystore.p12} and {@code <name>-truststore.p12} (a trust store holding only that certificate).
 * All carry the SANs {@code DNS:localhost} and {@code IP:127.0.0.1}, because the simulators publish URLs
 * on both host names.
 */
public final class LocalPki {

    /** Password of every PKCS#12 file: these files are for local use only. */
    public static final String PASSWORD = "changeit";

    /** TLS identity of every simulator and of our services when they run locally. */
    public static final String SERVER = "server";
    /** The identity our token broker signs its BCSS client assertions with. */
    public static final String BCSS_SIGNING = "bcss-signing";
    /** The client certificate of the fake STAR WSB sender (in STAR's test environment: {@code sys-org-star-test.cer}). */
    public static final String STAR_CLIENT = "star-client";
    /**
     * The FOCES-like (OCES3 function/system certificate) client identity our DFDG poller presents to DFDG's SOAP
     * services (and the fake DFDG WSRM service requires).
     */
    public static final String FOCES_CLIENT = "foces-client";
    /** CVR number (8 digits) in the {@link #FOCES_CLIENT} subject. */
    public static final String FOCES_CLIENT_CVR = "12345678";
    /** The fixed UUID in the {@link #FOCES_CLIENT} subject. */
    public static final String FOCES_CLIENT_UUID = "5f1c2c3e-8d1a-4c55-9f43-0c7a2e6b9d10";
    /**
     * The DFDG user identifier of the {@link #FOCES_CLIENT}, {@code CVR:<cvr>-UUID:<uuid>}: the form DFDG's
     * RequestUserMetadataHeader uses for OCES3 identities, and the form the fake WSRM service looks for in the subject.
     */
    public static final String FOCES_CLIENT_USER_IDENTIFIER = "CVR:" + FOCES_CLIENT_CVR + "-UUID:" + FOCES_CLIENT_UUID;

    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(1);
    private static final System.Logger LOG = System.getLogger(LocalPki.class.getName());

    private final Path dir;

    private LocalPki(Path dir) {
        this.dir = dir;
    }

    /** Creates {@code dir} if needed and generates the missing identities; existing files are kept. */
    public static LocalPki create(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create PKI directory " + absolute, e);
        }
        generate(absolute, SERVER, "localhost");
        generate(absolute, BCSS_SIGNING, "socsec-gateway local BCSS client");
        generate(absolute, STAR_CLIENT, "sys-org-star-test (local simulator)");
        // the generator writes "CN=" + this into the subject, so the further RDNs ride along: the subject becomes
        // CN=socsec-gateway dfdg-poller (local),SERIALNUMBER=CVR:12345678-UUID:...,O=...,C=DK. (Real OCES3 system
        // certificates carry organizationIdentifier=NTRDK-<cvr> and serialNumber=UI:DK-O:G:<uuid>; the older FOCES
        // form CVR:<cvr>-... keeps the identity the fake WSRM service checks readable in one attribute.)
        generate(absolute, FOCES_CLIENT, "socsec-gateway dfdg-poller (local),SERIALNUMBER=" + FOCES_CLIENT_USER_IDENTIFIER
                + ",O=socsec-gateway local,C=DK");
        return new LocalPki(absolute);
    }

    public Path dir() {
        return dir;
    }

    /**
     * One more self-signed identity in this PKI (created if missing), e.g. an impostor client for refusal tests.
     * Its password is {@link #PASSWORD}.
     */
    public Identity identity(String name, String commonName) {
        if (!name.matches("[a-z0-9-]{1,40}")) {
            throw new IllegalArgumentException("identity names are lower-case words: " + name);
        }
        generate(dir, name, commonName);
        return new Identity(crt(name), key(name), keystore(name));
    }

    /** Certificate and key (PEM) and both in a PKCS#12 key store. */
    public record Identity(Path cert, Path key, Path keystoreP12) {
    }

    public String password() {
        return PASSWORD;
    }

    public Path serverCert() {
        return crt(SERVER);
    }

    public Path serverKey() {
        return key(SERVER);
    }

    public Path serverKeystoreP12() {
        return keystore(SERVER);
    }

    /** Trust store holding the server certificate: what a client needs to call any simulator. */
    public Path serverTruststoreP12() {
        return truststore(SERVER);
    }

    public Path signingCert() {
        return crt(BCSS_SIGNING);
    }

    public Path signingKey() {
        return key(BCSS_SIGNING);
    }

    public Path signingKeystoreP12() {
        return keystore(BCSS_SIGNING);
    }

    /** Client certificate the fake STAR WSB sender presents; a WSB receiver requires and pins it. */
    public Path starClientCert() {
        return crt(STAR_CLIENT);
    }

    public Path starClientKey() {
        return key(STAR_CLIENT);
    }

    public Path starClientKeystoreP12() {
        return keystore(STAR_CLIENT);
    }

    /**
     * A TLS context that presents STAR's client certificate and trusts the simulators' server certificate (host name
     * verification stays the client's, on by default), for load drivers that play STAR towards wsb-receiver's webhook.
     *
     * @throws IllegalStateException when the PKCS#12 files cannot be read
     */
    public SSLContext starClientSslContext() {
        try {
            char[] pass = password().toCharArray();
            KeyStore identity = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(starClientKeystoreP12())) {
                identity.load(in, pass);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(identity, pass);
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(serverTruststoreP12())) {
                trusted.load(in, pass);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("STAR's client TLS context from " + dir(), e);
        }
    }

    /**
     * FOCES-like client certificate (subject with {@code SERIALNUMBER=CVR:<cvr>-UUID:<uuid>}) for calls to DFDG's
     * SOAP services; the fake DFDG WSRM service trusts it in the local stack.
     */
    public Path focesClientCert() {
        return crt(FOCES_CLIENT);
    }

    public Path focesClientKey() {
        return key(FOCES_CLIENT);
    }

    public Path focesClientKeystoreP12() {
        return keystore(FOCES_CLIENT);
    }

    /** Trust store holding only the FOCES client certificate. */
    public Path focesClientTruststoreP12() {
        return truststore(FOCES_CLIENT);
    }

    private Path crt(String name) {
        return dir.resolve(name + ".crt");
    }

    private Path key(String name) {
        return dir.resolve(name + ".key");
    }

    private Path keystore(String name) {
        return dir.resolve(name + "-keystore.p12");
    }

    private Path truststore(String name) {
        return dir.resolve(name + "-truststore.p12");
    }

    private static void generate(Path dir, String name, String cn) {
        List<Path> files = Stream.of(".crt", ".key", "-keystore.p12", "-truststore.p12")
                .map(suffix -> dir.resolve(name + suffix))
                .toList();
        if (files.stream().allMatch(Files::isRegularFile) && validFor(files.get(0), RENEW_BEFORE)) {
            return; // idempotent: keep what clients may already trust
        }
        try {
            new CertificateGenerator(dir, true).generate(new CertificateRequest()
                    .withName(name)
                    .withFormats(List.of(Format.PEM, Format.PKCS12))
                    .withPassword(PASSWORD)
                    .withCN(cn)
                    .withDuration(VALIDITY) // the generator's default (2 days) is too short for a kept local stack
                    .withSubjectAlternativeName("DNS:localhost")
                    .withSubjectAlternativeName("IP:127.0.0.1"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot generate certificate " + name + " in " + dir, e);
        }
        LOG.log(System.Logger.Level.INFO, "generated local certificate {0} in {1}", name, dir);
    }

    /** False when the certificate is unreadable or expires within {@code margin}: then it is generated again. */
    private static boolean validFor(Path certPem, Duration margin) {
        try (InputStream in = Files.newInputStream(certPem)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return cert.getNotAfter().toInstant().isAfter(Instant.now().plus(margin));
        } catch (IOException | CertificateException | ClassCastException e) {
            return false;
        }
    }
}
