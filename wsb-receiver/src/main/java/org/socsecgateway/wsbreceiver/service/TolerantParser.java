package org.socsecgateway.wsbreceiver.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;
import org.socsecgateway.wsbreceiver.config.ReceiverConfig;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.Startup;

/**
 * Reads a WSB notice without knowing STAR's exact property names (they are not public, docs/partners.md): each field is
 * looked for at configured JSON Pointers ({@code wsb.fields.*}), in any case, unknown properties ignored.
 * <p>
 * What is accepted is strict JSON (RFC 8259) in strict UTF-8, so the text kept as {@code raw} is always valid JSON
 * that a reader's parser can take back: invalid UTF-8 (also overlong forms and encoded surrogates), trailing content,
 * comments, duplicate property names and nesting deeper than {@value #MAX_DEPTH} are refused with 400. One leading
 * UTF-8 byte order mark is dropped (RFC 8259, section 8.1 allows ignoring it); it is an encoding mark, not content.
 */
@ApplicationScoped
@Startup // a wrong wsb.fields pointer stops the start, not the first delivery
public class TolerantParser {

    /** Deepest nesting of a message; an ingest batch adds its own three levels around it. */
    public static final int MAX_DEPTH = 64;
    private static final int BATCH_LEVELS = 3;

    /** Longest identifier or name kept; longer values count as not found. */
    private static final int MAX_VALUE_LENGTH = 200;

    /** Danish local time: STAR's timestamps without an offset. */
    private static final ZoneId DANISH_TIME = ZoneId.of("Europe/Copenhagen");

    /** Subjects found under one of these names are CPR numbers (identification type 1) unless a type says otherwise. */
    private static final Set<String> CPR_NAMES = Set.of("cpr", "cprnummer", "cprnumber");

    private final ObjectMapper messageMapper;
    private final ObjectMapper batchMapper;
    private final ReceiverConfig.Fields config;
    private final List<Pointer> messageId;
    private final List<Pointer> type;
    private final List<Pointer> typeName;
    private final List<Pointer> externalId;
    private final List<Pointer> version;
    private final List<Pointer> changeType;
    private final List<Pointer> eventTime;
    private final List<Pointer> subject;
    private final List<Pointer> subjectType;

    @Inject
    TolerantParser(ReceiverConfig config) {
        this(config.fields());
    }

    /** A parser looking for the fields where {@code fields} says. */
    public TolerantParser(ReceiverConfig.Fields fields) {
        this.config = fields;
        this.messageMapper = strictMapper(MAX_DEPTH);
        this.batchMapper = strictMapper(MAX_DEPTH + BATCH_LEVELS);
        this.messageId = pointers(fields.messageId());
        this.type = pointers(fields.type());
        this.typeName = pointers(fields.typeName());
        this.externalId = pointers(fields.externalId());
        this.version = pointers(fields.version());
        this.changeType = pointers(fields.changeType());
        this.eventTime = pointers(fields.eventTime());
        this.subject = pointers(fields.subject());
        this.subjectType = pointers(fields.subjectType());
    }

    /** The configuration this parser uses. */
    public ReceiverConfig.Fields config() {
        return config;
    }

    private static ObjectMapper strictMapper(int maxDepth) {
        // A fresh mapper, not the application's: none of Jackson's lenient read features, whatever is configured there.
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // numbers as written (1.0 and 1.00 differ, 1e400 is not Infinity): they may be identifiers
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /**
     * A message as accepted.
     *
     * @param raw  the JSON text exactly as received (without a leading byte order mark): what is stored and handed out
     * @param json the same, parsed
     */
    public record JsonMessage(String raw, ObjectNode json) {
    }

    /**
     * An ingest batch.
     *
     * @param root     the whole body, parsed
     * @param messages the text of each {@code events[i].message}, exactly as written in the body, by index
     */
    public record Batch(JsonNode root, Map<Integer, String> messages) {
    }

    /** The message as a JSON object; 400 when it is not UTF-8, not JSON or not an object. */
    public JsonMessage parse(byte[] body) {
        String text = utf8(body, "message");
        try {
            JsonNode node = messageMapper.readTree(text);
            if (node instanceof ObjectNode object) {
                return new JsonMessage(text, object);
            }
            throw new ProblemException(ProblemType.BAD_REQUEST, "The message must be a JSON object");
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "The message is not valid JSON" + where(e));
        }
    }

