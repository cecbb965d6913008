package org.socsecgateway.simulators.wsrm;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * One message in the fake DFDG WSRM queue, as enqueued (test data, all synthetic).
 *
 * @param messageIdentifier its {@code MessageIdentifier} (a random GUID, unique)
 * @param service           the service that hands it out
 * @param subscriber        whose queue it is in ({@code <OrganisationTypeIdentifier>:<OrganisationCode>})
 * @param eventDate         its {@code EventDate}; NOT in queue order (as DFDG: the receiver must sort)
 * @param position          its place in the subscriber's queue (enqueue order, increasing)
 * @param cpr               the synthetic CPR number it concerns; null for services without one
 * @param reference         a second GUID (IndkaldelseIdentifier, CaseIdentifier)
 * @param code              a number (JobcenterCode, ContactGroupIdentifier, UnemploymentFundCode)
 * @param date              a date (ValidFromDate, CancellationDate, DeadlineDate, RegistrationDate, meeting day)
 */
public record QueuedMessage(String messageIdentifier, MessageService service, String subscriber,
                            OffsetDateTime eventDate, long position, String cpr, String reference, int code,
                            LocalDate date) {
}
