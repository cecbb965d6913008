package org.socsecgateway.tokenbroker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.smallrye.certs.CertificateGenerator;
import io.smallrye.certs.CertificateRequest;
import io.smallrye.certs.Format;

/** Fresh signing identities (PEM key + certificate) generated during a test. */
final class TestIdentities {

    record Identity(Path key, Path cert) {
    }

    private TestIdentities() {
    }

    static Identity generate(Path dir, String name, Duration validity) throws Exception {
        Files.createDirectories(dir);
        new CertificateGenerator(dir, true).generate(new CertificateRequest()
                .withName(name)
                .withCN("socsec-gateway test " + name)
                .withFormat(Format.PEM)
                .withDuration(validity));
        return new Identity(dir.resolve(name + ".key"), dir.resolve(name + ".crt"));
    }
}
