package org.socsecgateway.codelist.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;

import org.socsecgateway.codelist.config.CodeListConfig;

/**
 * When a list is fetched next (seed 003 section 3.6: at most once a day). A list DFDG answered (accepted or refused) is
 * due again at the daily slot ({@code time-of-day} in Danish time plus a jitter fixed per list and day) of the day
 * after that answer, and never less than {@link #MIN_INTERVAL} after it; when the answer came so late that this slot
 * is more than the jitter window early, at the slot a day later (so a forced refresh in the evening does not move the
 * daily fetch to the evening for good). A list never answered is due at once (at the epoch); after an attempt without an answer,
 * {@code retry-after-failure} later.
 */
public final class FetchPlan {

    /** DFDG's rule: one fetch of a list per day. Enforced again in PostgreSQL when a fetch is claimed. */
    public static final Duration MIN_INTERVAL = Duration.ofHours(24);

    private final LocalTime timeOfDay;
    private final Duration jitter;
    private final Duration retryAfterFailure;

    public FetchPlan(CodeListConfig.Schedule schedule) {
        this(schedule.timeOfDay(), schedule.jitter(), schedule.retryAfterFailure());
    }

    FetchPlan(LocalTime timeOfDay, Duration jitter, Duration retryAfterFailure) {
        this.timeOfDay = timeOfDay;
        this.jitter = jitter;
        this.retryAfterFailure = retryAfterFailure;
    }

    /**
     * The instant {@code list} is due.
     *
     * @param answeredAt  the last time DFDG answered with a list (accepted or refused), null if never
     * @param attemptedAt the last attempt, null if never; after {@code answeredAt} means that attempt got no answer
     */
    public Instant nextDue(String list, Instant answeredAt, Instant attemptedAt) {
        Instant due;
        if (answeredAt == null) {
            due = attemptedAt == null ? Instant.EPOCH : attemptedAt;
        } else {
            Instant earliest = answeredAt.plus(MIN_INTERVAL);
            LocalDate day = answeredAt.atZone(DanishTime.ZONE).toLocalDate().plusDays(1);
            Instant slot = slot(list, day);
            if (slot.isBefore(earliest.minus(jitter))) {
                slot = slot(list, day.plusDays(1));
            }
            due = slot.isBefore(earliest) ? earliest : slot;
        }
        boolean failedSince = attemptedAt != null && (answeredAt == null || attemptedAt.isAfter(answeredAt));
        if (failedSince) {
            Instant retry = attemptedAt.plus(retryAfterFailure);
            if (answeredAt == null || retry.isAfter(due)) {
                due = retry;
            }
        }
        return due;
    }

    /** The daily slot of {@code list} on {@code day}: time of day in Danish time plus the list's jitter that day. */
    Instant slot(String list, LocalDate day) {
        long window = jitter.toSeconds();
        long offset = window <= 0 ? 0 : Math.floorMod((list + '@' + day).hashCode(), window + 1);
        return day.atTime(timeOfDay).atZone(DanishTime.ZONE).toInstant().plusSeconds(offset);
    }
}
