package org.socsecgateway.codelist.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;

import org.junit.jupiter.api.Test;

class FetchPlanTest {

    private static final Duration JITTER = Duration.ofMinutes(30);
    private final FetchPlan plan = new FetchPlan(LocalTime.of(3, 30), JITTER, Duration.ofHours(1));

    @Test
    void aListNeverFetchedIsDueAtOnce() {
        assertThat(plan.nextDue("municipalities", null, null)).isEqualTo(Instant.EPOCH);
    }

    @Test
    void aListNeverAnsweredIsRetriedAfterTheRetryDelay() {
        Instant attempted = Instant.parse("2026-11-29T10:00:00Z");
        assertThat(plan.nextDue("municipalities", null, attempted)).isEqualTo(attempted.plus(Duration.ofHours(1)));
    }

    @Test
    void theNextFetchIsAtTheNextDaysSlotInDanishTimeAndNeverWithin24Hours() {
        // winter: 03:30 Copenhagen = 02:30Z
        Instant answered = Instant.parse("2026-11-29T02:40:00Z");
        Instant due = plan.nextDue("municipalities", answered, answered);
        Instant slot = LocalDate.parse("2026-11-30").atTime(3, 30).atZone(DanishTime.ZONE).toInstant();
        assertThat(due).isAfterOrEqualTo(answered.plus(Duration.ofHours(24)))
                .isBetween(slot, slot.plus(JITTER));
    }

    @Test
    void theSlotFollowsDanishSummerTime() {
        Instant slot = plan.slot("jobcentres", LocalDate.parse("2026-07-01"));
        Instant base = Instant.parse("2026-07-01T01:30:00Z"); // 03:30 CEST
        assertThat(slot).isBetween(base, base.plus(JITTER));
        Instant winter = plan.slot("jobcentres", LocalDate.parse("2026-12-01"));
        Instant winterBase = Instant.parse("2026-12-01T02:30:00Z"); // 03:30 CET
        assertThat(winter).isBetween(winterBase, winterBase.plus(JITTER));
    }

    @Test
    void theJitterIsFixedPerListAndDaySoReplicasAgree() {
        LocalDate day = LocalDate.parse("2026-11-30");
        assertThat(plan.slot("municipalities", day)).isEqualTo(plan.slot("municipalities", day));
        assertThat(new FetchPlan(LocalTime.of(3, 30), JITTER, Duration.ofHours(1)).slot("municipalities", day))
                .isEqualTo(plan.slot("municipalities", day));
    }

    @Test
    void anEveningRefreshDoesNotMoveTheDailyFetchToTheEvening() {
        Instant evening = Instant.parse("2026-11-29T21:00:00Z");
        Instant due = plan.nextDue("municipalities", evening, evening);
        Instant dayAfterNext = LocalDate.parse("2026-12-01").atTime(3, 30).atZone(DanishTime.ZONE).toInstant();
        assertThat(due).isBetween(dayAfterNext, dayAfterNext.plus(JITTER));
    }

    @Test
    void aDailyFetchLaterInTheWindowDoesNotSkipADay() {
        // answered at the end of the window; the next day's slot may be earlier in the window: due 24 h later
        Instant answered = LocalDate.parse("2026-11-29").atTime(3, 59).atZone(DanishTime.ZONE).toInstant();
        Instant due = plan.nextDue("municipalities", answered, answered);
        assertThat(due).isBetween(answered.plus(Duration.ofHours(24)), answered.plus(Duration.ofHours(24)).plus(JITTER));
    }

    @Test
    void anAnswerAfterARetryOrADaytimeStartMovesTheNextFetchTo24HoursLaterNotTwoDays() {
        for (String time : new String[] {"04:50", "10:00", "15:29"}) {
            Instant answered = LocalDate.parse("2026-11-29").atTime(LocalTime.parse(time)).atZone(DanishTime.ZONE).toInstant();
            assertThat(plan.nextDue("municipalities", answered, answered)).as(time).isEqualTo(answered.plus(Duration.ofHours(24)));
        }
    }

    @Test
    void anAnswerInTheNightBeforeTheSlotWaitsForTheSlotAfter24Hours() {
        Instant answered = LocalDate.parse("2026-11-29").atTime(1, 0).atZone(DanishTime.ZONE).toInstant();
        Instant slot = LocalDate.parse("2026-11-30").atTime(3, 30).atZone(DanishTime.ZONE).toInstant();
        assertThat(plan.nextDue("municipalities", answered, answered)).isBetween(slot, slot.plus(JITTER));
    }

    @Test
    void theDayTheClocksGoForwardTheFetchStays24HoursApart() {
        Instant answered = plan.slot("municipalities", LocalDate.parse("2026-03-28"));
        assertThat(plan.nextDue("municipalities", answered, answered)).isAfterOrEqualTo(answered.plus(Duration.ofHours(24)))
                .isBefore(answered.plus(Duration.ofHours(25)));
    }

    @Test
    void afterAFailedAttemptTheRetryWaitsTheRetryDelay() {
        Instant answered = Instant.parse("2026-11-28T02:40:00Z");
        Instant failed = Instant.parse("2026-11-29T02:45:00Z");
        assertThat(plan.nextDue("municipalities", answered, failed)).isEqualTo(failed.plus(Duration.ofHours(1)));
    }
}
