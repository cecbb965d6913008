package org.socsecgateway.simulators.codelist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.socsecgateway.simulators.soap.SoapFaults;
import org.socsecgateway.simulators.wsrm.RawSoap;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.socsecgateway.simulators.codelist.CodeListCalls.fetch;
import static org.socsecgateway.simulators.codelist.CodeListCalls.item;
import static org.socsecgateway.simulators.codelist.CodeListCalls.records;
import static org.socsecgateway.simulators.codelist.CodeListCalls.violation;
import static org.socsecgateway.simulators.codelist.DfdgCodeListSimulator.ACTIVATION_TYPES;
import static org.socsecgateway.simulators.codelist.DfdgCodeListSimulator.CLIENT_CATEGORIES;
import static org.socsecgateway.simulators.codelist.DfdgCodeListSimulator.JOBCENTRES;
import static org.socsecgateway.simulators.codelist.DfdgCodeListSimulator.MUNICIPALITIES;
import static org.socsecgateway.simulators.codelist.DfdgCodeListSimulator.OPERATIONS;
import static org.socsecgateway.simulators.codelist.DfdgCodeListSimulator.UNEMPLOYMENT_FUNDS;

/** Every switch of the fake CodeListService visibly changes the next answer on the wire. */
class CodeListSwitchesTest extends CodeListFixture {

    @Test
    void changesBetweenFetchesShowInTheNextAnswer() throws Exception {
        List<CodeListItem> before = records(fetch(client, sim, CLIENT_CATEGORIES));
        CodeListItem added = new CodeListItem(20, "Ny målgruppe", "En målgruppe tilføjet mellem to hentninger",
                "2025-03-01T00:00:00", CodeListItem.OPEN_END);

        sim.addCode(CLIENT_CATEGORIES, added);
        sim.renameCode(CLIENT_CATEGORIES, 1, "Forsikret ledig");
        sim.expireCode(CLIENT_CATEGORIES, 2, Instant.parse("2025-03-31T22:00:00Z"));
        sim.removeCode(CLIENT_CATEGORIES, 3);

        RawSoap.Answer answer = fetch(client, sim, CLIENT_CATEGORIES);
        List<CodeListItem> after = records(answer);
        assertThat(violation(answer, CLIENT_CATEGORIES)).isEmpty();
        assertThat(after).hasSize(before.size()).contains(added).isEqualTo(sim.items(CLIENT_CATEGORIES));
        assertThat(item(after, 1).name()).isEqualTo("Forsikret ledig");
        assertThat(item(after, 2).endDate()).isEqualTo("2025-04-01T00:00:00+02:00"); // midnight Copenhagen, summer
        assertThat(after).noneMatch(i -> i.identifier() == 3);
        assertThat(records(fetch(client, sim, MUNICIPALITIES))).isEqualTo(sim.items(MUNICIPALITIES)); // others untouched
    }

