package org.socsecgateway.wsbreceiver.service;

import java.time.OffsetDateTime;

/**
 * What the receiver understood of a message; every field may be null, the raw JSON is always kept beside it.
 *
 * @param messageId  the notice's own id, when it carries one (a re-delivery carries the same)
 * @param type       message type (EntitetId), as text
 * @param typeName   its name (EntitetNavn)
 * @param externalId the changed object's GUID (EksternIdentifier); all zeros means none
 * @param version    the object's version identifier
 * @param changeType 1 create, 2 update, 3 delete
 * @param subjectType identification type of the subject (1 = CPR number)
 * @param subject    the subject's identification: personal data, never logged
 * @param eventTime  when the change happened
 */
public record MessageFields(String messageId, String type, String typeName, String externalId, String version,
                            Integer changeType, Integer subjectType, String subject, OffsetDateTime eventTime) {

    /** {@code type} if it is safe as a metric label (a short number), else "other". */
    public String typeLabel() {
        return type != null && type.matches("\\d{1,9}") ? type : type == null ? "none" : "other";
    }

    @Override
    public String toString() {
        // never the subject
        return "MessageFields[type=" + type + ", messageId=" + messageId + ", externalId=" + externalId + ", version="
                + version + ", changeType=" + changeType + "]";
    }
}
