package org.socsecgateway.tokenbroker.service;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/** The loaded JWT-signing key with its certificate. The key never leaves this object except to sign. */
public final class SigningIdentity {

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final byte[] sha256;

    SigningIdentity(PrivateKey privateKey, X509Certificate certificate) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.sha256 = sha256(certificate);
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    public boolean isExpired(Instant now) {
        return now.isAfter(notAfter());
    }

    /** Not expired, and started (allowing {@code tolerance} for clocks that differ). */
    public boolean isValidAt(Instant now, Duration tolerance) {
        return !isExpired(now) && !notBefore().isAfter(now.plus(tolerance));
    }

    /** Whole days until the certificate expires, negative once it has. */
    public long daysLeft(Instant now) {
        return Math.floorDiv(Duration.between(now, notAfter()).toSeconds(), 86_400L);
    }

    /** SHA-256 of the DER certificate, hex, as shown to operators. */
    public String sha256Hex() {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256);
    }

    /** The same thumbprint base64url-encoded, as in the {@code x5t#S256} JOSE header. */
    public String x5tS256() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256);
    }

    public String certificatePem() {
        try {
            String body = Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("Certificate cannot be encoded", e);
        }
    }

    private static byte[] sha256(X509Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("Cannot fingerprint the certificate", e);
        }
    }
}
