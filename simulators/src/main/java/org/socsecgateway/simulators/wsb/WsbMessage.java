package org.socsecgateway.simulators.wsb;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.socsecgateway.simulators.internal.Json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One STAR WSB notice ("something changed about this citizen"), as the fake sender POSTs it.
 * <p>
 * The content follows docs/partners.md, "WSB (webhooks)" (message type, external GUID, version, CPR subject, change
 * type, timestamp, sometimes a body), but STAR's exact JSON property names are not public: these Danish-ish PascalCase
 * names are our guess, and a receiver must parse tolerantly and keep the raw JSON anyway.
 *
 * @param meddelelseId        stable id of this notice; a duplicate delivery carries the same id
 * @param entitetId           message type, e.g. 60010 (Akassemedlemskab), 100008 (Kontaktgruppe), 90000 (Indkaldelse)
 * @param entitetNavn         name of the message type
 * @param eksternIdentifier   GUID of the changed object; all zeros when there is none
 * @param versionIdentifikator version of the changed object
 * @param subjekt             the citizen concerned (identification type 1 = CPR number)
 * @param aendringType        1 create, 2 update, 3 delete
 * @param tidspunkt           when the change happened, ISO-8601 with offset
 * @param indhold             optional small body; null when the notice has none
 */
@JsonPropertyOrder({"MeddelelseId", "EntitetId", "EntitetNavn", "EksternIdentifier", "VersionIdentifikator", "Subjekt",
        "AendringType", "Tidspunkt", "Indhold"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WsbMessage(
        @JsonProperty("MeddelelseId") String meddelelseId,
        @JsonProperty("EntitetId") int entitetId,
        @JsonProperty("EntitetNavn") String entitetNavn,
        @JsonProperty("EksternIdentifier") String eksternIdentifier,
        @JsonProperty("VersionIdentifikator") String versionIdentifikator,
        @JsonProperty("Subjekt") Subjekt subjekt,
        @JsonProperty("AendringType") int aendringType,
        @JsonProperty("Tidspunkt") String tidspunkt,
        @JsonProperty("Indhold") Map<String, Object> indhold) {

    /** The GUID STAR sends when a notice has no external object. */
    public static final String NO_EXTERNAL_ID = "00000000-0000-0000-0000-000000000000";

    public static final int CREATE = 1;
    public static final int UPDATE = 2;
    public static final int DELETE = 3;

    public WsbMessage {
        Objects.requireNonNull(meddelelseId, "meddelelseId");
        Objects.requireNonNull(subjekt, "subjekt");
        if (aendringType < CREATE || aendringType > DELETE) {
            throw new IllegalArgumentException("aendringType must be 1, 2 or 3, not " + aendringType);
        }
        indhold = indhold == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(indhold));
    }

    /**
     * The citizen a notice is about.
     *
     * @param identifikationType 1 = CPR number
     * @param identifikation     the CPR number (10 digits)
     */
    @JsonPropertyOrder({"IdentifikationType", "Identifikation"})
    public record Subjekt(@JsonProperty("IdentifikationType") int identifikationType,
                          @JsonProperty("Identifikation") String identifikation) {

        public static final int CPR = 1;

        public static Subjekt cpr(String cpr) {
            return new Subjekt(CPR, cpr);
        }
    }

    /** The subject's CPR number: the key STAR orders deliveries by. */
    @JsonIgnore
    public String cpr() {
        return subjekt.identifikation();
    }

    /** The JSON body the sender POSTs. */
    public String toJson() {
        return Json.write(this);
    }
}
