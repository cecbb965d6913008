package org.socsecgateway.simulators.codelist;

import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.TestHttp;
import org.socsecgateway.simulators.soap.SoapEndpoint;
import org.socsecgateway.simulators.wsrm.RawSoap;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.socsecgateway.simulators.codelist.CodeListCalls.fetch;
import static org.socsecgateway.simulators.codelist.CodeListCalls.item;
import static org.socsecgateway.simulators.codelist.CodeListCalls.records;
import static org.socsecgateway.simulators.codelist.CodeListCalls.violation;
import static org.socsecgateway.simulators.codelist.DfdgCodeListSimulator.JOBCENTRES;
import static org.socsecgateway.simulators.codelist.DfdgCodeListSimulator.MUNICIPALITIES;
import static org.socsecgateway.simulators.codelist.DfdgCodeListSimulator.OPERATIONS;

/** The fake CodeListService over real mutual TLS with hand-written SOAP: its lists, wire rules and counts. */
class CodeListServiceTest extends CodeListFixture {

    private static final Instant NOW = CodeListCalls.CLOCK.instant();

    @Test
    void everyOperationAnswersItsListValidAgainstTheSchema() throws Exception {
        for (String operation : OPERATIONS) {
            RawSoap.Answer answer = fetch(client, sim, operation);

            assertThat(answer.status()).as(operation).isEqualTo(200);
            assertThat(CodeListCalls.response(answer, operation).getNamespaceURI()).isEqualTo(CodeListCalls.NS);
            assertThat(violation(answer, operation)).as(operation).isEmpty();
            List<CodeListItem> items = records(answer);
            assertThat(items).as(operation).isEqualTo(sim.items(operation));
            // current, expired and future codes in every list
            assertThat(items).as(operation + " current").anyMatch(i -> i.validAt(NOW));
            assertThat(items).as(operation + " expired").anyMatch(i -> !i.endInstant().isAfter(NOW));
            assertThat(items).as(operation + " future").anyMatch(i -> i.startInstant().isAfter(NOW));
            assertThat(items).as(operation + " open-ended")
                    .anyMatch(i -> i.endDate().equals(CodeListItem.OPEN_END) && i.validAt(NOW));
            assertThat(items).as(operation + " names and descriptions").allMatch(i -> i.name().length() <= 100
                    && !i.description().isEmpty() && i.description().length() <= 500);
            assertThat(items.stream().map(CodeListItem::identifier).distinct().count()).isEqualTo(items.size());
            // both of DFDG's forms of xsd:dateTime
            assertThat(items).as(operation + " with offset").anyMatch(i -> i.startDate().endsWith(":00+01:00")
                    || i.startDate().endsWith(":00+02:00"));
            assertThat(items).as(operation + " without offset").anyMatch(i -> i.startDate().matches(".*T\\d\\d:\\d\\d:\\d\\d"));
        }
    }

    @Test
    void municipalitiesAreTheNinetyEightOfTodayAndThoseBefore2007() throws Exception {
        List<CodeListItem> items = records(fetch(client, sim, MUNICIPALITIES));

        List<CodeListItem> current = items.stream().filter(i -> i.validAt(NOW)).toList();
        assertThat(current).hasSize(98);
        assertThat(current).allSatisfy(i -> assertThat(i.startInstant()).isEqualTo(Instant.parse("2006-12-31T23:00:00Z")));
        Map<Integer, String> names = current.stream().collect(Collectors.toMap(CodeListItem::identifier, CodeListItem::name));
        assertThat(names).containsEntry(101, "København").containsEntry(147, "Frederiksberg")
                .containsEntry(751, "Aarhus").containsEntry(851, "Aalborg").containsEntry(461, "Odense");
        assertThat(items.size()).isGreaterThanOrEqualTo(98 + 270);
        assertThat(records(fetch(client, sim, JOBCENTRES)).stream().filter(i -> i.validAt(NOW))).hasSize(94);
    }

