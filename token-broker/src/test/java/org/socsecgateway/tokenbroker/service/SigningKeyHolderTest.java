package org.socsecgateway.tokenbroker.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.socsecgateway.tokenbroker.TestIdentities;
import org.socsecgateway.tokenbroker.TestIdentities.Identity;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A new Secret that cannot be used (broken, mismatched, expired, not valid yet) never replaces the last good
 * signing identity; the problem is reported until the files are fixed. A certificate's notBefore counts like its
 * notAfter.
 */
class SigningKeyHolderTest {

    @TempDir
    Path dir;

    private final TestBrokerConfig.MutableClock clock = new TestBrokerConfig.MutableClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Path keyFile;
    private Path certFile;
    private SigningKeyHolder holder;
    private Identity good;

    @BeforeEach
    void loadAGoodIdentity() throws Exception {
        keyFile = dir.resolve("mounted/signing.key");
        certFile = dir.resolve("mounted/signing.crt");
        Files.createDirectories(keyFile.getParent());
        Instant now = clock.instant();
        good = TestIdentities.generate(dir.resolve("good"), "good", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
        install(good.key(), good.cert());
        holder = holder();
        holder.reloadIfChanged();
        assertThat(inUse()).isEqualTo(thumbprint(good));
        assertThat(holder.state().filesUsable()).isTrue();
        assertThat(filesUsableGauge()).isEqualTo(1.0);
    }

    @AfterEach
    void unregister() {
        holder.unregister();
    }

    @Test
    void unusableNewFilesKeepTheLastGoodIdentityInUseAndSaySo() throws Exception {
        Instant now = clock.instant();
        Identity other = TestIdentities.generate(dir.resolve("other"), "other", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
        Identity expired = TestIdentities.generate(dir.resolve("expired"), "expired", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        Identity future = TestIdentities.generate(dir.resolve("future"), "future", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
        Path garbage = Files.writeString(dir.resolve("garbage.key"), "not a key");
        Object[][] cases = {
                { other.key(), good.cert(), "does not belong" },
                { garbage, good.cert(), "no unencrypted PKCS#8 or PKCS#1 private key" },
                { expired.key(), expired.cert(), "expired" },
                { future.key(), future.cert(), "not valid before" },
                { null, null, "NoSuchFileException" } };
        for (Object[] c : cases) {
            if (c[0] == null) {
                Files.delete(keyFile);
            } else {
                install((Path) c[0], (Path) c[1]);
            }

            holder.reloadIfChanged();

            assertThat(holder.usable()).as("identity for %s", c[2]).isPresent();
            assertThat(inUse()).as("identity for %s", c[2]).isEqualTo(thumbprint(good));
            assertThat(holder.state().filesUsable()).isFalse();
            assertThat(holder.state().problem()).contains((String) c[2]);
            assertThat(filesUsableGauge()).isEqualTo(0.0);
        }

        install(good.key(), good.cert());
        holder.reloadIfChanged();
        assertThat(holder.state().filesUsable()).isTrue();
        assertThat(filesUsableGauge()).isEqualTo(1.0);
    }

    @Test
    void aCertificateNotValidYetIsTakenOnceItsNotBeforeHasCome() throws Exception {
        Instant now = clock.instant();
        Identity next = TestIdentities.generate(dir.resolve("next"), "next", now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
        install(next.key(), next.cert());

        holder.reloadIfChanged();
        assertThat(inUse()).isEqualTo(thumbprint(good));

        clock.advance(Duration.ofHours(1));
        holder.reloadIfChanged(); // same files: read again because only their time was wrong

        assertThat(inUse()).isEqualTo(thumbprint(next));
        assertThat(holder.state().filesUsable()).isTrue();
    }

    @Test
    void withoutAGoodIdentityACertificateNotValidYetIsNotUsedButOneStartingWithinAMinuteIs() throws Exception {
        holder.unregister();
        Instant now = clock.instant();
        Identity future = TestIdentities.generate(dir.resolve("future"), "future", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
        install(future.key(), future.cert());
        holder = holder();
        holder.reloadIfChanged();
        assertThat(holder.usable()).isEmpty();
        assertThat(holder.state().problem()).contains("not valid before");

        holder.unregister();
        Identity almost = TestIdentities.generate(dir.resolve("almost"), "almost", now.plusSeconds(30), now.plus(Duration.ofDays(30)));
        install(almost.key(), almost.cert());
        holder = holder();
        holder.reloadIfChanged();
        assertThat(holder.usable()).isPresent(); // clocks differ by seconds, not by days
    }

    private SigningKeyHolder holder() {
        return new SigningKeyHolder(TestBrokerConfig.with(Map.of(
                "broker.key.pem-key", keyFile.toString(), "broker.key.pem-cert", certFile.toString())), clock, meters);
    }

    private void install(Path key, Path cert) throws Exception {
        Files.copy(key, keyFile, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(cert, certFile, StandardCopyOption.REPLACE_EXISTING);
    }

    private String inUse() {
        return holder.usable().orElseThrow().sha256Hex();
    }

    private String thumbprint(Identity identity) throws Exception {
        SigningIdentity loaded = SigningKeyLoader.load(TestBrokerConfig.with(Map.of(
                "broker.key.pem-key", identity.key().toString(), "broker.key.pem-cert", identity.cert().toString())).key());
        return loaded.sha256Hex();
    }

    private double filesUsableGauge() {
        return meters.get("broker.signing.key.files.usable").gauge().value();
    }
}
