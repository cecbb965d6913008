package org.socsecgateway.dfdgpoller.client;

import java.util.List;

/**
 * {@code TerminateSequenceResponse} (DFDG guide §2.3.2.3, docs/partners.md): whether DFDG accepted the sequence as
 * complete (and deleted its messages), and otherwise the message-number ranges it misses.
 */
public record TerminateAnswer(boolean correct, List<Range> missing) {

    /** An inclusive range of message numbers, as in {@code MissingRange Lower= Upper=}. */
    public record Range(long lower, long upper) {
        @Override
        public String toString() {
            return lower == upper ? String.valueOf(lower) : lower + "-" + upper;
        }
    }
}
