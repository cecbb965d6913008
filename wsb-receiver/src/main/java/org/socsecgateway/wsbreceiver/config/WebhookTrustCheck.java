package org.socsecgateway.wsbreceiver.config;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;

/**
 * Refuses to start when the webhook would let more than STAR deliver: no {@code wsb.webhook.pinned-sha256} while
 * the webhook trust store holds a CA certificate (then every certificate that CA issues passes the handshake and
 * would count as STAR), or while there is no trust store at all (then the JVM's public CAs would decide). A trust
 * store holding only end-entity certificates (STAR's own) needs no pin: only their keys' holders get through.
 * {@code wsb.webhook.allow-unpinned=true} opts out, for a private CA that issues to STAR alone.
 */
@ApplicationScoped
public class WebhookTrustCheck {

    private static final Logger LOG = Logger.getLogger(WebhookTrustCheck.class);

    void check(@Observes StartupEvent event, ReceiverConfig config, TlsConfigurationRegistry tls) {
        ReceiverConfig.Webhook webhook = config.webhook();
        Optional<KeyStore> trustStore = tls.get("webhook").map(TlsConfiguration::getTrustStore);
        verify(webhook.pinnedSha256().orElse(Set.of()), webhook.allowUnpinned(), trustStore);
        if (webhook.pinnedSha256().orElse(Set.of()).isEmpty() && webhook.allowUnpinned()) {
            LOG.warn("wsb.webhook.allow-unpinned=true: every client certificate the webhook trust store accepts may"
                    + " deliver messages as STAR");
        }
    }

    /**
     * @param pinned        the pinned fingerprints (empty: none)
     * @param allowUnpinned {@code wsb.webhook.allow-unpinned}
     * @param trustStore    the webhook trust store; empty when none is configured
     * @throws ConfigurationException when nothing but a CA (or the JVM's CAs) would decide who is STAR
     */
    public static void verify(Set<String> pinned, boolean allowUnpinned, Optional<KeyStore> trustStore) {
        if (!pinned.isEmpty() || allowUnpinned) {
            return;
        }
        if (trustStore.isEmpty()) {
            throw new ConfigurationException("wsb.webhook.pinned-sha256 is empty and the webhook has no trust store"
                    + " (quarkus.tls.webhook.trust-store.*): any client certificate from a CA the JVM trusts could deliver"
                    + " messages. Configure STAR's certificate as trust store and pin its SHA-256 fingerprint in"
                    + " wsb.webhook.pinned-sha256");
        }
        List<String> authorities = certificateAuthorities(trustStore.get());
        if (!authorities.isEmpty()) {
            throw new ConfigurationException("wsb.webhook.pinned-sha256 is empty while the webhook trust store holds a CA"
                    + " certificate (" + String.join("; ", authorities) + "): every certificate it issues could deliver"
                    + " messages as STAR. Pin the SHA-256 fingerprint of STAR's certificate in wsb.webhook.pinned-sha256"
                    + " (openssl x509 -in sys-org-star.cer -noout -fingerprint -sha256), or set"
                    + " wsb.webhook.allow-unpinned=true if that CA issues certificates to STAR alone");
        }
    }

    /** Subjects of the trust store's CA certificates (basic constraints CA:true). */
    private static List<String> certificateAuthorities(KeyStore store) {
        List<String> subjects = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                Certificate certificate = store.getCertificate(alias);
                if (certificate instanceof X509Certificate x509 && x509.getBasicConstraints() >= 0) {
                    subjects.add(x509.getSubjectX500Principal().getName());
                }
            }
        } catch (KeyStoreException e) {
            throw new ConfigurationException("The webhook trust store cannot be read: " + e.getMessage());
        }
        return subjects;
    }
}
