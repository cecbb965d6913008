package org.socsecgateway.common.tls;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** Small certificate facts that several services report: the certificate of a key store, days left, thumbprints. */
public final class Certificates {

    private Certificates() {
    }

    /** The first X.509 certificate in a key store (the identity a TLS configuration presents), if any. */
    public static Optional<X509Certificate> first(KeyStore keys) {
        if (keys == null) {
            return Optional.empty();
        }
        try {
            for (String alias : Collections.list(keys.aliases())) {
                if (keys.getCertificate(alias) instanceof X509Certificate certificate) {
                    return Optional.of(certificate);
                }
            }
        } catch (KeyStoreException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The certificate in a key or trust store that expires first, if any: what stops working first when nobody renews
     * (for a trust store, the partner certificate or CA that its connections depend on).
     */
    public static Optional<X509Certificate> earliestExpiring(KeyStore store) {
        if (store == null) {
            return Optional.empty();
        }
        try {
            X509Certificate earliest = null;
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) instanceof X509Certificate certificate
                        && (earliest == null || certificate.getNotAfter().before(earliest.getNotAfter()))) {
                    earliest = certificate;
                }
            }
            return Optional.ofNullable(earliest);
        } catch (KeyStoreException e) {
            return Optional.empty();
        }
    }

    /** Whole days until the certificate expires (negative once expired), NaN without a certificate: a gauge value. */
    public static double daysLeft(Optional<X509Certificate> certificate) {
        return certificate
                .map(c -> (double) Math.floorDiv(Duration.between(Instant.now(), c.getNotAfter().toInstant()).toSeconds(), 86_400L))
                .orElse(Double.NaN);
    }

    /** SHA-256 of the DER encoding, lower-case hex without separators. */
    public static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }

    /** A fingerprint as people write it (colons, spaces, either case) in the form {@link #sha256} returns. */
    public static String normaliseFingerprint(String written) {
        return written.replaceAll("[:\\s]", "").toLowerCase(Locale.ROOT);
    }
}
