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

    /** {@code supplied} (a caller's {@value #HEADER}) when it is well formed (1-64 of A-Z a-z 0-9 . _ : -), else {@link #fresh()}. */
    public static String suppliedOrFresh(String supplied) {
        return supplied != null && SAFE.matcher(supplied).matches() ? supplied : fresh();
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
