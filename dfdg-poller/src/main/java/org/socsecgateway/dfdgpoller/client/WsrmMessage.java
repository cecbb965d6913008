package org.socsecgateway.dfdgpoller.client;

import java.time.Instant;
import java.util.Optional;

/**
 * One message fetched from WsrmMessageService.
 *
 * @param service           the inventory's service name (the Get operation), e.g. {@code GetIndkaldelseVersion1}
 * @param messageIdentifier the message's GUID ({@code MessageIdentifier})
 * @param eventDate         {@code EventDate} as sent
 * @param eventInstant      {@code EventDate} as an instant (no offset = Danish local time); empty when unreadable
 * @param cpr               the citizen's CPR number when the message names one; never logged
 * @param xml               the message element exactly as fetched, with the namespace declarations it relies on
 * @param messageNumber     the WSRM message number of the answer that carried it
 */
public record WsrmMessage(String service, String messageIdentifier, String eventDate, Optional<Instant> eventInstant,
                          Optional<String> cpr, String xml, long messageNumber) {

    @Override
    public String toString() {
        // never the CPR number or the content
        return "WsrmMessage[service=" + service + ", messageIdentifier=" + messageIdentifier + ", eventDate=" + eventDate
                + ", messageNumber=" + messageNumber + "]";
    }
}
