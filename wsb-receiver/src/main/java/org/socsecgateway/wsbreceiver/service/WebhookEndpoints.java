package org.socsecgateway.wsbreceiver.service;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import jakarta.enterprise.context.ApplicationScoped;

import org.socsecgateway.common.tls.Certificates;
import org.socsecgateway.wsbreceiver.config.ReceiverConfig;

/** The configured webhook paths with their authority, and who may post to them. */
@ApplicationScoped
public class WebhookEndpoints {

    /** SSLSession value: the accepted sender's fingerprint, or "" when the session's certificate is not accepted. */
    private static final String SENDER = "socsec.wsb.sender";

    private final Map<String, String> authorityByPath;
    private final Set<String> pinned;

    WebhookEndpoints(ReceiverConfig config) {
        this.authorityByPath = config.webhook().endpoints().stream()
                .collect(Collectors.toUnmodifiableMap(ReceiverConfig.Endpoint::path, ReceiverConfig.Endpoint::authority,
                        (a, b) -> {
                            throw new IllegalArgumentException("wsb.webhook.endpoints: the same path is configured twice");
                        }));
        this.pinned = config.webhook().pinnedSha256().orElse(Set.of()).stream()
                .map(Certificates::normaliseFingerprint)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The authority a webhook path is for; empty when the path is not one of ours. */
    public Optional<String> authority(String path) {
        if (path == null) {
            return Optional.empty();
        }
        String exact = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return Optional.ofNullable(authorityByPath.get(exact));
    }

    public Map<String, String> all() {
        return authorityByPath;
    }

    /**
     * STAR's certificate fingerprint when the TLS session carries a client certificate that the trust store accepted
     * (the handshake already checked that) and, if fingerprints are pinned, that is one of them. Decided once per TLS
     * session (kept in the session), not on every request of a kept-alive connection.
     */
    public Optional<String> acceptedSender(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        if (session.getValue(SENDER) instanceof String decided) {
            return decided.isEmpty() ? Optional.empty() : Optional.of(decided);
        }
        String fingerprint = clientCertificate(session).map(Certificates::sha256).orElse(null);
        String sender = fingerprint != null && (pinned.isEmpty() || pinned.contains(fingerprint)) ? fingerprint : "";
        session.putValue(SENDER, sender);
        return sender.isEmpty() ? Optional.empty() : Optional.of(sender);
    }

    public static Optional<X509Certificate> clientCertificate(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? Optional.of(leaf) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** For the log: which fingerprints are pinned (public data). */
    public Set<String> pinned() {
        return pinned;
    }

}
