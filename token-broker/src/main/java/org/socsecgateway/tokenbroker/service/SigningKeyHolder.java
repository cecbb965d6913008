package org.socsecgateway.tokenbroker.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
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
 * Secret is picked up without a restart. New content is taken only when it is usable now: readable, key and
 * certificate matching, and the certificate valid (not expired, {@code notBefore} not in the future beyond
 * {@link #NOT_BEFORE_TOLERANCE}). Otherwise the last good identity stays in use, and the problem with the files
 * is reported (readiness data, {@code broker_signing_key_files_usable} = 0, one ERROR line per new content) until
 * they are fixed. Without any good identity there is none, and readiness is down.
 */
@ApplicationScoped
public class SigningKeyHolder {

    private static final Logger LOG = Logger.getLogger(SigningKeyHolder.class);

    /** Clocks differ a little: a certificate starting within this is taken (Smals' clock is as likely ahead). */
    static final Duration NOT_BEFORE_TOLERANCE = Duration.ofMinutes(1);

    /**
     * The identity in use, and what is wrong with the files on disk (empty when nothing is).
     *
     * @param identity          the identity signed with: the files' when they are usable, else the last good one
     * @param problem           why the files' current content is not in use; "" when it is
     * @param sourceFingerprint hash of the files' content last read
     * @param retryAt           when content refused only for its time ({@code notBefore}) is to be read again
     */
    public record State(Optional<SigningIdentity> identity, String problem, String sourceFingerprint, Instant checkedAt,
            Optional<Instant> retryAt) {

        /** Whether the files on disk hold an identity that is in use (false while an older one stands in). */
        public boolean filesUsable() {
            return problem.isEmpty();
        }
    }

    private final BrokerConfig.SigningKey config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Gauge daysLeftGauge;
    private final Gauge filesUsableGauge;
    private final AtomicReference<State> state = new AtomicReference<>(
            new State(Optional.empty(), "not loaded yet", "", Instant.EPOCH, Optional.empty()));

    SigningKeyHolder(BrokerConfig config, Clock clock, MeterRegistry registry) {
        this.config = config.key();
        this.clock = clock;
        SigningKeyLoader.sources(this.config); // fail start-up on a configuration that names no key at all
        this.registry = registry;
        this.daysLeftGauge = Gauge.builder("broker.certificate.days.left", this, SigningKeyHolder::daysLeft)
                .description("Days until the JWT-signing certificate expires (NaN while none is loaded)")
                .tag("purpose", "jwt-signing")
                .register(registry);
        this.filesUsableGauge = Gauge.builder("broker.signing.key.files.usable", this, holder -> holder.state().filesUsable() ? 1 : 0)
                .description("1 when the mounted key files are the identity in use; 0 while they are missing, broken,"
                        + " not yet or no longer valid (the last good identity, if any, is used meanwhile)")
                .register(registry);
    }

    /** Meters outlive the application in a shared registry; a gauge must not keep reading a stopped instance. */
    @PreDestroy
    void unregister() {
        registry.remove(daysLeftGauge);
        registry.remove(filesUsableGauge);
    }

    void onStart(@Observes StartupEvent event) {
        reloadIfChanged();
    }

    @Scheduled(every = "${broker.key.reload-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reloadIfChanged() {
        String fingerprint = fingerprint(SigningKeyLoader.sources(config));
        State current = state.get();
        Instant now = clock.instant();
        if (fingerprint.equals(current.sourceFingerprint())
                && current.retryAt().map(now::isBefore).orElse(true)) {
            return; // same content as last time: in use, or already reported (and not waiting for its notBefore)
        }
        state.set(load(fingerprint, current, now));
    }

    private State load(String fingerprint, State current, Instant now) {
        Optional<SigningIdentity> lastGood = current.identity();
        SigningIdentity identity;
        try {
            identity = SigningKeyLoader.load(config);
        } catch (Exception e) {
            return refused(fingerprint, lastGood, e.getClass().getSimpleName() + ": " + e.getMessage(), now, Optional.empty());
        }
        if (identity.isExpired(now)) {
            return refused(fingerprint, lastGood, "the certificate in the key files expired on " + identity.notAfter(), now, Optional.empty());
        }
        if (identity.notBefore().isAfter(now.plus(NOT_BEFORE_TOLERANCE))) {
            return refused(fingerprint, lastGood, "the certificate in the key files is not valid before " + identity.notBefore(),
                    now, Optional.of(identity.notBefore().minus(NOT_BEFORE_TOLERANCE)));
        }
        LOG.infof("Loaded JWT-signing certificate subject='%s' serial=%s notBefore=%s notAfter=%s sha256=%s",
                identity.certificate().getSubjectX500Principal().getName(),
                identity.certificate().getSerialNumber().toString(16), identity.notBefore(), identity.notAfter(),
                identity.sha256Hex());
        return new State(Optional.of(identity), "", fingerprint, now, Optional.empty());
    }

    private State refused(String fingerprint, Optional<SigningIdentity> lastGood, String problem, Instant now,
            Optional<Instant> retryAt) {
        // not caused by any caller: the operator must fix the Secret; once per new content
        if (lastGood.isPresent()) {
            LOG.errorf("Cannot use the new JWT-signing key files (%s); still signing with the previous certificate serial=%s"
                    + " notAfter=%s", problem, lastGood.get().certificate().getSerialNumber().toString(16), lastGood.get().notAfter());
        } else {
            LOG.errorf("Cannot load the JWT-signing key: %s", problem);
        }
        return new State(lastGood, problem, fingerprint, now, retryAt);
    }

    public State state() {
        return state.get();
    }

    /** The identity to sign with now, or empty when none is loaded or it is not (or no longer) valid now. */
    public Optional<SigningIdentity> usable() {
        Instant now = clock.instant();
        return state.get().identity().filter(identity -> identity.isValidAt(now, NOT_BEFORE_TOLERANCE));
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
