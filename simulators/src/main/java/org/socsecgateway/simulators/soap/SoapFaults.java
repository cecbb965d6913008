package org.socsecgateway.simulators.soap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Misbehaviour injected into a {@link SoapEndpoint}, changeable while it runs (thread-safe). Each rule applies to
 * one operation (by its WSDL name, e.g. {@code CreateSequence}) or to every operation ({@code null}), to a number
 * of calls ({@code -1} = every call) after letting {@code skip} matching calls through (so {@code skip = n - 1}
 * hits the n-th call from now). Rules are checked on arrival, once the SOAPAction named a known operation, in the
 * order they were added: the first matching {@link Kind#LATENCY} rule delays the call, and the first matching rule
 * of another kind decides what happens to it.
 */
public final class SoapFaults {

    /** What a rule does to a call. */
    public enum Kind {
        /** A FaultDetails SOAP fault (HTTP 500) with the rule's error code and message; the operation does not run. */
        FAULT_DETAILS,
        /** HTTP 503 with an HTML page, as an IIS/load balancer in front of the service answers when it is down. */
        SERVICE_UNAVAILABLE,
        /** HTTP 200 with {@code Content-Type: text/xml} and an empty body. */
        EMPTY_ANSWER,
        /** The answer (whatever it is) waits {@link Rule#latency()} first. */
        LATENCY,
        /** The request is read, then the TCP connection is closed without an answer; the operation does not run. */
        DROP_CONNECTION,
        /** The operation runs (it takes effect), then the TCP connection is closed without an answer: a lost answer. */
        DROP_ANSWER
    }

    /**
     * One injected fault.
     *
     * @param kind      what happens
     * @param operation the operation's WSDL name, null = any operation
     * @param skip      matching calls let through before the rule applies (0 = from the next call)
     * @param count     how many calls it applies to, -1 = every call
     * @param errorCode the FaultDetails ErrorCode ({@link Kind#FAULT_DETAILS} only)
     * @param message   the FaultDetails Message and faultstring ({@link Kind#FAULT_DETAILS} only)
     * @param latency   the delay ({@link Kind#LATENCY} only), otherwise zero
     */
    public record Rule(Kind kind, String operation, int skip, int count, int errorCode, String message,
                       Duration latency) {

        public Rule {
            Objects.requireNonNull(kind, "kind");
            if (skip < 0) {
                throw new IllegalArgumentException("skip must not be negative");
            }
            if (count < -1 || count == 0) {
                throw new IllegalArgumentException("count must be positive or -1 (every call)");
            }
            latency = latency == null ? Duration.ZERO : latency;
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative");
            }
            if (kind == Kind.FAULT_DETAILS && message == null) {
                message = "injected fault";
            }
        }

        boolean matches(String op) {
            return operation == null || operation.equals(op);
        }
    }

    /** What to do with one call: a delay (maybe zero) and the rule that decides its fate (null = serve normally). */
    public record Decision(Duration latency, Rule action) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public SoapFaults() {
    }

    /** Adds a rule (after the existing ones). */
    public synchronized SoapFaults add(Rule rule) {
        entries.add(new Entry(Objects.requireNonNull(rule, "rule")));
        return this;
    }

    /** The next {@code count} calls of {@code operation} (null = any; count -1 = always) answer a FaultDetails fault. */
    public SoapFaults faultDetails(String operation, int errorCode, String message, int count) {
        return add(new Rule(Kind.FAULT_DETAILS, operation, 0, count, errorCode, message, null));
    }

    /** Only the {@code nthCall}-th call of {@code operation} from now (1 = the next one) answers a FaultDetails fault. */
    public SoapFaults faultDetailsOnCall(String operation, int nthCall, int errorCode, String message) {
        if (nthCall < 1) {
            throw new IllegalArgumentException("nthCall starts at 1");
        }
        return add(new Rule(Kind.FAULT_DETAILS, operation, nthCall - 1, 1, errorCode, message, null));
    }

    /** The next {@code count} calls (-1 = always) answer HTTP 503 with an HTML page. */
    public SoapFaults serviceUnavailable(String operation, int count) {
        return add(new Rule(Kind.SERVICE_UNAVAILABLE, operation, 0, count, 0, null, null));
    }

    /** The next {@code count} calls (-1 = always) answer HTTP 200 with an empty body. */
    public SoapFaults emptyAnswers(String operation, int count) {
        return add(new Rule(Kind.EMPTY_ANSWER, operation, 0, count, 0, null, null));
    }

    /** The next {@code count} calls (-1 = always) are answered {@code latency} later. */
    public SoapFaults latency(String operation, Duration latency, int count) {
        return add(new Rule(Kind.LATENCY, operation, 0, count, 0, null, latency));
    }

    /** The next {@code count} calls (-1 = always) have their connection closed before the operation runs. */
    public SoapFaults dropConnections(String operation, int count) {
        return add(new Rule(Kind.DROP_CONNECTION, operation, 0, count, 0, null, null));
    }

    /** The next {@code count} calls (-1 = always) run, then lose their answer (the connection is closed). */
    public SoapFaults dropAnswers(String operation, int count) {
        return add(new Rule(Kind.DROP_ANSWER, operation, 0, count, 0, null, null));
    }

    /** The pending rules, with their remaining skip and count. */
    public synchronized List<Rule> rules() {
        return entries.stream().map(Entry::view).toList();
    }

    /** Replaces every rule. */
    public synchronized SoapFaults replace(List<Rule> rules) {
        entries.clear();
        rules.forEach(this::add);
        return this;
    }

    /** Back to a well-behaved service. */
    public synchronized SoapFaults clear() {
        entries.clear();
        return this;
    }

    /** Consumes what applies to one arriving call of {@code operation}. */
    public synchronized Decision onArrival(String operation) {
        Duration latency = Duration.ZERO;
        boolean delayed = false;
        Rule action = null;
        for (var it = entries.iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (!entry.rule.matches(operation)) {
                continue;
            }
            if (entry.skip > 0) {
                entry.skip--;
                continue;
            }
            boolean isLatency = entry.rule.kind() == Kind.LATENCY;
            if (isLatency ? delayed : action != null) {
                continue; // one delay and one action per call; later rules wait for later calls
            }
            if (isLatency) {
                latency = entry.rule.latency();
                delayed = true;
            } else {
                action = entry.rule;
            }
            if (entry.count > 0 && --entry.count == 0) {
                it.remove();
            }
        }
        return new Decision(latency, action);
    }

    @Override
    public synchronized String toString() {
        return "SoapFaults" + rules();
    }

    private static final class Entry {
        final Rule rule;
        int skip;
        int count;

        Entry(Rule rule) {
            this.rule = rule;
            this.skip = rule.skip();
            this.count = rule.count();
        }

        Rule view() {
            return new Rule(rule.kind(), rule.operation(), skip, count, rule.errorCode(), rule.message(), rule.latency());
        }
    }
}
