package org.socsecgateway.simulators.wsb;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Generates realistic WSB notices, deterministically from a seed: the same seed gives the same messages.
 * Messages are spread over a fixed pool of citizens (so several concern the same CPR number, which is what
 * makes STAR's per-citizen ordering matter), and their timestamps increase in generation order.
 * Not thread-safe.
 */
public final class WsbMessages {

    /** The message types of docs/partners.md ("WSB (webhooks)"): {@code EntitetId} and {@code EntitetNavn}. */
    public enum Entitet {
        AKASSEMEDLEMSKAB(60010, "Akassemedlemskab"),
        KONTAKTGRUPPE(100008, "Kontaktgruppe"),
        INDKALDELSE(90000, "Indkaldelse");

        private final int id;
        private final String navn;

        Entitet(int id, String navn) {
            this.id = id;
            this.navn = navn;
        }

        public int id() {
            return id;
        }

        public String navn() {
            return navn;
        }
    }

    /** Where timestamps start unless {@link #startingAt} says otherwise (fixed, so output depends on the seed only). */
    public static final Instant DEFAULT_START = Instant.parse("2025-03-03T07:00:00Z");

    private static final ZoneId COPENHAGEN = ZoneId.of("Europe/Copenhagen");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final double BODY_RATE = 0.3;
    private static final double NO_EXTERNAL_ID_RATE = 0.1;

    private final Random random;
    private final List<String> citizens;
    private Instant clock = DEFAULT_START;

    /**
     * @param seed      same seed, same messages
     * @param citizens  size of the pool of CPR numbers the messages are about (at least 1)
     */
    public WsbMessages(long seed, int citizens) {
        if (citizens < 1) {
            throw new IllegalArgumentException("citizens must be at least 1");
        }
        this.random = new Random(seed);
        List<String> pool = new ArrayList<>(citizens);
        while (pool.size() < citizens) {
            String cpr = randomCpr(random);
            if (!pool.contains(cpr)) {
                pool.add(cpr);
            }
        }
        this.citizens = List.copyOf(pool);
    }

    /** Timestamps of the following messages start here. */
    public WsbMessages startingAt(Instant start) {
        this.clock = start;
        return this;
    }

    /** The CPR numbers messages are generated for. */
    public List<String> citizens() {
        return citizens;
    }

    /** {@code count} messages about citizens of the pool, in generation order. */
    public List<WsbMessage> next(int count) {
        List<WsbMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(next());
        }
        return messages;
    }

    /** One message about a citizen of the pool. */
    public WsbMessage next() {
        return next(citizens.get(random.nextInt(citizens.size())));
    }

    /** One message about the given citizen. */
    public WsbMessage next(String cpr) {
        Entitet entitet = Entitet.values()[random.nextInt(Entitet.values().length)];
        int roll = random.nextInt(10);
        int aendring = roll < 3 ? WsbMessage.CREATE : roll < 9 ? WsbMessage.UPDATE : WsbMessage.DELETE;
        clock = clock.plusSeconds(1 + random.nextInt(90));
        String externalId = random.nextDouble() < NO_EXTERNAL_ID_RATE ? WsbMessage.NO_EXTERNAL_ID : uuid(random).toString();
        Map<String, Object> body = aendring != WsbMessage.DELETE && random.nextDouble() < BODY_RATE ? body(entitet) : null;
        return new WsbMessage(
                uuid(random).toString(),
                entitet.id(),
                entitet.navn(),
                externalId,
                uuid(random).toString(),
                WsbMessage.Subjekt.cpr(cpr),
                aendring,
                TIMESTAMP.format(clock.atZone(COPENHAGEN).toOffsetDateTime()),
                body);
    }

    /**
     * A CPR number of the form DDMMYY + 4 digits, with a real birth date and the century digit (7th) that
     * matches it. SYNTHETIC: random numbers for test data, not taken from any register (since 2007 CPR numbers
     * need not pass the modulus-11 check, so the format cannot tell them apart from real ones).
     */
    public static String randomCpr(Random random) {
        LocalDate birth = LocalDate.of(1945, 1, 1).plusDays(random.nextInt(365 * 60)); // 1945 .. ~2004
        int centuryDigit = birth.getYear() < 2000 ? random.nextInt(4) : 4; // 0-3: 1900-1999; 4: 2000-2036
        int serial = random.nextInt(1000); // its last digit is odd for men, even for women
        return String.format("%02d%02d%02d%d%03d", birth.getDayOfMonth(), birth.getMonthValue(), birth.getYear() % 100,
                centuryDigit, serial);
    }

    private Map<String, Object> body(Entitet entitet) {
        Map<String, Object> body = new LinkedHashMap<>();
        LocalDate date = LocalDate.ofInstant(clock, COPENHAGEN).plusDays(random.nextInt(60));
        switch (entitet) {
            case AKASSEMEDLEMSKAB -> {
                body.put("AkasseKode", 10 + random.nextInt(30));
                body.put("StartDato", date.toString());
                body.put("Status", random.nextBoolean() ? "Aktiv" : "Ophørt");
            }
            case KONTAKTGRUPPE -> {
                body.put("KontaktgruppeKode", 1 + random.nextInt(6));
                body.put("GyldigFra", date.toString());
            }
            case INDKALDELSE -> {
                body.put("MoedeDato", date + "T" + String.format("%02d:%02d", 8 + random.nextInt(8), 15 * random.nextInt(4)));
                body.put("Kanal", random.nextBoolean() ? "Digital" : "Fremmoede");
            }
        }
        return body;
    }

    /** A version 4 (random) UUID drawn from {@code random}, so that it follows the seed. */
    private static UUID uuid(Random random) {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