    @Test
    void anItemExpiringAtMidnightCopenhagenEndsAt23ZInWinterAnd22ZInSummer() throws Exception {
        List<CodeListItem> municipalities = records(fetch(client, sim, MUNICIPALITIES));
        List<CodeListItem> former = municipalities.stream()
                .filter(i -> i.endDate().startsWith("2007-01-01")).toList();

        // winter: 1 January 2007 00:00 in Copenhagen is 31 December 23:00Z, in both wire forms
        assertThat(former).hasSizeGreaterThanOrEqualTo(270);
        assertThat(former).extracting(CodeListItem::endDate).containsOnly("2007-01-01T00:00:00",
                "2007-01-01T00:00:00+01:00").contains("2007-01-01T00:00:00", "2007-01-01T00:00:00+01:00");
        assertThat(former).allSatisfy(i -> assertThat(i.endInstant()).isEqualTo(Instant.parse("2006-12-31T23:00:00Z")));
        assertThat(former).noneMatch(i -> i.validAt(NOW));

        // summer: Dragør's jobcentre closed 1 July 2024 00:00 Copenhagen = 30 June 22:00Z
        List<CodeListItem> jobcentres = records(fetch(client, sim, JOBCENTRES));
        CodeListItem dragoer = item(jobcentres, 155);
        assertThat(dragoer.endDate()).isIn("2024-07-01T00:00:00", "2024-07-01T00:00:00+02:00");
        assertThat(dragoer.endInstant()).isEqualTo(Instant.parse("2024-06-30T22:00:00Z"));
        assertThat(dragoer.validAt(Instant.parse("2024-06-30T21:59:59Z"))).isTrue();
        assertThat(dragoer.validAt(Instant.parse("2024-06-30T22:00:00Z"))).isFalse(); // end exclusive
        // and a winter end in the same list (Ærø, 1 January 2025)
        assertThat(item(jobcentres, 492).endInstant()).isEqualTo(Instant.parse("2024-12-31T23:00:00Z"));
        // the jobcentres' start, 1 August 2009, in both forms (+02:00 and local)
        assertThat(jobcentres).extracting(CodeListItem::startDate).contains("2009-08-01T00:00:00",
                "2009-08-01T00:00:00+02:00");
        assertThat(item(jobcentres, 101).startInstant()).isEqualTo(Instant.parse("2009-07-31T22:00:00Z"));
    }

    @Test
    void theDefaultListsFollowTheClock() {
        Instant then = Instant.parse("2031-08-01T00:00:00Z");
        try (DfdgCodeListSimulator later = DfdgCodeListSimulator.builder().tls(pki.serverCert(), pki.serverKey())
                .clock(java.time.Clock.fixed(then, java.time.ZoneOffset.UTC)).build()) {
            for (String operation : OPERATIONS) {
                assertThat(later.items(operation)).as(operation).anyMatch(i -> i.startInstant().isAfter(then))
                        .anyMatch(i -> i.validAt(then)).anyMatch(i -> !i.endInstant().isAfter(then));
            }
            // relative boundaries: Dragør's jobcentre now closed 1 July 2030 (summer), the future codes start 2032
            assertThat(item(later.items(JOBCENTRES), 155).endInstant()).isEqualTo(Instant.parse("2030-06-30T22:00:00Z"));
            assertThat(item(later.items(MUNICIPALITIES), 999).startInstant())
                    .isEqualTo(Instant.parse("2031-12-31T23:00:00Z"));
        }
    }

