package org.socsecgateway.common.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A service's own bearer token for calling another service of the set: a projected ServiceAccount token (audience =
 * the called service) that the kubelet rewrites before it expires, so the file is read again every little while.
 * Used by bcss-proxy (towards token-broker) and dfdg-poller (towards wsb-receiver).
 */
public final class OwnCallerToken {

    private static final Duration REREAD_AFTER = Duration.ofSeconds(10);

    private final Path file;
    private volatile String token;
    private volatile Instant readAt = Instant.EPOCH;

    /** @param file the projected token file, e.g. {@code /var/run/secrets/tokens/token-broker} */
    public OwnCallerToken(Path file) {
        this.file = file;
    }

    /** The token (ASCII, trimmed), re-read at most every 10 s; {@link UncheckedIOException} when the file cannot be read. */
    public String get() {
        Instant now = Instant.now();
        if (token == null || now.isAfter(readAt.plus(REREAD_AFTER))) {
            try {
                token = Files.readString(file, StandardCharsets.US_ASCII).trim();
                readAt = now;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the caller token file " + file, e);
            }
        }
        return token;
    }
}
