package org.socsecgateway.tokenbroker.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collections;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.socsecgateway.tokenbroker.config.BrokerConfig;

/**
 * Reads the signing key and certificate from a PKCS#12 key store or from PEM files, and checks that they belong
 * together. Error messages name files, never their content.
 */
final class SigningKeyLoader {

    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN (RSA )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END (RSA )?PRIVATE KEY-----");

    private SigningKeyLoader() {
    }

    /** The files whose change means the identity must be read again. */
    static Path[] sources(BrokerConfig.SigningKey config) {
        if (config.p12Path().isPresent()) {
            return new Path[] { config.p12Path().get() };
        }
        if (config.pemKey().isPresent() && config.pemCert().isPresent()) {
            return new Path[] { config.pemKey().get(), config.pemCert().get() };
        }
        throw new IllegalStateException(
                "Configure the signing key: broker.key.p12-path, or broker.key.pem-key with broker.key.pem-cert");
    }

    static SigningIdentity load(BrokerConfig.SigningKey config) throws IOException, GeneralSecurityException {
        SigningIdentity identity = config.p12Path().isPresent()
                ? fromPkcs12(config.p12Path().get(), config.p12Password().orElse(""), config.p12Alias())
                : fromPem(config.pemKey().orElseThrow(), config.pemCert().orElseThrow());
        checkPair(identity);
        return identity;
    }

    private static SigningIdentity fromPkcs12(Path path, String password, Optional<String> alias)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password.toCharArray());
        }
        String entry = alias.orElse(null);
        if (entry == null) {
            entry = Collections.list(store.aliases()).stream()
                    .filter(a -> isKeyEntry(store, a))
                    .findFirst()
                    .orElseThrow(() -> new GeneralSecurityException("No private key entry in " + path));
        }
        if (!store.isKeyEntry(entry)) {
            throw new GeneralSecurityException("Alias '" + entry + "' in " + path + " is not a private key entry");
        }
        PrivateKey key = (PrivateKey) store.getKey(entry, password.toCharArray());
        Certificate certificate = store.getCertificate(entry);
        if (!(certificate instanceof X509Certificate x509)) {
            throw new GeneralSecurityException("No X.509 certificate for alias '" + entry + "' in " + path);
        }
        return new SigningIdentity(key, x509);
    }

    private static boolean isKeyEntry(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static SigningIdentity fromPem(Path keyFile, Path certFile) throws IOException, GeneralSecurityException {
        Matcher matcher = PEM_KEY.matcher(Files.readString(keyFile, StandardCharsets.US_ASCII));
        if (!matcher.find()) {
            throw new GeneralSecurityException(keyFile + " holds no unencrypted PKCS#8 or PKCS#1 private key");
        }
        byte[] der = Base64.getMimeDecoder().decode(matcher.group(2));
        byte[] pkcs8 = matcher.group(1) != null ? Pkcs1.toPkcs8(der) : der;
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));

        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        Certificate certificate;
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(certFile))) {
            certificate = factory.generateCertificate(in);
        }
        return new SigningIdentity(key, (X509Certificate) certificate);
    }

    private static void checkPair(SigningIdentity identity) throws GeneralSecurityException {
        if (!(identity.privateKey() instanceof RSAPrivateCrtKey key)
                || !(identity.certificate().getPublicKey() instanceof RSAPublicKey publicKey)) {
            throw new GeneralSecurityException("The signing key must be an RSA key (RS256)");
        }
        if (!key.getModulus().equals(publicKey.getModulus()) || !key.getPublicExponent().equals(publicKey.getPublicExponent())) {
            throw new GeneralSecurityException("The private key does not belong to the certificate");
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey in the PKCS#8 structure the JDK reads (RFC 5208). */
    static final class Pkcs1 {
        private static final byte[] RSA_ALGORITHM_IDENTIFIER = {
                0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00 };

        private Pkcs1() {
        }

        static byte[] toPkcs8(byte[] pkcs1) {
            byte[] version = { 0x02, 0x01, 0x00 };
            byte[] octetString = tlv(0x04, pkcs1);
            byte[] body = concat(version, RSA_ALGORITHM_IDENTIFIER, octetString);
            return tlv(0x30, body);
        }

        private static byte[] tlv(int tag, byte[] value) {
            byte[] length = length(value.length);
            return concat(new byte[] { (byte) tag }, length, value);
        }

        private static byte[] length(int length) {
            if (length < 0x80) {
                return new byte[] { (byte) length };
            }
            int bytes = length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
            byte[] encoded = new byte[bytes + 1];
            encoded[0] = (byte) (0x80 | bytes);
            for (int i = bytes; i > 0; i--) {
                encoded[i] = (byte) length;
                length >>>= 8;
            }
            return encoded;
        }

        private static byte[] concat(byte[]... parts) {
            int total = 0;
            for (byte[] part : parts) {
                total += part.length;
            }
            byte[] out = new byte[total];
            int offset = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, out, offset, part.length);
                offset += part.length;
            }
            return out;
        }
    }
}
