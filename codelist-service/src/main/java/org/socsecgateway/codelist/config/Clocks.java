package org.socsecgateway.codelist.config;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The clock of the schedule, the once-a-day rule and "valid now": UTC system time (replicas run NTP). */
@Singleton
public class Clocks {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
