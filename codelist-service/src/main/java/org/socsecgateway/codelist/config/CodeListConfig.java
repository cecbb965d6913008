package org.socsecgateway.codelist.config;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * codelist-service's settings ({@code codelist.*}); the two DFDG headers are {@code dfdg.caller.*} (dfdg-soap's
 * {@code DfdgCallerConfig}), the SOAP client and TLS are {@code quarkus.cxf.client.codelist.*} and
 * {@code quarkus.tls.dfdg.*}. Which lists exist and which DFDG operation fetches each is configuration, so the real
 * WSDL's operation names need no code change.
 */
@ConfigMapping(prefix = "codelist")
public interface CodeListConfig {

    /** A list name as it appears in the API path: lower case, digits and dashes. */
    String LIST_NAME = "[a-z0-9][a-z0-9-]{0,62}";
    /** A local element name. */
    String LOCAL_NAME = "[A-Za-z_][A-Za-z0-9_.-]*";

    /**
     * The code lists, by the name used in {@code /v1/codelists/{name}}, e.g.
     * {@code codelist.lists.municipalities.operation=GetMunicipalityIdentifierCodeList}. At least one.
     */
    Map<String, @Valid CodeList> lists();

    Dfdg dfdg();

    @Valid
    Schedule schedule();

    Items items();

    Access access();

    /** One code list. */
    interface CodeList {
        /** The CodeListService operation that answers this list ({@code Get<Xxx>CodeList}). */
        @Pattern(regexp = LOCAL_NAME)
        String operation();
    }

    interface Dfdg {
        /** DFDG's CodeListService, e.g. {@code https://service.bm.dk/PjakTassWCFtService/1/CodeListService.svc}. */
        URI codeListServiceUrl();
    }

    /**
     * When lists are fetched. DFDG allows at most one fetch per list a day (DFDG guide §3.6, docs/partners.md), so a
     * list is fetched again only when its last answer is at least 24 h old, at a daily slot: {@code time-of-day} in
     * Europe/Copenhagen plus a jitter of up to {@code jitter} (fixed per list and day, so replicas agree); the rule in
     * full is {@code FetchPlan}'s.
     */
    interface Schedule {
        /** Whether this instance fetches at all (an instance that only serves can turn it off). */
        @WithDefault("true")
        boolean enabled();

        /** The daily slot, Danish local time. */
        @WithDefault("03:30")
        LocalTime timeOfDay();

        /** Up to this much later than {@code time-of-day}, per list and day. */
        @WithDefault("30m")
        Duration jitter();

        /** After a fetch that got no answer (fault, outage), the next attempt waits this long. */
        @WithDefault("1h")
        Duration retryAfterFailure();

        /** How often the schedule is checked. */
        @WithDefault("1m")
        Duration checkEvery();

        /**
         * A forced refresh (an operator's, with a reason) is refused (429) within this long of the list's last attempt,
         * so a script or a double click cannot hammer DFDG.
         */
        @WithDefault("10m")
        Duration forcedMinInterval();

        /**
         * How long one instance holds a list's fetch claim in PostgreSQL (longer than a SOAP call can take); a
         * crashed instance's claim lapses after it.
         */
        @WithDefault("5m")
        Duration claimTimeout();
    }

    /**
     * Local names of the item elements in DFDG's answer (DFDG guide §3.6, docs/partners.md). An item is any element
     * with an {@code identifier} child and at least one other of these, whatever its own name and wrappers; other
     * children are ignored.
     */
    interface Items {
        @WithDefault("Identifier")
        @Pattern(regexp = LOCAL_NAME)
        String identifier();

        @WithDefault("Name")
        @Pattern(regexp = LOCAL_NAME)
        String name();

        @WithDefault("Description")
        @Pattern(regexp = LOCAL_NAME)
        String description();

        @WithDefault("StartDate")
        @Pattern(regexp = LOCAL_NAME)
        String startDate();

        @WithDefault("EndDate")
        @Pattern(regexp = LOCAL_NAME)
        String endDate();
    }

    /** Who may call the API: bearer JWTs (cluster ServiceAccount tokens), authorised by subject. */
    interface Access {
        /**
         * Subjects that may read the lists, or {@code *} for every authenticated caller (code lists hold no personal
         * data).
         */
        @WithDefault("*")
        List<String> readers();

        /** Subjects that may ask for a refresh ({@code POST /v1/codelists/{name}/refresh}). None by default. */
        Optional<List<String>> operators();
    }
}
