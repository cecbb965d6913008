package org.socsecgateway.dfdgpoller.client;

import java.util.List;

/**
 * One Get answer: at most 500 messages (DFDG guide §2.3.1, docs/partners.md), the answer's WSRM message number
 * ({@code SequenceResponse}) and whether DFDG asked for an acknowledgement ({@code AckRequested}).
 *
 * @param messageNumber 0 when the answer carried no {@code SequenceResponse}
 */
public record Page(List<WsrmMessage> messages, long messageNumber, boolean ackRequested) {
}
