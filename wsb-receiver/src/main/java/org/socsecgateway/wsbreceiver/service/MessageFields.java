package org.socsecgateway.wsbreceiver.service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What the receiver understood of a message; every field may be null, the raw JSON is always kept beside it. Values
 * are exact (the duplicate check hashes them); {@link #storable()} is what goes into the database's columns.
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

    /**
     * These fields as the database can hold them exactly: a text that PostgreSQL's {@code text} cannot store as it is
     * (U+0000, or an unpaired surrogate that would become {@code ?}) is left out. The raw JSON still has it.
     */
    public MessageFields storable() {
        return unstorable().isEmpty() ? this : new MessageFields(storable(messageId), storable(type), storable(typeName),
                storable(externalId), storable(version), changeType, subjectType, storable(subject), eventTime);
    }

    /** The names of the fields that {@link #storable()} leaves out (never their values). */
    public List<String> unstorable() {
        List<String> names = new ArrayList<>(0);
        addIfUnstorable(names, "messageId", messageId);
        addIfUnstorable(names, "type", type);
        addIfUnstorable(names, "typeName", typeName);
        addIfUnstorable(names, "externalId", externalId);
        addIfUnstorable(names, "version", version);
        addIfUnstorable(names, "subject", subject);
        return names;
    }

    private static void addIfUnstorable(List<String> names, String name, String value) {
        if (storable(value) == null && value != null) {
            names.add(name);
        }
    }

    /** {@code text} if a PostgreSQL {@code text} column stores it exactly, else null. */
    public static String storable(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return null;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a pair: one code point
            } else if (Character.isSurrogate(c)) {
                return null;
            }
        }
        return text;
    }

    @Override
    public String toString() {
        // never the subject
        return "MessageFields[type=" + type + ", messageId=" + messageId + ", externalId=" + externalId + ", version="
                + version + ", changeType=" + changeType + "]";
    }
}
