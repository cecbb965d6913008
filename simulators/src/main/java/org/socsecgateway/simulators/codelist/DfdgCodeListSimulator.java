package org.socsecgateway.simulators.codelist;

import io.vertx.core.http.HttpServerOptions;
import org.socsecgateway.dfdg.contract.codelist.CodeListService;
import org.socsecgateway.simulators.internal.LocalHttpServer;
import org.socsecgateway.simulators.internal.ServerOptions;
import org.socsecgateway.simulators.soap.DfdgServerBuilder;
import org.socsecgateway.simulators.soap.SoapEndpoint;
import org.socsecgateway.simulators.soap.SoapFaults;
import org.socsecgateway.simulators.soap.SoapRouter;
import org.socsecgateway.simulators.soap.SoapStats;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A fake of DFDG's CodeListService (DFDG guide §3.6; docs/partners.md "Code lists"): the six
 * {@code Get<Xxx>CodeList} operations of our WSDL over SOAP 1.1 and mutual TLS, served by {@link SoapEndpoint} (its
 * wire rules apply: SOAPAction, the two DFDG headers, the function certificate, {@link #faults()}). Each answers
 * {@code CodeListItemCollection/CodeListItem{Identifier, Name, Description, StartDate, EndDate}} from realistic
 * default lists (current, expired and future codes; midnight Copenhagen boundaries in winter and summer; dates with
 * and without offset), which tests change between fetches ({@link #addCode}, {@link #renameCode},
 * {@link #expireCode}, {@link #removeCode}) or break on purpose ({@link #serveEmptyList}, {@link #serveInvalid},
 * {@link #extraElements}). Broken answers go on the wire as they are (no schema check on the way out).
 */
public final class DfdgCodeListSimulator implements AutoCloseable {

    public static final String CLIENT_SYSTEM_TYPES = "GetClientSystemTypeIdentifierTypeCodeList";
    public static final String ACTIVATION_TYPES = "GetActivationTypeIdentifierCodeList";
    public static final String JOBCENTRES = "GetJobcenterIdentifierCodeList";
    public static final String UNEMPLOYMENT_FUNDS = "GetUnemploymentFundIdentifierCodeList";
    public static final String MUNICIPALITIES = "GetMunicipalityIdentifierCodeList";
    public static final String CLIENT_CATEGORIES = "GetClientCategoryIdentifierCodeList";
    /** The operations (WSDL names), in this order. */
    public static final List<String> OPERATIONS = List.of(CLIENT_SYSTEM_TYPES, ACTIVATION_TYPES, JOBCENTRES,
            UNEMPLOYMENT_FUNDS, MUNICIPALITIES, CLIENT_CATEGORIES);
    /** The path segment of DFDG's production URLs. */
    public static final String SERVICE_ROOT = "PjakTassWCFtService";

    private static final String PATH = "/1/CodeListService.svc";

    /** How {@link #serveInvalid} breaks the first item of a list (the rest stays valid). */
    public enum Invalid {
        /** Name of 101 characters (at most 100 allowed). */
        NAME_TOO_LONG,
        /** EndDate one day before StartDate. */
        END_BEFORE_START,
        /** A second item with the first item's Identifier (and another Name) at the end of the list. */
        DUPLICATE_IDENTIFIER,
        /** An empty Description (at least 1 character required). */
        DESCRIPTION_EMPTY,
        /** Description of 501 characters (at most 500 allowed). */
        DESCRIPTION_TOO_LONG,
        /** No StartDate element at all. */
        MISSING_START_DATE
    }

    private final String host;
    private final Clock clock;
    private final CodeLists lists;
    private final SoapFaults faults = new SoapFaults();
    private final SoapStats stats = new SoapStats();
    private final SoapEndpoint endpoint;
    private final LocalHttpServer server;

    private DfdgCodeListSimulator(Builder builder, HttpServerOptions options) {
        this.host = builder.host();
        this.clock = builder.clock();
        this.lists = new CodeLists(clock);
        this.endpoint = SoapEndpoint.builder(CodeListService.class, (CodeListService) new CodeListServiceImpl(lists))
                .bodySchemas("wsdl/CodeList.xsd")
                .faults(faults).stats(stats).clock(clock)
                .requireFunctionCertificate(builder.mutualTls())
                .build();
        this.server = new LocalHttpServer("DFDG CodeListService simulator", options, vertx -> SoapRouter.create(vertx,
                "DFDG CodeListService simulator", Map.of("/" + SERVICE_ROOT + PATH, endpoint)));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts listening; blocks until the port is bound. */
    public DfdgCodeListSimulator start() {
        server.start();
        return this;
    }

    public int port() {
        return server.port();
    }

    /** {@code https://{host}:{port}/PjakTassWCFtService/1/CodeListService.svc} */
    public String codeListServiceUrl() {
        return ServerOptions.httpsOrigin(host, port()) + "/" + SERVICE_ROOT + PATH;
    }

    /** {@code @WebMethod(action)} of an operation, e.g. for raw SOAP calls. */
    public String soapAction(String operation) {
        return endpoint.action(operation).orElseThrow(() -> new IllegalArgumentException("no operation " + operation));
    }

    /**
     * Calls of {@code operation} so far: every request whose SOAPAction named it, counted on arrival. That includes
     * calls answered with an injected fault (FaultDetails, HTML 503, empty answer, dropped connection) and calls
     * refused for a missing or invalid DFDG header or body (1012/1014); it excludes requests refused before the
     * operation is known (no function certificate: 403; not POST; not text/xml; unknown SOAPAction).
     */
    public long calls(String operation) {
        checkOperation(operation);
        return stats.calls(operation);
    }

    /** {@link #calls(String)} summed over the six operations. */
    public long totalCalls() {
        return OPERATIONS.stream().mapToLong(stats::calls).sum();
    }

    /** Back to zero calls (and no recorded exchanges). */
    public void resetCounts() {
        stats.reset();
    }

    /** Every request and exchange, as recorded by the SOAP base (paths, headers, statuses, error codes). */
    public SoapStats stats() {
        return stats;
    }

    /** Faults injected into the six operations (by operation name; null = any). */
    public SoapFaults faults() {
        return faults;
    }

    /** The list as it would be served now (changes and the empty/invalid switches applied; extras not shown). */
    public List<CodeListItem> items(String operation) {
        return lists.served(operation);
    }

    /** How the list is served now: {@code NORMAL}, {@code EMPTY} or the {@link Invalid} kind's name. */
    public String serving(String operation) {
        return lists.serving(operation);
    }

    /**
     * Changes between two fetches, applied together by {@link #change}: first {@code add}, then {@code rename}
     * (identifier to new Name), {@code expire} (identifier to EndDate) and {@code remove}. Null means none.
     */
    public record Changes(List<CodeListItem> add, Map<Integer, String> rename, Map<Integer, Instant> expire,
                          List<Integer> remove) {

        public Changes {
            add = add == null ? List.of() : List.copyOf(add);
            rename = rename == null ? Map.of() : Map.copyOf(rename);
            expire = expire == null ? Map.of() : Map.copyOf(expire);
            remove = remove == null ? List.of() : List.copyOf(remove);
        }
    }

    /**
     * Applies every change or none. Each resulting item is checked like DFDG's schema (Name at most 100, Description 1
     * to 500, both dates, EndDate after StartDate), identifiers stay unique, and renamed, expired or removed codes
     * must exist. An expiry is written as Copenhagen time with its offset.
     *
     * @throws IllegalArgumentException otherwise (the list is unchanged), or for an unknown operation
     */
    public void change(String operation, Changes changes) {
        Objects.requireNonNull(changes, "changes");
        lists.change(operation, list -> {
            changes.add().forEach(item -> list.add(CodeLists.checked(item)));
            changes.rename().forEach((id, name) -> replace(list, id, item -> item.withName(name)));
            changes.expire().forEach((id, end) -> replace(list, id,
                    item -> item.withEndDate(CodeListItem.withOffset(end))));
            changes.remove().forEach(id -> list.remove(indexOf(list, id)));
        });
    }

    /** Adds a code; see {@link #change}. */
    public void addCode(String operation, CodeListItem item) {
        change(operation, new Changes(List.of(item), null, null, null));
    }

    /** Gives the code {@code identifier} another Name (at most 100); see {@link #change}. */
    public void renameCode(String operation, int identifier, String newName) {
        change(operation, new Changes(null, Map.of(identifier, Objects.requireNonNull(newName, "newName")), null, null));
    }

    /** Sets the code's EndDate to {@code endDate} (after its start), written as Copenhagen time with its offset. */
    public void expireCode(String operation, int identifier, Instant endDate) {
        change(operation, new Changes(null, null, Map.of(identifier, Objects.requireNonNull(endDate, "endDate")), null));
    }

    /** Removes the code from the list (DFDG keeps expired codes; this is for a list that lost one anyway). */
    public void removeCode(String operation, int identifier) {
        change(operation, new Changes(null, null, null, List.of(identifier)));
    }

    /** From now on, {@code operation} answers a valid SOAP answer with zero items (until {@link #restore}). */
    public void serveEmptyList(String operation) {
        lists.serveEmpty(operation);
    }

    /** From now on, {@code operation} answers its list with the first item broken as {@code kind} says. */
    public void serveInvalid(String operation, Invalid kind) {
        lists.serveInvalid(operation, kind);
    }

    /**
     * With true, every item of every list carries two unknown elements after EndDate, one in the CodeListBase
     * namespace ({@code SortOrder}) and one in another ({@code LegacyCode}, with an attribute and children); a
     * tolerant reader ignores them. Still valid against the XSD ({@code xs:any}, lax).
     */
    public void extraElements(boolean on) {
        lists.extraElements(on);
    }

    /** Whether {@link #extraElements(boolean)} is on. */
    public boolean extraElements() {
        return lists.extraElements();
    }

    /** {@code operation} back to its default list (generated for the clock's now): changes and switches dropped. */
    public void restore(String operation) {
        lists.restore(operation);
    }

    /** Every list back to its default, extra elements off. Faults and counts are kept. */
    public void reset() {
        lists.reset();
    }

    /** The simulator's clock (the default lists are generated relative to it). */
    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        server.close();
    }

    private static void checkOperation(String operation) {
        if (!OPERATIONS.contains(operation)) {
            throw new IllegalArgumentException("no code list operation " + operation + "; known: " + OPERATIONS);
        }
    }

    private static void replace(List<CodeListItem> list, int identifier, UnaryOperator<CodeListItem> change) {
        int index = indexOf(list, identifier);
        list.set(index, CodeLists.checked(change.apply(list.get(index))));
    }

    private static int indexOf(List<CodeListItem> list, int identifier) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).identifier() == identifier) {
                return i;
            }
        }
        throw new IllegalArgumentException("no code " + identifier + " in the list");
    }

    /** Settings of a {@link DfdgCodeListSimulator}; {@link #tls} is required. */
    public static final class Builder extends DfdgServerBuilder<Builder> {

        private Builder() {
        }

        public DfdgCodeListSimulator build() {
            return new DfdgCodeListSimulator(this, serverOptions());
        }
    }
}
