package org.socsecgateway.common.log;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

/**
 * WARN lines that a caller (or a misbehaving partner) can trigger at will, limited to one line per key and period:
 * the first occurrence of a key is logged at once, repeats within the period are counted, and the next line for
 * that key says how many were left out. Keys must come from a small set (a reason, an error code) or be bounded by
 * {@code maxKeys}: beyond it, new keys share one overflow slot, so the map never grows with hostile input.
 * Thread-safe.
 */
public final class RateLimitedLog {

    private static final String OVERFLOW_KEY = "\u0000overflow";

    private final Logger logger;
    private final long periodNanos;
    private final int maxKeys;
    private final LongSupplier nanoClock;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    private static final class Slot {
        long lastLoggedNanos;
        long suppressed;
    }

    /**
     * @param period  at most one line per key within this time
     * @param maxKeys how many distinct keys are remembered before they share one slot
     */
    public RateLimitedLog(Logger logger, Duration period, int maxKeys) {
        this(logger, period, maxKeys, System::nanoTime);
    }

    /** With an explicit monotonic clock in nanoseconds, for tests. */
    public RateLimitedLog(Logger logger, Duration period, int maxKeys, LongSupplier nanoClock) {
        this.logger = Objects.requireNonNull(logger, "logger");
        if (period.isNegative() || period.isZero() || maxKeys < 1) {
            throw new IllegalArgumentException("period must be positive and maxKeys at least 1");
        }
        this.periodNanos = period.toNanos();
        this.maxKeys = maxKeys;
        this.nanoClock = nanoClock;
    }

    /**
     * Logs {@code String.format}-style at WARN unless a line for {@code key} was logged within the period.
     *
     * @return whether the line was written
     */
    public boolean warnf(String key, String format, Object... params) {
        long suppressed = admit(key);
        if (suppressed < 0) {
            return false;
        }
        String message = String.format(format, params);
        logger.warn(suppressed == 0 ? message : message + " (" + suppressed + " similar lines left out)");
        return true;
    }

    /** -1 when the line must be left out, otherwise how many were left out since the last one. */
    private long admit(String key) {
        long now = nanoClock.getAsLong();
        String slotKey = key;
        if (!slots.containsKey(key) && slots.size() >= maxKeys) {
            slots.entrySet().removeIf(entry -> now - entry.getValue().lastLoggedNanos >= periodNanos);
            if (slots.size() >= maxKeys) {
                slotKey = OVERFLOW_KEY;
            }
        }
        Slot slot = slots.computeIfAbsent(slotKey, k -> {
            Slot fresh = new Slot();
            fresh.lastLoggedNanos = now - periodNanos;
            return fresh;
        });
        synchronized (slot) {
            if (now - slot.lastLoggedNanos < periodNanos) {
                slot.suppressed++;
                return -1;
            }
            long left = slot.suppressed;
            slot.lastLoggedNanos = now;
            slot.suppressed = 0;
            return left;
        }
    }
}
