package org.socsecgateway.codelist.service;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;

import org.socsecgateway.codelist.config.CodeListConfig;

/**
 * When a list is fetched next (DFDG guide §3.6, docs/partners.md: at most once a day). Lists are fetched at a daily
 * slot: {@code time-of-day} in Danish time plus a jitter fixed per list and day. A list DFDG answered (accepted or
 * refused) is due again never less than {@link #MIN_INTERVAL} after that answer: at the next day's slot, or, when the
 * answer came up to {@link #LATE_TOLERANCE} after its slot (a retry, a start during the day), 24 h after it; an answer
 * later than that (an operator's evening refresh) waits for the first slot 24 h after it, so the daily fetch goes back
 * to its time instead of moving to the evening for good. A list never answered is due at once (at the epoch); after an
 * attempt without an answer, {@code retry-after-failure} later.
 */
public final class FetchPlan {

    /** DFDG's rule: one fetch of a list per day. Enforced again in PostgreSQL when a fetch is claimed. */
    public static final Duration MIN_INTERVAL = Duration.ofHours(24);
    /** An answer this long after its slot moves the next fetch to 24 h after it; a later one goes back to the slot. */
    public static final Duration LATE_TOLERANCE = Duration.ofHours(12);

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
            LocalDate day = answeredAt.atZone(DanishTime.ZONE).toLocalDate();
            if (slot(list, day).isAfter(answeredAt)) {
                day = day.minusDays(1);
            }
            boolean late = Duration.between(slot(list, day), answeredAt).compareTo(LATE_TOLERANCE) > 0;
            Instant next = slot(list, day.plusDays(1));
            while (late && next.isBefore(earliest)) {
                day = day.plusDays(1);
                next = slot(list, day.plusDays(1));
            }
            due = next.isBefore(earliest) ? earliest : next;
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
