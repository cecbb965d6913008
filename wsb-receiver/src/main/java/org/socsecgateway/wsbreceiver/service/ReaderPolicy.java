package org.socsecgateway.wsbreceiver.service;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;
import org.socsecgateway.wsbreceiver.config.ReceiverConfig;

/**
 * Which caller may read which message types and authorities of the feed, who may hand over WSRM batches and record
 * their sequence receipts, and who may read those receipts.
 */
@ApplicationScoped
public class ReaderPolicy {

    private final Map<String, ReceiverConfig.Reader> readers;
    private final Set<String> ingestCallers;
    private final Set<String> receiptReaders;

    ReaderPolicy(ReceiverConfig config) {
        this.readers = config.readers().stream()
                .collect(Collectors.toUnmodifiableMap(ReceiverConfig.Reader::subject, Function.identity()));
        this.ingestCallers = config.ingest().callers().orElse(Set.of());
        this.receiptReaders = config.wsrm().receiptReaders().orElse(Set.of());
    }

    /**
     * The filter a caller's read runs with: what it asked for, within what it may read. Asking for a type or
     * authority outside its grant is refused (403) rather than silently narrowed, so a misconfiguration shows.
     *
     * @return the filter (types, authorities), null meaning "all"
     */
    public Filter filterFor(String caller, Set<String> askedTypes, Set<String> askedAuthorities) {
        ReceiverConfig.Reader reader = readers.get(caller);
        if (reader == null) {
            throw new ProblemException(ProblemType.MISSING_PERMISSION, "This caller may not read the event feed");
        }
        return new Filter(narrow(askedTypes, reader.types(), "message type"),
                narrow(askedAuthorities, reader.authorities(), "authority"));
    }

    public void checkIngest(String caller) {
        if (!ingestCallers.contains(caller)) {
            throw new ProblemException(ProblemType.MISSING_PERMISSION, "This caller may not hand over messages");
        }
    }

    /** Recording a WSRM sequence receipt: the ingest callers (dfdg-poller) only; 403 otherwise. */
    public void checkReceiptWrite(String caller) {
        if (!ingestCallers.contains(caller)) {
            throw new ProblemException(ProblemType.MISSING_PERMISSION, "This caller may not record WSRM sequence receipts");
        }
    }

    /** Reading WSRM sequence receipts: the ingest callers and {@code wsb.wsrm.receipt-readers}; 403 otherwise. */
    public void checkReceiptRead(String caller) {
        if (!ingestCallers.contains(caller) && !receiptReaders.contains(caller)) {
            throw new ProblemException(ProblemType.MISSING_PERMISSION, "This caller may not read WSRM sequence receipts");
        }
    }

    private static Set<String> narrow(Set<String> asked, Optional<Set<String>> granted, String what) {
        if (granted.isEmpty()) {
            return asked;
        }
        if (asked == null) {
            return granted.get();
        }
        Set<String> refused = new TreeSet<>(asked);
        refused.removeAll(granted.get());
        if (!refused.isEmpty()) {
            throw new ProblemException(ProblemType.MISSING_PERMISSION,
                    "This caller may not read " + what + "(s) " + String.join(",", refused));
        }
        return asked;
    }

    /** Types and authorities to read; null = no restriction. */
    public record Filter(Set<String> types, Set<String> authorities) {
    }
}
