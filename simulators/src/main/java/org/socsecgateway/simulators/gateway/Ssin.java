package org.socsecgateway.simulators.gateway;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The Belgian social security identification number (INSZ/NISS): 11 digits {@code yymmddsssCC}, where
 * {@code CC = 97 - (yymmddsss mod 97)} for people born before 2000 and {@code 97 - (2yymmddsss mod 97)} for
 * people born in 2000 or later. Bis numbers (month + 20 or + 40) are accepted; the birth date part is not
 * otherwise validated (month or day 0 means unknown).
 */
final class Ssin {

    private Ssin() {
    }

    /** @return why {@code value} is not a valid SSIN (without echoing it), or empty when it is valid */
    static Optional<String> problem(String value) {
        if (value == null) {
            return Optional.of("ssin is required");
        }
        if (!value.matches("[0-9]{11}")) {
            return Optional.of("ssin must consist of exactly 11 digits");
        }
        if (century(value) == 0) {
            return Optional.of("ssin has an invalid check number (modulo 97)");
        }
        return Optional.empty();
    }

    /** The birth date encoded in a valid SSIN, if it is known (not for month or day 0). */
    static Optional<LocalDate> birthDate(String ssin) {
        int year = century(ssin) + Integer.parseInt(ssin.substring(0, 2));
        int month = Integer.parseInt(ssin.substring(2, 4));
        int day = Integer.parseInt(ssin.substring(4, 6));
        if (month > 40) {
            month -= 40; // bis number, gender known
        } else if (month > 20) {
            month -= 20; // bis number, gender unknown
        }
        try {
            return Optional.of(LocalDate.of(year, month, day));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** 1900 or 2000 per the check number, 0 when it matches neither. */
    private static int century(String ssin) {
        long base = Long.parseLong(ssin.substring(0, 9));
        int check = Integer.parseInt(ssin.substring(9));
        if (97 - base % 97 == check) {
            return 1900;
        }
        if (97 - (2_000_000_000L + base) % 97 == check) {
            return 2000;
        }
        return 0;
    }
}
