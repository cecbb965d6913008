package org.socsecgateway.wsbreceiver.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything environment-specific about the receiver; the README has the table, the Helm chart sets it. */
@ConfigMapping(prefix = "wsb")
public interface ReceiverConfig {

    /** The webhook side STAR pushes to. */
    @Valid
    Webhook webhook();

    /** {@code POST /v1/ingest}: events that dfdg-poller fetched over WSRM. */
    @Valid
    Ingest ingest();

    /** {@code GET /v1/events}. */
    @Valid
    Feed feed();

    /** {@code /v1/wsrm/sequences}: the receipts of the WSRM sequences dfdg-poller drained. */
    @Valid
    Wsrm wsrm();

    /** Who may read which part of the feed. A caller not listed here may read nothing. */
    List<@Valid Reader> readers();

    @Valid
    Retention retention();

    /** How concurrent webhook and ingest requests share transactions (one commit, one WAL fsync for many messages). */
    @Valid
    GroupCommit groupCommit();

    /** Where each field is looked for in a message (STAR's property names are not public, docs/partners.md, "WSB (webhooks)"). */
    @Valid
    Fields fields();

    /** Retry-After sent with a 503 while the database cannot be reached. */
    @WithDefault("5s")
    Duration databaseRetryAfter();

    /** How often the queue-depth, lag and oldest-unread gauges are read from the database. */
    @WithDefault("15s")
    Duration metricsInterval();

    interface Webhook {
        /** The relative paths STAR posts to, one per subscription / authority. */
        List<@Valid Endpoint> endpoints();

        /**
         * SHA-256 fingerprints (hex; colons, spaces and case ignored) of the client certificates accepted as STAR.
         * Empty: any certificate the trust store accepts — allowed only when the trust store holds no CA certificate
         * (STAR's own certificate), or with {@link #allowUnpinned()}; otherwise the receiver refuses to start.
         */
        Optional<Set<@Pattern(regexp = "(?i)[0-9a-f: ]{64,95}", message = "must be a SHA-256 fingerprint in hex") String>> pinnedSha256();

        /**
         * Without pinned fingerprints, accept every client certificate the trust store accepts even though it holds a
         * CA certificate: only for a private CA that issues certificates to STAR alone. Default false: a CA in the
         * trust store without a pin stops the start, since every certificate that CA issues could deliver.
         */
        @WithDefault("false")
        boolean allowUnpinned();

        /** Largest single WSB message accepted; larger ones get 413. */
        @WithDefault("256K")
        MemorySize maxMessageSize();
    }

    interface Endpoint {
        /** Path under the receiver's base URL, e.g. {@code /wsb/akasse-58}. */
        @Pattern(regexp = "(/[A-Za-z0-9._~-]+)+", message = "must be an absolute path of plain segments, e.g. /wsb/akasse-58")
        String path();

        /** The authority (orgType:orgCode, or any name you choose) that messages on this path are for. */
        @NotBlank
        @Pattern(regexp = "[A-Za-z0-9._:-]{1,64}", message = "must be 1-64 letters, digits or . _ : -")
        String authority();
    }

    interface Ingest {
        /** Subjects (system:serviceaccount:ns:name) allowed to POST batches; normally only dfdg-poller. */
        Optional<Set<String>> callers();

        @WithDefault("500")
        @Min(1)
        @Max(10_000)
        int maxBatch();
    }

    interface GroupCommit {
        /**
         * Threads that store messages; each takes everything that queued while it was busy and commits it as one
         * transaction, holding one database connection meanwhile. Transactions that store new events take their feed
         * numbers one after the other anyway (the lock on feed_state), so more than 1 only lets the next transaction
         * begin with its receipts while the previous one commits.
         */
        @WithDefault("1")
        @Min(1)
        @Max(16)
        int committers();

        /**
         * Most messages per transaction (an ingest batch larger than this still commits alone, whole). Bounds the
         * transaction's time and locks; concurrent requests beyond it wait for the next transaction.
         */
        @WithDefault("256")
        @Min(1)
        @Max(10_000)
        int maxMessages();
    }

    interface Wsrm {
        /**
         * Subjects (operators, audit tools) that may read the sequence receipts ({@code GET /v1/wsrm/sequences}) besides
         * {@code wsb.ingest.callers}; they may not record one.
         */
        Optional<Set<@NotBlank String>> receiptReaders();
    }

    interface Feed {
        @WithDefault("100")
        @Min(1)
        int defaultLimit();

        @WithDefault("1000")
        @Min(1)
        @Max(10_000)
        int maxLimit();

        /** Longest long-poll a caller may ask for with {@code wait}. */
        @WithDefault("60s")
        Duration maxWait();

        /** While a long-poll waits, how often it looks again for events another replica published. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Publisher: how many committed events get feed numbers per transaction. */
        @WithDefault("1000")
        @Min(1)
        int publishBatch();

        /** Publisher: how often it looks for committed events stored without a feed number (by an older version). */
        @WithDefault("1s")
        Duration publishInterval();
    }

    interface Reader {
        @NotBlank
        String subject();

        /** Message types (EntitetId) this caller may read; absent = all. */
        Optional<Set<String>> types();

