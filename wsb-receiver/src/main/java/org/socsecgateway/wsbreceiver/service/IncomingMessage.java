package org.socsecgateway.wsbreceiver.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * One message on its way into the inbox.
 *
 * @param channel   how it arrived
 * @param authority the authority it is for (from the webhook path, or named by the poller)
 * @param fields    what was understood of it
 * @param raw       the JSON exactly as received
 * @param sender    who handed it over: STAR's certificate fingerprint, or the ingest caller
 */
public record IncomingMessage(Channel channel, String authority, MessageFields fields, String raw, String sender) {

    private static final String NO_EXTERNAL_ID = "00000000-0000-0000-0000-000000000000";

    public IncomingMessage {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(raw, "raw");
    }

    /**
     * What makes two deliveries "the same message", per authority: the notice's own id when it has one; else the
     * changed object's identity and version (type, external id, version, change type); else the exact JSON.
     * Hashed, so the duplicate check never stores personal data.
     */
    public byte[] dedupKey() {
        String identity;
        if (fields.messageId() != null) {
            identity = "id\u0000" + fields.messageId();
        } else if (fields.externalId() != null && !NO_EXTERNAL_ID.equals(fields.externalId()) && fields.version() != null) {
            identity = "object\u0000" + fields.type() + '\u0000' + fields.externalId() + '\u0000' + fields.version()
                    + '\u0000' + fields.changeType();
        } else {
            identity = "raw\u0000" + raw;
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(authority.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            return sha256.digest(identity.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "IncomingMessage[" + channel.label() + ", authority=" + authority + ", " + fields + "]"; // no raw, no subject
    }
}
