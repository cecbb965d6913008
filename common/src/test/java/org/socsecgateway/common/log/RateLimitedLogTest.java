package org.socsecgateway.common.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.LogCapture;

/** {@code common}'s RateLimitedLog (tested here: common has no test dependencies). */
class RateLimitedLogTest {

    private static final String LOGGER = "rate-limited-log-test";

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimitedLog log = new RateLimitedLog(Logger.getLogger(LOGGER), Duration.ofSeconds(10), 3, now::get);
    private final LogCapture capture = new LogCapture();

    @BeforeEach
    void listen() {
        capture.start();
    }

    @AfterEach
    void stopListening() {
        capture.stop();
    }

    @Test
    void oneLinePerKeyAndPeriodThenTheCountOfLeftOutLines() {
        assertThat(log.warnf("expired", "401 %s", "expired")).isTrue();
        assertThat(log.warnf("expired", "401 %s", "expired")).isFalse();
        assertThat(log.warnf("expired", "401 %s", "expired")).isFalse();
        assertThat(log.warnf("unknown kid", "401 %s", "unknown kid")).isTrue(); // another key is not held back

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(log.warnf("expired", "401 %s", "expired again")).isTrue();

        assertThat(lines()).containsExactly("401 expired", "401 unknown kid", "401 expired again (2 similar lines left out)");
    }

    @Test
    void hostileKeysShareOneSlotBeyondTheLimit() {
        for (int i = 0; i < 1_000; i++) {
            log.warnf("kid-" + i, "unknown kid %d", i);
        }
        // 3 remembered keys, then everything else in the overflow slot: one more line, not 997.
        assertThat(lines()).containsExactly("unknown kid 0", "unknown kid 1", "unknown kid 2", "unknown kid 3");

        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(log.warnf("kid-new", "unknown kid %s", "new")).isTrue(); // expired slots are forgotten
    }

    private java.util.List<String> lines() {
        return capture.lines().stream().filter(line -> line.startsWith(LOGGER + " "))
                .map(line -> line.substring(LOGGER.length() + 1, line.lastIndexOf(" {")))
                .toList();
    }
}
