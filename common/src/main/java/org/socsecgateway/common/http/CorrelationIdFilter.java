package org.socsecgateway.common.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Gives every request a correlation id (the caller's {@value #HEADER} when it is well formed, a fresh random UUID
 * otherwise), puts it in the logging MDC as {@code correlationId} and echoes it in the response.
 */
public class CorrelationIdFilter {

    public static final String HEADER = "X-Correlation-Id";
    public static final String MDC_KEY = "correlationId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern UUID_TEXT = Pattern.compile("\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");
    /** Fewer digits than a CPR number (10) or an SSIN (11) has, whatever separates them. */
    private static final int MAX_DIGITS_OUTSIDE_A_UUID = 8;

    @ServerRequestFilter(preMatching = true)
    public void assign(ContainerRequestContext request) {
        String id = suppliedOrFresh(request.getHeaderString(HEADER));
        request.setProperty(MDC_KEY, id);
        MDC.put(MDC_KEY, id);
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(MDC_KEY);
        if (id != null) {
            response.getHeaders().putSingle(HEADER, id);
        }
        MDC.remove(MDC_KEY);
    }

    /**
     * {@code supplied} (a caller's {@value #HEADER}) when it is well formed, else {@link #fresh()}. Well formed: a UUID
     * in its text form, or 1-64 of A-Z a-z 0-9 . _ : - with at most {@value #MAX_DIGITS_OUTSIDE_A_UUID} digits in all,
     * so that a national number (CPR, SSIN, with or without separators) used as an id never reaches a log line or
     * BCSS.
     */
    public static String suppliedOrFresh(String supplied) {
        if (supplied == null || !SAFE.matcher(supplied).matches()) {
            return fresh();
        }
        if (UUID_TEXT.matcher(supplied).matches()) {
            return supplied;
        }
        return supplied.chars().filter(c -> c >= '0' && c <= '9').count() <= MAX_DIGITS_OUTSIDE_A_UUID ? supplied : fresh();
    }

    /**
     * A random (version 4) UUID from the thread's own generator: a correlation or trace id needs to be unique, not
     * unpredictable, and {@link UUID#randomUUID()} takes a shared SecureRandom on every request.
     */
    public static String fresh() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** The current request's correlation id, for outgoing calls and audit lines. */
    public static String current() {
        Object id = MDC.get(MDC_KEY);
        return id == null ? null : id.toString();
    }
}
