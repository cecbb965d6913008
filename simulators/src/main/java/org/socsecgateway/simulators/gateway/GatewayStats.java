package org.socsecgateway.simulators.gateway;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** What the gateway simulator received, for assertions in tests and benchmark reports (thread-safe). */
public final class GatewayStats {

    /** Bounds memory under long benchmark runs; the oldest requests are dropped first. */
    public static final int MAX_RECENT = 1000;

    private final AtomicLong requests = new AtomicLong();
    private final Deque<RecordedRequest> recent = new ArrayDeque<>();

    GatewayStats() {
    }

    /** Every request received (health checks, unknown paths and dropped connections included), counted on arrival. */
    public long requests() {
        return requests.get();
    }

    /**
     * The last {@value #MAX_RECENT} requests, oldest first, each recorded when it was answered (so a request
     * still in progress, e.g. a long download, is counted by {@link #requests()} but not listed yet).
     */
    public List<RecordedRequest> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    public void reset() {
        synchronized (recent) {
            requests.set(0);
            recent.clear();
        }
    }

    void recordArrival() {
        requests.incrementAndGet();
    }

    void record(RecordedRequest request) {
        synchronized (recent) {
            if (recent.size() == MAX_RECENT) {
                recent.removeFirst();
            }
            recent.addLast(request);
        }
    }

    @Override
    public String toString() {
        return "GatewayStats[requests=" + requests() + "]";
    }
}