    /**
     * An ingest body, parsed, with each event's message as the exact text the caller wrote (so it is stored as sent,
     * not as Jackson would write it again); 400 when it is not UTF-8 or not JSON.
     */
    public Batch parseBatch(byte[] body) {
        String text = utf8(body, "request body");
        try {
            JsonNode root = batchMapper.readTree(text);
            return new Batch(root, messageTexts(text));
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "The request body is not valid JSON" + where(e));
        } catch (IOException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "The request body could not be read");
        }
    }

    /** Turns a parsed batch (see {@link #parseBatch}) into a value of {@code type}; 400 when its shape differs. */
    public <T> T convert(JsonNode root, Class<T> type) {
        try {
            return batchMapper.treeToValue(root, type);
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "The request body is not valid JSON for this operation");
        }
    }

    private Map<Integer, String> messageTexts(String text) throws IOException {
        Map<Integer, String> messages = new HashMap<>();
        try (JsonParser parser = batchMapper.getFactory().createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return messages;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() == JsonToken.START_ARRAY && "events".equals(name)) {
                    int index = 0;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        if (parser.currentToken() == JsonToken.START_OBJECT) {
                            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                                String field = parser.currentName();
                                parser.nextToken();
                                int start = (int) parser.currentTokenLocation().getCharOffset();
                                parser.skipChildren();
                                if ("message".equals(field)) {
                                    messages.put(index, text.substring(start, (int) parser.currentLocation().getCharOffset()));
                                }
                            }
                        } else {
                            parser.skipChildren();
                        }
                        index++;
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        return messages;
    }

    /**
     * The body as text: strict UTF-8 (RFC 8259, section 8.1; RFC 3629 forbids overlong forms and encoded
     * surrogates), one leading byte order mark dropped. Never replaces a byte: a body that is not UTF-8 is refused.
     */
    static String utf8(byte[] body, String what) {
        int start = body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body, start, body.length - start);
        CharBuffer out = CharBuffer.allocate(body.length - start);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new ProblemException(ProblemType.BAD_REQUEST,
                    "The " + what + " is not valid UTF-8 (byte " + (in.position() + 1) + ")");
        }
        return out.flip().toString();
    }

    /**
     * What can be understood of the message; never fails on unknown or missing properties. Identifiers (message id,
     * external id, version, subject) are kept exactly as sent; a value that is not a non-empty scalar of at most 200
     * characters counts as not found, and the next pointer is tried.
     */
    public MessageFields fields(ObjectNode message) {
        Lookup lookup = new Lookup(message);
        Found subjectFound = lookup.first(subject, false);
        Integer subjectTypeValue = number(lookup.first(subjectType, true));
        if (subjectFound != null && subjectTypeValue == null && CPR_NAMES.contains(subjectFound.pointer().last())) {
            subjectTypeValue = 1;
        }
        return new MessageFields(
                value(lookup.first(messageId, false)),
                value(lookup.first(type, true)),
                value(lookup.first(typeName, true)),
                value(lookup.first(externalId, false)),
                value(lookup.first(version, false)),
                number(lookup.first(changeType, true)),
                subjectTypeValue,
                value(subjectFound),
                time(value(lookup.first(eventTime, true))));
    }

    private static String value(Found found) {
        return found == null ? null : found.value();
    }

    private static Integer number(Found found) {
        if (found == null) {
            return null;
        }
        try {
            return Integer.valueOf(found.value());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A configured pointer: its text, and its segments as compared (lower case, without {@code _} and {@code -}). */
    private record Pointer(String text, List<String> segments) {
        String last() {
            return segments.get(segments.size() - 1);
        }
    }

    private record Found(Pointer pointer, String value) {
    }

    private static List<Pointer> pointers(List<String> texts) {
        List<Pointer> pointers = new ArrayList<>(texts.size());
        for (String text : texts) {
            if (!text.matches(ReceiverConfig.Fields.POINTER)) {
                // also checked by the configuration's validation; here so that no pointer is ever half-read
                throw new IllegalArgumentException("wsb.fields: not a JSON Pointer to a property (e.g. /MeddelelseId): " + text);
            }
            List<String> segments = new ArrayList<>();
            for (String segment : text.substring(1).split("/", -1)) {
                // RFC 6901, section 4: ~1 before ~0
                segments.add(normalised(segment.replace("~1", "/").replace("~0", "~")));
            }
            pointers.add(new Pointer(text, List.copyOf(segments)));
        }
        return List.copyOf(pointers);
    }

    private static String normalised(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** Resolves pointers in one message, normalising each object's property names once. */
    private static final class Lookup {
        private final ObjectNode root;
        private final Map<ObjectNode, Map<String, JsonNode>> names = new IdentityHashMap<>();

        Lookup(ObjectNode root) {
            this.root = root;
        }

        Found first(List<Pointer> pointers, boolean trim) {
            for (Pointer pointer : pointers) {
                JsonNode node = resolve(pointer);
                if (node == null || !node.isValueNode() || node.isNull()) {
                    continue;
                }
                String text = trim ? node.asText().trim() : node.asText();
                if (!text.isBlank() && text.length() <= MAX_VALUE_LENGTH) {
                    return new Found(pointer, text);
                }
            }
            return null;
        }

        private JsonNode resolve(Pointer pointer) {
            JsonNode node = root;
            for (String segment : pointer.segments()) {
                if (node instanceof ObjectNode object) {
                    node = names.computeIfAbsent(object, Lookup::normalisedNames).get(segment);
                } else if (node instanceof ArrayNode array && segment.matches("0|[1-9]\\d{0,8}")) {
                    node = array.get(Integer.parseInt(segment));
                } else {
                    return null;
                }
                if (node == null) {
                    return null;
                }
            }
            return node;
        }

        private static Map<String, JsonNode> normalisedNames(ObjectNode object) {
            Map<String, JsonNode> fields = new HashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = object.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.putIfAbsent(normalised(field.getKey()), field.getValue()); // the first of equal names wins
            }
            return fields;
        }
    }

    /**
     * ISO-8601 with or without an offset (then Danish time), or epoch seconds/milliseconds; null when unreadable or
     * outside the years 1-9999 (PostgreSQL's timestamptz cannot hold every year ISO-8601 can write).
     */
    static OffsetDateTime time(String text) {
        OffsetDateTime time = parseTime(text);
        if (time == null) {
            return null;
        }
        // The year counts in UTC, as stored and handed out: 9999-12-31T23:59:59-14:00 is in the year 10000.
        int utcYear = time.withOffsetSameInstant(ZoneOffset.UTC).getYear();
        return utcYear < 1 || utcYear > 9999 ? null : time;
    }

    private static OffsetDateTime parseTime(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException ignored) {
            // try the other forms
        }
        try {
            return LocalDateTime.parse(text).atZone(DANISH_TIME).toOffsetDateTime();
        } catch (DateTimeParseException ignored) {
            // try the other forms
        }
        if (text.matches("\\d{10,13}")) {
            long value = Long.parseLong(text);
            Instant instant = text.length() == 13 ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
            return instant.atOffset(ZoneOffset.UTC);
        }
        return null;
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
