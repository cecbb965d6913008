package org.socsecgateway.simulators.wsrm;

import io.vertx.core.http.HttpServerOptions;
import org.socsecgateway.dfdg.contract.wsrm.WsrmService;
import org.socsecgateway.dfdg.contract.wsrmmessage.WsrmMessageService;
import org.socsecgateway.simulators.internal.LocalHttpServer;
import org.socsecgateway.simulators.internal.ServerOptions;
import org.socsecgateway.simulators.soap.DfdgServerBuilder;
import org.socsecgateway.simulators.soap.SoapEndpoint;
import org.socsecgateway.simulators.soap.SoapFaults;
import org.socsecgateway.simulators.soap.SoapRouter;
import org.socsecgateway.simulators.soap.SoapStats;

import javax.xml.namespace.QName;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A fake of DFDG's WSRM pull queue (DFDG guide §2.3.1–2.3.2; docs/partners.md "WSRM (the pull queue)"): WsrmService
 * ({@code CreateSequence}, {@code SequenceAcknowledgement}, {@code TerminateSequence}, {@code CloseSequence}) and
 * WsrmMessageService (the {@code Get<Thing>Version<N>} operations of {@link MessageService}) over SOAP 1.1 and
 * mutual TLS, served by {@link SoapEndpoint} (its wire rules apply) from our WSDLs' generated SEIs.
 * <p>
 * The protocol, per subscriber (ActiveOrganisationHeader {@code OrganisationTypeIdentifier:OrganisationCode}):
 * CreateSequence takes up to {@link Builder#maxInventory} queued messages into a new sequence and announces them
 * per service ({@code ServiceItem{ServiceName, ServiceEndpoint, MessageCount}}); an empty inventory leaves no
 * sequence open. Only one sequence per subscriber may be open ({@value #SEQUENCE_ALREADY_OPEN} otherwise). Each Get
 * call names the sequence in the {@code SequenceRequest} header (missing: {@value #SEQUENCE_HEADER_MISSING};
 * unknown: {@value #UNKNOWN_SEQUENCE}) and answers the next at most {@link Builder#maxPerGet} unfetched messages of
 * that service, in queue order (EventDates unsorted), with {@code SequenceResponse{Identifier, MessageNumber}}
 * (1, 2, 3 ... per answer in the sequence) and, with acknowledgements, {@code AckRequested{Identifier}}.
 * TerminateSequence deletes the messages only when every one was fetched and every message number acknowledged;
 * otherwise it answers {@code TerminateSequenceCorrect false} with the unacknowledged {@code MissingRange}s and the
 * sequence stays open. CloseSequence, or {@link Builder#sequenceExpiry} without a call, puts them back.
 */
public final class DfdgWsrmSimulator implements AutoCloseable {

    /** FaultDetails ErrorCode [guess]: CreateSequence while this subscriber's sequence is still open. */
    public static final int SEQUENCE_ALREADY_OPEN = 9001;
    /** FaultDetails ErrorCode [guess]: the Identifier names no open sequence of this subscriber. */
    public static final int UNKNOWN_SEQUENCE = 9002;
    /** FaultDetails ErrorCode [guess]: a Get call without the SequenceRequest header. */
    public static final int SEQUENCE_HEADER_MISSING = 9003;
    /** The path segment of DFDG's production URLs. */
    public static final String SERVICE_ROOT = "PjakTassWCFtService";
    /** At most this many messages per Get answer (DFDG guide §2.3.1: "højest 500 objekter ad gangen"). */
    public static final int MAX_PER_GET = 500;

    private static final String WSRM_PATH = "/1/WsrmService.svc";
    private static final String MESSAGE_PATH = "/1/WsrmMessageService.svc";

    private final String host;
    private final String inventoryEndpointCase;
    private final String inventoryEndpoint;
    private final WsrmQueue queue;
    private final SoapFaults faults = new SoapFaults();
    private final SoapStats stats = new SoapStats();
    private final SoapEndpoint wsrmEndpoint;
    private final SoapEndpoint messageEndpoint;
    private final LocalHttpServer server;
    private final WsrmNames names;
    private final boolean acknowledgements;
    private volatile String endpointOverride;
    private volatile Map.Entry<String, Integer> unannouncedService;

    private DfdgWsrmSimulator(Builder builder, HttpServerOptions options) {
        this.host = builder.host();
        this.inventoryEndpointCase = builder.inventoryEndpointCase;
        this.inventoryEndpoint = builder.inventoryEndpoint;
        this.names = builder.names;
        this.acknowledgements = builder.acknowledgements;
        this.queue = new WsrmQueue(builder.clock(), builder.sequenceExpiry, builder.maxInventory, builder.maxPerGet,
                builder.acknowledgements);
        boolean mutualTls = builder.mutualTls();
        this.wsrmEndpoint = SoapEndpoint.builder(WsrmService.class,
                        (WsrmService) new WsrmServiceImpl(queue, names, this::inventoryServiceEndpoint,
                                () -> unannouncedService))
                .bodySchemas("wsdl/Wsrm.xsd")
                .faults(faults).stats(stats).clock(builder.clock())
                .requireFunctionCertificate(mutualTls)
                // later DFDG versions dropped SequenceAcknowledgement: then it is not in the contract
                .supportedOperations(op -> acknowledgements || !op.equals("SequenceAcknowledgement"))
                .build();
        this.messageEndpoint = SoapEndpoint.builder(WsrmMessageService.class,
                        (WsrmMessageService) new WsrmMessageServiceImpl(queue, names, builder.acknowledgements))
                .bodySchemas("wsdl/WsrmMessage.xsd")
                .faults(faults).stats(stats).clock(builder.clock())
                .requireFunctionCertificate(mutualTls)
                .build();
        this.server = new LocalHttpServer("DFDG WSRM simulator", options, vertx -> SoapRouter.create(vertx,
                "DFDG WSRM simulator", Map.of("/" + SERVICE_ROOT + WSRM_PATH, wsrmEndpoint,
                        "/" + SERVICE_ROOT + MESSAGE_PATH, messageEndpoint)));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts listening; blocks until the port is bound. */
    public DfdgWsrmSimulator start() {
        server.start();
        return this;
    }

    public int port() {
        return server.port();
    }

    /** {@code https://{host}:{port}/PjakTassWCFtService/1/WsrmService.svc} */
    public String wsrmServiceUrl() {
        return ServerOptions.httpsOrigin(host, port()) + "/" + SERVICE_ROOT + WSRM_PATH;
    }

    /** {@code https://{host}:{port}/PjakTassWCFtService/1/WsrmMessageService.svc} */
    public String messageServiceUrl() {
        return ServerOptions.httpsOrigin(host, port()) + "/" + SERVICE_ROOT + MESSAGE_PATH;
    }

    /** The {@code ServiceEndpoint} CreateSequence writes into the inventory. */
    public String inventoryServiceEndpoint() {
        String override = endpointOverride;
        if (override != null) {
            return override;
        }
        if (inventoryEndpoint != null) {
            return inventoryEndpoint;
        }
        return ServerOptions.httpsOrigin(host, port()) + "/" + inventoryEndpointCase + MESSAGE_PATH;
    }

    /**
     * From now on, the inventory's {@code ServiceEndpoint} is {@code url} (null: back to the built one), e.g. a host
     * the poller must not call, or another server whose certificate it must not trust.
     */
    public void overrideInventoryEndpoint(String url) {
        this.endpointOverride = url;
    }

    /**
     * From now on, every non-empty inventory also names {@code serviceName} with {@code count} messages, an operation
     * the WSDL does not have (DFDG added a service); null stops it. Its Get calls answer ActionNotSupported.
     */
    public void announceUnknownService(String serviceName, int count) {
        this.unannouncedService = serviceName == null ? null : Map.entry(serviceName, count);
    }

    /** The queues, sequences and deletions; test data goes in here. */
    public WsrmQueue queue() {
        return queue;
    }

    /** Faults injected into both services (by operation name). */
    public SoapFaults faults() {
        return faults;
    }

    /** Calls and recorded requests of both services. */
    public SoapStats stats() {
        return stats;
    }

    /** The header and answer element names in use. */
    public WsrmNames names() {
        return names;
    }

    /** Whether SequenceAcknowledgement exists and acknowledgements are required. */
    public boolean acknowledgements() {
        return acknowledgements;
    }

    /** {@code @WebMethod(action)} of an operation of either service, e.g. for raw SOAP calls. */
    public String soapAction(String operation) {
        return wsrmEndpoint.action(operation).or(() -> messageEndpoint.action(operation))
                .orElseThrow(() -> new IllegalArgumentException("no operation " + operation));
    }

    @Override
    public void close() {
        server.close();
    }

    /** Settings of a {@link DfdgWsrmSimulator}; {@link #tls} is required. */
    public static final class Builder extends DfdgServerBuilder<Builder> {

        private int maxInventory = 10_000;
        private int maxPerGet = MAX_PER_GET;
        private Duration sequenceExpiry = Duration.ofMinutes(10);
        private boolean acknowledgements = true;
        private String inventoryEndpointCase = SERVICE_ROOT;
        private String inventoryEndpoint;
        private WsrmNames names = WsrmNames.DEFAULT;

        private Builder() {
        }

        /** Most messages one CreateSequence takes into its inventory; default 10000. */
        public Builder maxInventory(int maxInventory) {
            if (maxInventory < 1) {
                throw new IllegalArgumentException("maxInventory must be positive");
            }
            this.maxInventory = maxInventory;
            return this;
        }

        /** Most messages per Get answer; default and at most {@value #MAX_PER_GET}. */
        public Builder maxPerGet(int maxPerGet) {
            if (maxPerGet < 1 || maxPerGet > MAX_PER_GET) {
                throw new IllegalArgumentException("maxPerGet must be 1.." + MAX_PER_GET);
            }
            this.maxPerGet = maxPerGet;
            return this;
        }

        /** A sequence without a call for this long is abandoned: its messages are queued again; default 10 min. */
        public Builder sequenceExpiry(Duration sequenceExpiry) {
            Objects.requireNonNull(sequenceExpiry, "sequenceExpiry");
            if (sequenceExpiry.isNegative() || sequenceExpiry.isZero()) {
                throw new IllegalArgumentException("sequenceExpiry must be positive");
            }
            this.sequenceExpiry = sequenceExpiry;
            return this;
        }

        /**
         * True (default, the DFDG guide's version): SequenceAcknowledgement exists, Get answers carry AckRequested and
         * TerminateSequence needs every message number acknowledged. False (later DFDG versions):
         * SequenceAcknowledgement answers ActionNotSupported, no AckRequested, Terminate needs only everything fetched.
         */
        public Builder acknowledgements(boolean acknowledgements) {
            this.acknowledgements = acknowledgements;
            return this;
        }

        /**
         * The service-root path segment of the inventory's {@code ServiceEndpoint}, e.g. {@code PjaktassWCFTservice}
         * (DFDG's environments differ in case); the simulator answers in any case. Default {@value #SERVICE_ROOT}.
         */
        public Builder inventoryEndpointCase(String serviceRoot) {
            Objects.requireNonNull(serviceRoot, "serviceRoot");
            if (!serviceRoot.equalsIgnoreCase(SERVICE_ROOT)) {
                throw new IllegalArgumentException("only the case may differ from " + SERVICE_ROOT);
            }
            this.inventoryEndpointCase = serviceRoot;
            return this;
        }

        /** Writes this URL as every inventory's {@code ServiceEndpoint} (e.g. another host, to test an allow-list). */
        public Builder inventoryEndpoint(String url) {
            this.inventoryEndpoint = Objects.requireNonNull(url, "url");
            return this;
        }

        /** The header QNames and the answer namespace; default {@link WsrmNames#DEFAULT}. */
        public Builder names(WsrmNames names) {
            this.names = Objects.requireNonNull(names, "names");
            return this;
        }

        /** Only the SequenceRequest header's name. */
        public Builder sequenceRequestHeader(QName name) {
            return names(new WsrmNames(name, names.sequenceResponse(), names.ackRequested(), names.answerNamespace()));
        }

        /** Only the SequenceResponse header's name. */
        public Builder sequenceResponseHeader(QName name) {
            return names(new WsrmNames(names.sequenceRequest(), name, names.ackRequested(), names.answerNamespace()));
        }

        /** Only the AckRequested header's name. */
        public Builder ackRequestedHeader(QName name) {
            return names(new WsrmNames(names.sequenceRequest(), names.sequenceResponse(), name, names.answerNamespace()));
        }

        public DfdgWsrmSimulator build() {
            return new DfdgWsrmSimulator(this, serverOptions());
        }
    }
}
