package org.socsecgateway.wsbreceiver.service;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One message on its way into the inbox.
 *
 * @param channel   how it arrived
 * @param authority the authority it is for (from the webhook path, or named by the poller)
 * @param fields    what was understood of it
 * @param raw       the JSON exactly as received (valid JSON: it is handed out as it is)
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
     * Hashed (SHA-256), so the duplicate check never stores personal data.
     * <p>
     * The values are hashed exactly, code unit for code unit: well-formed text as UTF-8 (so keys stay the same as
     * those already stored), an unpaired surrogate as its own three bytes (WTF-8), never as a replacement character,
     * so {@code "x\\ud800"}, {@code "x\\udbff"} and {@code "x?"} (JSON) are three different messages.
     */
    public byte[] dedupKey() {
        String identity;
        if (fields.messageId() != null) {
            identity = "id\u0000" + fields.messageId();
        } else if (fields.externalId() != null && !NO_EXTERNAL_ID.equals(fields.externalId()) && fields.version() != null) {
            String[] parts = {fields.type(), fields.externalId(), fields.version()};
            if (Arrays.stream(parts).anyMatch(part -> part != null && part.indexOf(0) >= 0)) {
                // U+0000 would be ambiguous with the separator: length-prefixed parts (such values were never stored before)
                StringBuilder prefixed = new StringBuilder("object/length-prefixed");
                for (String part : parts) {
                    prefixed.append('\u0000').append(part == null ? -1 : part.length()).append(':').append(part);
                }
                identity = prefixed.append('\u0000').append(fields.changeType()).toString();
            } else {
                identity = "object\u0000" + fields.type() + '\u0000' + fields.externalId() + '\u0000' + fields.version()
                        + '\u0000' + fields.changeType();
            }
        } else {
            identity = "raw\u0000" + raw;
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(authority.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            return sha256.digest(wtf8(identity));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * UTF-8, except that an unpaired surrogate is encoded like any other code point below U+10000 instead of being
     * replaced (WTF-8). Injective on Java strings; equal to UTF-8 for well-formed text.
     */
    static byte[] wtf8(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i); // an unpaired surrogate comes back as itself
            i += Character.charCount(c);
            if (c < 0x80) {
                out.write(c);
            } else if (c < 0x800) {
                out.write(0xC0 | c >> 6);
                out.write(0x80 | c & 0x3F);
            } else if (c < 0x10000) {
                out.write(0xE0 | c >> 12);
                out.write(0x80 | c >> 6 & 0x3F);
                out.write(0x80 | c & 0x3F);
            } else {
                out.write(0xF0 | c >> 18);
                out.write(0x80 | c >> 12 & 0x3F);
                out.write(0x80 | c >> 6 & 0x3F);
                out.write(0x80 | c & 0x3F);
            }
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "IncomingMessage[" + channel.label() + ", authority=" + authority + ", " + fields + "]"; // no raw, no subject
    }
}
