package org.socsecgateway.simulators.soap;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a {@link SoapEndpoint} (or several sharing one) received, for assertions in tests (thread-safe). */
public final class SoapStats {

    /** Bounds memory under long runs; the oldest exchanges are dropped first. */
    public static final int MAX_RECENT = 1000;

    private final Map<String, Long> calls = new TreeMap<>();
    private final Deque<SoapExchange> recent = new ArrayDeque<>();
    private long requests;

    public SoapStats() {
    }

    /** Every request received, counted on arrival (refused ones included). */
    public synchronized long requests() {
        return requests;
    }

    /** Calls per operation, counted on arrival once the SOAPAction named a known operation. */
    public synchronized Map<String, Long> calls() {
        return Map.copyOf(calls);
    }

    /** Calls of one operation (its WSDL name). */
    public synchronized long calls(String operation) {
        return calls.getOrDefault(operation, 0L);
    }

    /** The last {@value #MAX_RECENT} exchanges, oldest first. */
    public synchronized List<SoapExchange> recent() {
        return List.copyOf(recent);
    }

    /** The recent exchanges of one operation, oldest first. */
    public synchronized List<SoapExchange> recent(String operation) {
        return recent.stream().filter(e -> operation.equals(e.operation())).toList();
    }

    public synchronized void reset() {
        requests = 0;
        calls.clear();
        recent.clear();
    }

    synchronized void arrived() {
        requests++;
    }

    synchronized void called(String operation) {
        calls.merge(operation, 1L, Long::sum);
    }

    synchronized void record(SoapExchange exchange) {
        if (recent.size() == MAX_RECENT) {
            recent.removeFirst();
        }
        recent.addLast(exchange);
    }

    @Override
    public synchronized String toString() {
        return "SoapStats[requests=" + requests + ", calls=" + calls + "]";
    }
}
