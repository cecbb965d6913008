package org.socsecgateway.simulators.soap;

import java.time.Instant;
import java.util.Map;

/**
 * One request as a {@link SoapEndpoint} saw it, recorded when it was answered (or dropped).
 *
 * @param at                  arrival time
 * @param path                the request path
 * @param operation           the operation the SOAPAction named, null when it named none
 * @param soapAction          the raw {@code SOAPAction} header, quotes included; null when absent
 * @param activeOrganisation  the ActiveOrganisationHeader's leaf values by local name ({@code OrganisationCode} ...);
 *                            empty when absent or not reached
 * @param requestUserMetadata the RequestUserMetadataHeader's leaf values by slash-separated local-name path
 *                            ({@code RequestUserStructure/UserIdentifier}, {@code RegistrationDateTime} ...)
 * @param clientSubject       the client certificate's subject (RFC 2253, SERIALNUMBER named), null without one
 * @param status              the HTTP status answered, 0 when the connection was closed without an answer
 * @param errorCode           the FaultDetails ErrorCode answered, null when the answer was no FaultDetails fault
 */
public record SoapExchange(Instant at, String path, String operation, String soapAction,
                           Map<String, String> activeOrganisation, Map<String, String> requestUserMetadata,
                           String clientSubject, int status, Integer errorCode) {

    public SoapExchange {
        activeOrganisation = Map.copyOf(activeOrganisation);
        requestUserMetadata = Map.copyOf(requestUserMetadata);
    }
}
