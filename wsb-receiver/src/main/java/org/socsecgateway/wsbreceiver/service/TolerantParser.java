package org.socsecgateway.wsbreceiver.service;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a WSB notice without knowing STAR's exact property names (they are not public, PARTNERS.md): any case, a
 * few spellings each, unknown properties ignored. Only malformed JSON or a non-object is refused.
 */
@ApplicationScoped
public class TolerantParser {

    /** Danish local time: STAR's timestamps without an offset. */
    private static final ZoneId DANISH_TIME = ZoneId.of("Europe/Copenhagen");

    private static final List<String> MESSAGE_ID = List.of("meddelelseid", "beskedid", "messageid", "notificationid", "id");
    private static final List<String> TYPE = List.of("entitetid", "entityid", "entitettype", "entitytype", "messagetype", "beskedtype");
    private static final List<String> TYPE_NAME = List.of("entitetnavn", "entityname", "messagetypename");
    private static final List<String> EXTERNAL_ID = List.of("eksternidentifier", "eksternid", "externalidentifier", "externalid");
    private static final List<String> VERSION = List.of("versionidentifikator", "versionidentifier", "versionid", "version");
    private static final List<String> CHANGE_TYPE = List.of("aendringtype", "ændringtype", "aendringstype", "ændringstype", "changetype");
    private static final List<String> TIMESTAMP = List.of("tidspunkt", "timestamp", "haendelsestidspunkt", "eventtime", "eventdate", "tid");
    private static final List<String> SUBJECT = List.of("subjekt", "subject", "person", "borger");
    private static final List<String> SUBJECT_TYPE = List.of("identifikationtype", "identificationtype", "idtype", "type");
    private static final List<String> SUBJECT_ID = List.of("identifikation", "identification", "identifikator", "identifier", "id", "cpr", "cprnummer");
    private static final List<String> FLAT_CPR = List.of("cpr", "cprnummer", "cprnumber");

    private final ObjectMapper mapper;

    TolerantParser(ObjectMapper mapper) {
        this.mapper = mapper.copy();
        this.mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
        this.mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** The message as a JSON object; 400 when it is not JSON or not an object. */
    public ObjectNode parse(byte[] json) {
        try {
            JsonNode node = mapper.readTree(json);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw new ProblemException(ProblemType.BAD_REQUEST, "The message must be a JSON object");
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "The message is not valid JSON" + where(e));
        } catch (IOException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "The message could not be read");
        }
    }

    /** What can be understood of the message; never fails on unknown or missing properties. */
    public MessageFields fields(ObjectNode message) {
        Map<String, JsonNode> top = lowerCased(message);
        Integer subjectType = null;
        String subject = null;
        JsonNode subjectNode = first(top, SUBJECT);
        if (subjectNode instanceof ObjectNode subjectObject) {
            Map<String, JsonNode> inner = lowerCased(subjectObject);
            subjectType = number(first(inner, SUBJECT_TYPE));
            subject = text(first(inner, SUBJECT_ID));
        } else if (subjectNode != null && subjectNode.isValueNode()) {
            subject = text(subjectNode);
        }
        if (subject == null) {
            subject = text(first(top, FLAT_CPR));
            subjectType = subject == null ? subjectType : Integer.valueOf(1);
        }
        return new MessageFields(
                text(first(top, MESSAGE_ID)),
                text(first(top, TYPE)),
                text(first(top, TYPE_NAME)),
                text(first(top, EXTERNAL_ID)),
                text(first(top, VERSION)),
                number(first(top, CHANGE_TYPE)),
                subjectType,
                subject,
                time(text(first(top, TIMESTAMP))));
    }

    private static Map<String, JsonNode> lowerCased(ObjectNode object) {
        Map<String, JsonNode> fields = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = object.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> field = it.next();
            fields.putIfAbsent(field.getKey().toLowerCase(Locale.ROOT).replace("_", "").replace("-", ""), field.getValue());
        }
        return fields;
    }

    private static JsonNode first(Map<String, JsonNode> fields, List<String> names) {
        for (String name : names) {
            JsonNode value = fields.get(name);
            if (value != null && !value.isNull()) {
                return value;
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        if (node == null || !node.isValueNode()) {
            return null;
        }
        String text = node.asText().trim();
        return text.isEmpty() || text.length() > 200 ? null : text;
    }

    private static Integer number(JsonNode node) {
        String text = text(node);
        if (text == null) {
            return null;
        }
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** ISO-8601 with or without an offset (then Danish time), or epoch milliseconds; null when unreadable. */
    static OffsetDateTime time(String text) {
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
