package org.socsecgateway.bcssproxy.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The proxy's own bearer token for the broker: a projected ServiceAccount token that the kubelet rewrites before
 * it expires, so the file is read again every little while.
 */
final class OwnCallerToken {

    private static final Duration REREAD_AFTER = Duration.ofSeconds(10);

    private final Path file;
    private volatile String token;
    private volatile Instant readAt = Instant.EPOCH;

    OwnCallerToken(Path file) {
        this.file = file;
    }

    String get() {
        Instant now = Instant.now();
        if (token == null || now.isAfter(readAt.plus(REREAD_AFTER))) {
            try {
                token = Files.readString(file, StandardCharsets.US_ASCII).trim();
                readAt = now;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the proxy's caller token " + file, e);
            }
        }
        return token;
    }
}