    @Test
    void aMissingOrInvalidDfdgHeaderIsRefusedWithFaultDetails() throws Exception {
        RawSoap.Answer noMetadata = fetch(client, sim, MUNICIPALITIES, RawSoap.activeOrganisation("8", "123"));
        RawSoap.Answer noOrganisation = fetch(client, sim, MUNICIPALITIES,
                RawSoap.requestUserMetadata("123", "2025-03-01T10:00:00"));
        RawSoap.Answer noHeaders = fetch(client, sim, JOBCENTRES, null);
        RawSoap.Answer invalid = fetch(client, sim, JOBCENTRES, RawSoap.activeOrganisation("0", "123")
                + RawSoap.requestUserMetadata("123", "2025-03-01T10:00:00"));

        for (RawSoap.Answer answer : List.of(noMetadata, noOrganisation, noHeaders)) {
            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.errorCode()).hasValue(SoapEndpoint.LOGON_FAILED);
            assertThat(answer.elements("CodeListItem")).isEmpty();
        }
        assertThat(invalid.errorCode()).hasValue(SoapEndpoint.VALIDATION_FAILED);
        assertThat(sim.calls(MUNICIPALITIES)).isEqualTo(2); // refused calls named the operation: counted
    }

    @Test
    void aWrongSoapActionIsActionNotSupported() throws Exception {
        RawSoap.Answer answer = RawSoap.post(client, sim.codeListServiceUrl(),
                "\"http://service.bm.dk/pjaktass/1/CodeListService#GetNothingCodeList\"",
                RawSoap.envelope(RawSoap.dfdgHeaders("8:123"), CodeListCalls.body(MUNICIPALITIES)));

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.faultcode()).endsWith(":ActionNotSupported");
        assertThat(sim.totalCalls()).isZero();
    }

    @Test
    void aClientWithoutAcceptedCertificateIsRefused() throws Exception {
        HttpClient noFunctionCertificate = TestHttp.withClientCertificate(pki.serverTruststoreP12(),
                plain.keystoreP12(), pki.password());
        HttpClient anonymous = TestHttp.trusting(pki.serverTruststoreP12(), pki.password());

        RawSoap.Answer answer = fetch(noFunctionCertificate, sim, MUNICIPALITIES);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorCode()).hasValue(SoapEndpoint.LOGON_FAILED);
        assertThat(answer.elements("CodeListItem")).isEmpty();
        assertThatThrownBy(() -> fetch(anonymous, sim, MUNICIPALITIES)).isInstanceOf(IOException.class);
        assertThat(sim.totalCalls()).isZero();
    }

    @Test
    void countsCallsPerOperation() throws Exception {
        fetch(client, sim, MUNICIPALITIES);
        fetch(client, sim, MUNICIPALITIES);
        fetch(client, sim, JOBCENTRES);

        assertThat(sim.calls(MUNICIPALITIES)).isEqualTo(2);
        assertThat(sim.calls(JOBCENTRES)).isEqualTo(1);
        assertThat(sim.calls(DfdgCodeListSimulator.CLIENT_CATEGORIES)).isZero();
        assertThat(sim.totalCalls()).isEqualTo(3);
        assertThatThrownBy(() -> sim.calls("GetNothing")).isInstanceOf(IllegalArgumentException.class);

        sim.resetCounts();

        assertThat(sim.totalCalls()).isZero();
        assertThat(sim.calls(MUNICIPALITIES)).isZero();
    }

    @Test
    void pathsAreCaseInsensitiveAndOthersAre404() throws Exception {
        String url = sim.codeListServiceUrl().replace("PjakTassWCFtService", "pjaktasswcftservice");
        RawSoap.Answer answer = RawSoap.post(client, url, "\"" + sim.soapAction(JOBCENTRES) + "\"",
                RawSoap.envelope(RawSoap.dfdgHeaders("8:123"), CodeListCalls.body(JOBCENTRES)));
        RawSoap.Answer missing = RawSoap.post(client, sim.codeListServiceUrl() + "x",
                "\"" + sim.soapAction(JOBCENTRES) + "\"",
                RawSoap.envelope(RawSoap.dfdgHeaders("8:123"), CodeListCalls.body(JOBCENTRES)));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(Set.copyOf(OPERATIONS)).hasSize(6);
    }
}