        /** Authorities this caller may read; absent = all. */
        Optional<Set<String>> authorities();
    }

    interface Retention {
        /** Events are deleted this long after they were received. */
        @WithDefault("30d")
        Duration events();

        /**
         * Receipt audit records (no content) are deleted this long after the first receipt: 6 months (docs/partners.md).
         * The same for WSRM sequence receipts, counted from when they were first recorded.
         */
        @WithDefault("183d")
        Duration receipts();

        /** How often the purge runs. */
        @WithDefault("1h")
        Duration purgeInterval();

        /** Rows deleted per transaction, so a purge never holds long locks. */
        @WithDefault("5000")
        @Min(1)
        int purgeBatch();
    }

    /**
     * JSON Pointers (RFC 6901) per field, tried in order; the first that leads to a non-empty scalar wins. A pointer's
     * segments match property names in any case and ignoring {@code _} and {@code -}. List entries are separated by
     * commas (a comma inside a pointer is written {@code \,}).
     */
    interface Fields {
        /** A valid JSON Pointer to a property: {@code /Name} or {@code /Outer/Inner}, with {@code ~0}/{@code ~1} escapes. */
        String POINTER = "(/([^/~]|~[01])+)+";
        String POINTER_MESSAGE = "must be a JSON Pointer such as /MeddelelseId or /Subjekt/Identifikation";

        /** The notice's own id, the first choice for the duplicate check. */
        @WithDefault("/MeddelelseId,/BeskedId,/MessageId,/MessageIdentifier,/MeddelelseIdentifikator,/NotificationId,/Id")
        List<@Pattern(regexp = POINTER, message = POINTER_MESSAGE) String> messageId();

        /** The message type (EntitetId). */
        @WithDefault("/EntitetId,/EntityId,/EntitetType,/EntityType,/MessageType,/BeskedType")
        List<@Pattern(regexp = POINTER, message = POINTER_MESSAGE) String> type();

        /** The message type's name (EntitetNavn). */
        @WithDefault("/EntitetNavn,/EntityName,/MessageTypeName")
        List<@Pattern(regexp = POINTER, message = POINTER_MESSAGE) String> typeName();

        /** The changed object's GUID (EksternIdentifier). */
        @WithDefault("/EksternIdentifier,/EksternId,/ExternalIdentifier,/ExternalId")
        List<@Pattern(regexp = POINTER, message = POINTER_MESSAGE) String> externalId();

        /** The changed object's version. */
        @WithDefault("/VersionIdentifikator,/VersionIdentifier,/VersionId,/Version")
        List<@Pattern(regexp = POINTER, message = POINTER_MESSAGE) String> version();

        /** 1 create, 2 update, 3 delete. */
        @WithDefault("/AendringType,/ÆndringType,/AendringsType,/ÆndringsType,/ChangeType")
        List<@Pattern(regexp = POINTER, message = POINTER_MESSAGE) String> changeType();

        /** When the change happened. */
        @WithDefault("/Tidspunkt,/Timestamp,/HaendelsesTidspunkt,/EventTime,/EventDate,/Tid")
        List<@Pattern(regexp = POINTER, message = POINTER_MESSAGE) String> eventTime();

        /** The subject's identification (a CPR number when the type is 1). */
        @WithDefault("/Subjekt/Identifikation,/Subjekt/Identification,/Subjekt/Identifikator,/Subjekt/Identifier,/Subjekt/Id,/Subjekt/Cpr,/Subjekt/CprNummer,/Subject/Identifikation,/Subject/Identification,/Subject/Identifikator,/Subject/Identifier,/Subject/Id,/Subject/Cpr,/Subject/CprNummer,/Person/Identifikation,/Person/Identification,/Person/Identifikator,/Person/Identifier,/Person/Id,/Person/Cpr,/Person/CprNummer,/Borger/Identifikation,/Borger/Identification,/Borger/Identifikator,/Borger/Identifier,/Borger/Id,/Borger/Cpr,/Borger/CprNummer,/Subjekt,/Subject,/Person,/Borger,/Identifikation,/Identification,/Cpr,/CprNummer,/CprNumber")
        List<@Pattern(regexp = POINTER, message = POINTER_MESSAGE) String> subject();

        /** The subject's identification type (1 = CPR number). */
        @WithDefault("/Subjekt/IdentifikationType,/Subjekt/IdentifikationsType,/Subjekt/IdentificationType,/Subjekt/IdType,/Subjekt/Type,/Subject/IdentifikationType,/Subject/IdentifikationsType,/Subject/IdentificationType,/Subject/IdType,/Subject/Type,/Person/IdentifikationType,/Person/IdentifikationsType,/Person/IdentificationType,/Person/IdType,/Person/Type,/Borger/IdentifikationType,/Borger/IdentifikationsType,/Borger/IdentificationType,/Borger/IdType,/Borger/Type,/IdentifikationstypeId,/IdentifikationType,/IdentifikationsType,/IdentificationType,/IdentificationTypeId")
        List<@Pattern(regexp = POINTER, message = POINTER_MESSAGE) String> subjectType();
    }
}
