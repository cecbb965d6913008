package org.socsecgateway.simulators.oauth;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the token endpoint, for assertions in tests and benchmark reports.
 * Every request that reaches the endpoint ends up either issued or rejected (injected faults included), so
 * {@code tokenRequests() == issued() + rejected()} once no request is in flight.
 */
public final class Stats {

    /** Bounds memory under long benchmark runs with failures; the oldest codes are dropped first. */
    static final int MAX_ERRORS_KEPT = 10_000;

    private final AtomicLong tokenRequests = new AtomicLong();
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Deque<String> errors = new ArrayDeque<>();

    /** Every POST that reached the token endpoint, counted on arrival. */
    public long tokenRequests() {
        return tokenRequests.get();
    }

    public long issued() {
        return issued.get();
    }

    /** Requests answered with an error, validation failures and injected faults alike. */
    public long rejected() {
        return rejected.get();
    }

    /** RFC 6749 error codes answered, oldest first (at most the last {@value #MAX_ERRORS_KEPT}). */
    public List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    public void reset() {
        synchronized (errors) {
            tokenRequests.set(0);
            issued.set(0);
            rejected.set(0);
            errors.clear();
        }
    }

    void recordRequest() {
        tokenRequests.incrementAndGet();
    }

    void recordIssued() {
        issued.incrementAndGet();
    }

    void recordRejected(String error) {
        synchronized (errors) {
            rejected.incrementAndGet();
            if (errors.size() == MAX_ERRORS_KEPT) {
                errors.removeFirst();
            }
            errors.addLast(error);
        }
    }

    @Override
    public String toString() {
        return "Stats[tokenRequests=" + tokenRequests() + ", issued=" + issued() + ", rejected=" + rejected() + "]";
    }
}