    @Test
    void refusedChangesChangeNothing() {
        List<CodeListItem> before = sim.items(ACTIVATION_TYPES);

        assertThatThrownBy(() -> sim.addCode(ACTIVATION_TYPES, new CodeListItem(1, "Dublet", "Dublet",
                "2025-01-01T00:00:00", CodeListItem.OPEN_END))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.addCode(ACTIVATION_TYPES, new CodeListItem(99, "N".repeat(101), "x",
                "2025-01-01T00:00:00", CodeListItem.OPEN_END))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.addCode(ACTIVATION_TYPES, new CodeListItem(99, "x", "",
                "2025-01-01T00:00:00", CodeListItem.OPEN_END))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.addCode(ACTIVATION_TYPES, new CodeListItem(99, "x", "x",
                "2025-01-01T00:00:00", "2024-01-01T00:00:00"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.addCode(ACTIVATION_TYPES, new CodeListItem(99, "x", "x",
                "1. januar", CodeListItem.OPEN_END))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.renameCode(ACTIVATION_TYPES, 4711, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.renameCode(ACTIVATION_TYPES, 1, "N".repeat(101)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.expireCode(ACTIVATION_TYPES, 1, Instant.parse("1990-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.removeCode(ACTIVATION_TYPES, 4711)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sim.items("GetNothingCodeList")).isInstanceOf(IllegalArgumentException.class);

        assertThat(sim.items(ACTIVATION_TYPES)).isEqualTo(before);
    }

    @Test
    void anEmptyListIsAValidAnswerWithoutItems() throws Exception {
        sim.serveEmptyList(JOBCENTRES);

        RawSoap.Answer answer = fetch(client, sim, JOBCENTRES);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(violation(answer, JOBCENTRES)).isEmpty();
        assertThat(answer.elements("CodeListItemCollection")).hasSize(1);
        assertThat(answer.elements("CodeListItem")).isEmpty();
        assertThat(sim.items(JOBCENTRES)).isEmpty();
        assertThat(sim.serving(JOBCENTRES)).isEqualTo("EMPTY");
        assertThat(records(fetch(client, sim, MUNICIPALITIES))).hasSizeGreaterThan(300);

        sim.restore(JOBCENTRES);

        assertThat(records(fetch(client, sim, JOBCENTRES))).hasSize(100);
        assertThat(sim.serving(JOBCENTRES)).isEqualTo("NORMAL");
    }

    @ParameterizedTest
    @EnumSource(DfdgCodeListSimulator.Invalid.class)
    void everyInvalidKindGoesOnTheWireBroken(DfdgCodeListSimulator.Invalid kind) throws Exception {
        List<CodeListItem> normal = sim.items(UNEMPLOYMENT_FUNDS);

        sim.serveInvalid(UNEMPLOYMENT_FUNDS, kind);

        RawSoap.Answer answer = fetch(client, sim, UNEMPLOYMENT_FUNDS);
        assertThat(answer.status()).isEqualTo(200);
        List<Map<String, String>> wire = CodeListCalls.items(answer);
        Map<String, String> first = wire.get(0);
        switch (kind) {
            case NAME_TOO_LONG -> assertThat(first.get("Name")).hasSize(101);
            case END_BEFORE_START -> assertThat(CodeListItem.instant(first.get("EndDate")))
                    .isBefore(CodeListItem.instant(first.get("StartDate")));
            case DUPLICATE_IDENTIFIER -> assertThat(wire.get(wire.size() - 1).get("Identifier"))
                    .isEqualTo(first.get("Identifier"));
            case DESCRIPTION_EMPTY -> assertThat(first.get("Description")).isEmpty();
            case DESCRIPTION_TOO_LONG -> assertThat(first.get("Description")).hasSize(501);
            case MISSING_START_DATE -> assertThat(first).doesNotContainKey("StartDate").containsKey("EndDate");
        }
        // what the XSD can tell: facets and required elements (not uniqueness, not the order of dates)
        boolean schemaCatches = kind != DfdgCodeListSimulator.Invalid.DUPLICATE_IDENTIFIER
                && kind != DfdgCodeListSimulator.Invalid.END_BEFORE_START;
        assertThat(violation(answer, UNEMPLOYMENT_FUNDS).isPresent()).isEqualTo(schemaCatches);
        assertThat(records(answer)).isEqualTo(sim.items(UNEMPLOYMENT_FUNDS));
        assertThat(sim.serving(UNEMPLOYMENT_FUNDS)).isEqualTo(kind.name());
        assertThat(violation(fetch(client, sim, JOBCENTRES), JOBCENTRES)).isEmpty(); // only that list is broken

        sim.restore(UNEMPLOYMENT_FUNDS);

        RawSoap.Answer restored = fetch(client, sim, UNEMPLOYMENT_FUNDS);
        assertThat(violation(restored, UNEMPLOYMENT_FUNDS)).isEmpty();
        assertThat(records(restored)).isEqualTo(normal);
    }

    @Test
    void extraElementsAfterEndDateInTwoNamespacesStayValid() throws Exception {
        sim.extraElements(true);

        RawSoap.Answer answer = fetch(client, sim, ACTIVATION_TYPES);
        assertThat(violation(answer, ACTIVATION_TYPES)).isEmpty();
        List<Element> items = answer.elements("CodeListItem");
        assertThat(items).isNotEmpty().allSatisfy(item -> {
            List<String> children = new ArrayList<>();
            String endDateNs = null;
            for (Node n = item.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    children.add("{" + e.getNamespaceURI() + "}" + e.getLocalName());
                    endDateNs = e.getLocalName().equals("EndDate") ? e.getNamespaceURI() : endDateNs;
                }
            }
            assertThat(children).hasSize(7);
            assertThat(children.subList(0, 5)).allMatch(c -> c.startsWith("{" + CodeListServiceImpl.BASE_NS + "}"));
            assertThat(children.get(4)).endsWith("}EndDate");
            assertThat(children.get(5)).isEqualTo("{" + endDateNs + "}SortOrder");
            assertThat(children.get(6)).isEqualTo("{" + CodeListServiceImpl.EXTENSION_NS + "}LegacyCode");
        });
        assertThat(records(answer)).isEqualTo(sim.items(ACTIVATION_TYPES)); // a tolerant reader sees the same list

        sim.reset();

        assertThat(fetch(client, sim, ACTIVATION_TYPES).elements("LegacyCode")).isEmpty();
    }

    @Test
    void resetUndoesChangesAndSwitchesOfEveryList() throws Exception {
        List<CodeListItem> municipalities = sim.items(MUNICIPALITIES);
        sim.removeCode(MUNICIPALITIES, 101);
        sim.serveEmptyList(JOBCENTRES);
        sim.serveInvalid(CLIENT_CATEGORIES, DfdgCodeListSimulator.Invalid.NAME_TOO_LONG);
        sim.extraElements(true);

        sim.reset();

        assertThat(records(fetch(client, sim, MUNICIPALITIES))).isEqualTo(municipalities);
        for (String operation : OPERATIONS) {
            RawSoap.Answer answer = fetch(client, sim, operation);
            assertThat(violation(answer, operation)).as(operation).isEmpty();
            assertThat(answer.elements("LegacyCode")).isEmpty();
            assertThat(sim.serving(operation)).isEqualTo("NORMAL");
        }
    }

    @Test
    void anErrorCodeFaultIsAnsweredInsteadOfTheListAndCounted() throws Exception {
        sim.faults().faultDetails(MUNICIPALITIES, 1013, "insufficient permissions", 1);

        RawSoap.Answer fault = fetch(client, sim, MUNICIPALITIES);
        RawSoap.Answer next = fetch(client, sim, MUNICIPALITIES);

        assertThat(fault.status()).isEqualTo(500);
        assertThat(fault.errorCode()).hasValue(1013);
        assertThat(fault.elements("CodeListItem")).isEmpty();
        assertThat(next.status()).isEqualTo(200);
        assertThat(sim.calls(MUNICIPALITIES)).isEqualTo(2);
    }

    @Test
    void anHtml503IsAnsweredWhenTheServiceIsDown() throws Exception {
        sim.faults().serviceUnavailable(null, 1);

        RawSoap.Answer down = fetch(client, sim, JOBCENTRES);

        assertThat(down.status()).isEqualTo(503);
        assertThat(down.contentType()).startsWith("text/html");
        assertThat(down.body()).contains("Service Unavailable");
        assertThat(fetch(client, sim, JOBCENTRES).status()).isEqualTo(200);
        assertThat(sim.calls(JOBCENTRES)).isEqualTo(2);
    }

    @Test
    void latencyDelaysTheAnswer() throws Exception {
        Duration delay = Duration.ofMillis(600);
        sim.faults().latency(CLIENT_CATEGORIES, delay, 1);
        assertThat(sim.faults().rules()).extracting(SoapFaults.Rule::kind).containsExactly(SoapFaults.Kind.LATENCY);

        long started = System.nanoTime();
        RawSoap.Answer slow = fetch(client, sim, CLIENT_CATEGORIES);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(slow.status()).isEqualTo(200);
        assertThat(took).isGreaterThanOrEqualTo(delay);
        assertThat(sim.faults().rules()).isEmpty();
    }
}
