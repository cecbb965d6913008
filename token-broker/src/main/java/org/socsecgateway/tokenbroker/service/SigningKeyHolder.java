package org.socsecgateway.tokenbroker.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.socsecgateway.tokenbroker.config.BrokerConfig;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps the current signing identity and reloads it when the mounted files change, so a rotated Kubernetes
 * Secret is picked up without a restart. While the files are missing or unreadable there is no identity and
 * readiness is down.
 */
@ApplicationScoped
public class SigningKeyHolder {

    private static final Logger LOG = Logger.getLogger(SigningKeyHolder.class);

    /** What was read from which file content: the identity, or why there is none. */
    public record State(Optional<SigningIdentity> identity, String problem, String sourceFingerprint, Instant checkedAt) {
    }

    private final BrokerConfig.SigningKey config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Gauge daysLeftGauge;
    private final AtomicReference<State> state = new AtomicReference<>(new State(Optional.empty(), "not loaded yet", "", Instant.EPOCH));

    SigningKeyHolder(BrokerConfig config, Clock clock, MeterRegistry registry) {
        this.config = config.key();
        this.clock = clock;
        SigningKeyLoader.sources(this.config); // fail start-up on a configuration that names no key at all
        this.registry = registry;
        this.daysLeftGauge = Gauge.builder("broker.certificate.days.left", this, SigningKeyHolder::daysLeft)
                .description("Days until the JWT-signing certificate expires (NaN while none is loaded)")
                .tag("purpose", "jwt-signing")
                .register(registry);
    }

    /** Meters outlive the application in a shared registry; a gauge must not keep reading a stopped instance. */
    @PreDestroy
    void unregister() {
        registry.remove(daysLeftGauge);
    }

    void onStart(@Observes StartupEvent event) {
        reloadIfChanged();
    }

    @Scheduled(every = "${broker.key.reload-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reloadIfChanged() {
        String fingerprint = fingerprint(SigningKeyLoader.sources(config));
        State current = state.get();
        if (fingerprint.equals(current.sourceFingerprint()) && current.identity().isPresent()) {
            return;
        }
        if (fingerprint.equals(current.sourceFingerprint()) && !current.problem().isEmpty()) {
            return; // same broken content as last time: already reported
        }
        state.set(load(fingerprint));
    }

    private State load(String fingerprint) {
        Instant now = clock.instant();
        try {
            SigningIdentity identity = SigningKeyLoader.load(config);
            LOG.infof("Loaded JWT-signing certificate subject='%s' serial=%s notAfter=%s sha256=%s",
                    identity.certificate().getSubjectX500Principal().getName(),
                    identity.certificate().getSerialNumber().toString(16), identity.notAfter(), identity.sha256Hex());
            return new State(Optional.of(identity), "", fingerprint, now);
        } catch (Exception e) {
            String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.errorf("Cannot load the JWT-signing key: %s", problem);
            return new State(Optional.empty(), problem, fingerprint, now);
        }
    }

    public State state() {
        return state.get();
    }

    /** The identity to sign with now, or empty when it is missing, unreadable or expired. */
    public Optional<SigningIdentity> usable() {
        return state.get().identity().filter(identity -> !identity.isExpired(clock.instant()));
    }

    private double daysLeft() {
        return state.get().identity().map(identity -> (double) identity.daysLeft(clock.instant())).orElse(Double.NaN);
    }

    /** Hash of the files' bytes; "missing" ones hash differently from any content so their return is noticed. */
    private static String fingerprint(Path[] files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                try {
                    digest.update(Files.readAllBytes(file));
                } catch (IOException e) {
                    digest.update(("unreadable:" + file).getBytes());
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
