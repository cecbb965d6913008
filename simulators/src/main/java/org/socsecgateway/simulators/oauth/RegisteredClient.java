package org.socsecgateway.simulators.oauth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A client as registered at the authorization server: its certificate and the scopes it may ask for. */
record RegisteredClient(String clientId, X509Certificate certificate, Set<String> scopes, Set<String> defaultScopes) {

    RegisteredClient {
        scopes = ordered(scopes);
        defaultScopes = ordered(defaultScopes);
        if (!scopes.containsAll(defaultScopes)) {
            throw new IllegalArgumentException("default scopes of " + clientId + " must be registered scopes");
        }
    }

    /** Keeps the caller's order, so the granted {@code scope} string is predictable. */
    private static Set<String> ordered(Set<String> scopes) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.copyOf(scopes)));
    }

    PublicKey publicKey() {
        return certificate.getPublicKey();
    }

    /** The {@code x5t#S256} value a client may put in its assertion header to name this certificate. */
    String sha256Thumbprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
