package org.socsecgateway.tokenbroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.socsecgateway.simulators.issuer.CallerTokenIssuer;
import org.socsecgateway.simulators.oauth.BcssOAuthSimulator;
import org.socsecgateway.simulators.pki.LocalPki;

/** The simulated partner side of a test run, with shortcuts the tests share. */
public record Bcss(BcssOAuthSimulator oauth, CallerTokenIssuer issuer, LocalPki pki, Path keyFile, Path certFile, Path dir) {

    public String callerToken(String subject) {
        return issuer.mint(subject, SimulatedBcss.AUDIENCE, Duration.ofMinutes(5));
    }

    public int upstreamTokenRequests() {
        return (int) oauth.stats().tokenRequests();
    }

    /** Puts a key and certificate where the broker reads them, as a Secret rotation would. */
    public void installKey(Path key, Path cert) {
        try {
            Files.copy(key, keyFile, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(cert, certFile, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
