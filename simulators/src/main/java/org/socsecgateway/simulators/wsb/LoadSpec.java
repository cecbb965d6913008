package org.socsecgateway.simulators.wsb;

import java.util.Objects;

/**
 * A load for {@link StarWsbSender#load(LoadSpec)}: {@code count} generated messages about {@code count / 4}
 * citizens (at least 1), of which a fraction is sent twice.
 *
 * @param relativePath  appended to the sender's target base URL ("" for none)
 * @param count         distinct messages, 1 to {@value #MAX_COUNT}
 * @param concurrency   requests in flight at most, 1 to {@value StarWsbSender#MAX_CONCURRENCY}
 * @param duplicateRate fraction (0 to 1) of the messages sent a second time, right after the first sending,
 *                      with the same message id (STAR delivers duplicates)
 * @param seed          same seed, same messages and duplicates
 */
public record LoadSpec(String relativePath, int count, int concurrency, double duplicateRate, long seed) {

    public static final int MAX_COUNT = 100_000;

    public LoadSpec {
        Objects.requireNonNull(relativePath, "relativePath");
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be between 1 and " + MAX_COUNT + ", not " + count);
        }
        StarWsbSender.checkConcurrency(concurrency);
        if (!(duplicateRate >= 0 && duplicateRate <= 1)) {
            throw new IllegalArgumentException("duplicateRate must be between 0 and 1, not " + duplicateRate);
        }
    }

    /** How many citizens the messages are spread over. */
    public int citizens() {
        return Math.max(1, count / 4);
    }
}
