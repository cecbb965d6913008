package org.socsecgateway.simulators.wsrm;

import java.time.Instant;
import java.util.Map;

/**
 * An open sequence of the fake DFDG WSRM service.
 *
 * @param identifier     its GUID
 * @param subscriber     whose it is
 * @param inventory      messages per service name, as CreateSequence announced them
 * @param messages       messages taken into it
 * @param fetched        messages handed out by Get calls so far
 * @param messageNumbers Get answers so far (the last MessageNumber)
 * @param acknowledged   message numbers acknowledged
 * @param created        when CreateSequence opened it
 * @param lastActivity   the last call on it
 * @param expiresAt      when it expires without further calls
 */
public record SequenceView(String identifier, String subscriber, Map<String, Integer> inventory, int messages,
                           int fetched, long messageNumbers, int acknowledged, Instant created, Instant lastActivity,
                           Instant expiresAt) {

    public SequenceView {
        inventory = Map.copyOf(inventory);
    }
}
