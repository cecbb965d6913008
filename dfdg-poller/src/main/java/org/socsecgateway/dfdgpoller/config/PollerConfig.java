package org.socsecgateway.dfdgpoller.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * dfdg-poller's settings ({@code poller.*}); the two DFDG headers are {@code dfdg.caller.*} (dfdg-soap's
 * {@code DfdgCallerConfig}), the SOAP clients and TLS are {@code quarkus.cxf.client.*} and {@code quarkus.tls.dfdg.*}.
 * Names of WSRM elements that DFDG has not published (docs/partners.md "WSRM") are settings here, so the real WSDL can
 * replace ours without a code change.
 */
@ConfigMapping(prefix = "poller")
public interface PollerConfig {

    /** An XML name in James Clark notation: {@code {namespace}local}. */
    String QNAME = "\\{[^{}\\s]+\\}[A-Za-z_][A-Za-z0-9_.-]*";
    /** A local element or attribute name. */
    String LOCAL_NAME = "[A-Za-z_][A-Za-z0-9_.-]*";

    Schedule schedule();

    Dfdg dfdg();

    Wsrm wsrm();

    Ingest ingest();

    interface Schedule {
        /**
         * Time between drains; the DFDG guide asks for every 10 minutes or more often (§2.3.1, docs/partners.md), so
         * at most 10m is accepted.
         */
        @WithDefault("5m")
        Duration every();

        /** Delay of the first drain after start. */
        @WithDefault("10s")
        Duration initialDelay();

        /** The drain health check turns DOWN when no drain succeeded for this many intervals. */
        @WithDefault("3")
        @Min(2)
        int unhealthyAfterIntervals();

    }

    interface Dfdg {
        /** DFDG's WsrmService, e.g. {@code https://service.bm.dk/PjakTassWCFtService/1/WsrmService.svc}. */
        URI wsrmServiceUrl();

        /**
         * Hosts the inventory's {@code ServiceEndpoint} may point at (a DFDG host, compared ignoring case). Default: the
         * host of {@code wsrm-service-url}. Any other endpoint is never called: the sequence is closed.
         */
        Optional<List<String>> allowedHosts();
    }

    interface Wsrm {
        /** {@code CreateSequence/SubQueueIdentifier}, when the organisation uses sub-queues. */
        Optional<Integer> subQueue();

        /**
         * Whether to send {@code SequenceAcknowledgement} before {@code TerminateSequence}: {@code auto} when the
         * answers ask for it ({@code AckRequested}) and the WSDL has the operation (the DFDG guide's version; later
         * DFDG versions dropped it), {@code always}, or {@code never}.
         */
        @WithDefault("auto")
        AckMode acknowledge();

        /** Most messages ingested per {@code POST /v1/ingest} (wsb-receiver's {@code wsb.ingest.max-batch}). */
        @WithDefault("500")
        @Min(1)
        @Max(5000)
        int ingestBatch();

        Headers headers();

        Answers answers();

        Items items();
    }

    /** Acknowledgement mode. */
    enum AckMode {
        AUTO, ALWAYS, NEVER
    }

    /** The WSRM SOAP headers [guess]: by analogy with the 2006 WS-RM draft. */
    interface Headers {
        /** Sent on every Get call, with the sequence identifier inside. */
        @WithDefault("{http://docs.oasis-open.org/ws-rx/wsrm/200602}SequenceRequest")
        @Pattern(regexp = QNAME)
        String sequenceRequest();

        /** The child of {@code SequenceRequest} that holds the sequence identifier. */
        @WithDefault("{http://docs.oasis-open.org/ws-rx/wsrm/200602}Identifier")
        @Pattern(regexp = QNAME)
        String sequenceIdentifier();

        /** Local name of the answer header carrying the message number. */
        @WithDefault("SequenceResponse")
        @Pattern(regexp = LOCAL_NAME)
        String sequenceResponse();

        /** Local name of the message number inside {@code SequenceResponse}. */
        @WithDefault("MessageNumber")
        @Pattern(regexp = LOCAL_NAME)
        String messageNumber();

        /** Local name of the answer header asking for an acknowledgement. */
        @WithDefault("AckRequested")
        @Pattern(regexp = LOCAL_NAME)
        String ackRequested();
    }

    /**
     * Local names in the Close/Terminate/Acknowledgement answers, as the DFDG guide names them (docs/partners.md
     * "WSRM"); their exact shape is not public.
     */
    interface Answers {
        @WithDefault("TerminateSequenceCorrect")
        @Pattern(regexp = LOCAL_NAME)
        String terminateCorrect();

        @WithDefault("MissingRange")
        @Pattern(regexp = LOCAL_NAME)
        String missingRange();

        @WithDefault("Lower")
        @Pattern(regexp = LOCAL_NAME)
        String rangeLower();

        @WithDefault("Upper")
        @Pattern(regexp = LOCAL_NAME)
        String rangeUpper();

        @WithDefault("AckCorrect")
        @Pattern(regexp = LOCAL_NAME)
        String ackCorrect();
    }

    /** How a fetched message is recognised (local names, any namespace). */
    interface Items {
        /** An element with a direct child of this name is one message; its text is the message's GUID. */
        @WithDefault("MessageIdentifier")
        @Pattern(regexp = LOCAL_NAME)
        String messageIdentifier();

        /** The message's event time (xsd:dateTime), the sort key (DFDG guide §2.3.1: oldest first). */
        @WithDefault("EventDate")
        @Pattern(regexp = LOCAL_NAME)
        String eventDate();

        /** Elements holding the citizen's CPR number, first match wins; becomes the event's subject. */
        @WithDefault("PersonCivilRegistrationIdentifier,CPRNumber,CprNummer,PersonCPRNumber")
        @NotEmpty
        List<@Pattern(regexp = LOCAL_NAME) String> cpr();
    }

    interface Ingest {
        /** wsb-receiver's internal API, e.g. {@code http://wsb-receiver:8083}. */
        URI url();

        /** The poller's own caller token for wsb-receiver (projected ServiceAccount token, audience wsb-receiver). */
        Path tokenFile();

        /** The authority the events are stored under in the feed (1-64 letters, digits or . _ : -). */
        @WithDefault("DFDG-WSRM")
        @Pattern(regexp = "[A-Za-z0-9._:-]{1,64}")
        String authority();

        /** Timeout of one ingest or receipt call. */
        @WithDefault("30s")
        Duration timeout();
    }
}
