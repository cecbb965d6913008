package org.socsecgateway.simulators.codelist;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The lists the fake serves unless told otherwise: realistic Danish content, deterministic except where "current,
 * expired or future" depends on the simulator clock. Every list has current, expired and future codes; validity
 * boundaries fall at midnight Copenhagen time, in winter (+01:00) and in summer (+02:00); the dates alternate
 * between DFDG's two forms (with offset, and local time without); codes without end have {@link CodeListItem#OPEN_END}.
 * <p>
 * Relative boundaries, from {@code now}'s year Y in Copenhagen: expired codes end at 1 January Y (winter) or 1 July
 * Y-1 (summer), future codes start at 1 January Y+1 (winter) or 1 July Y+1 (summer).
 */
final class DefaultCodeLists {

    /** The 98 municipalities since the reform of 1 January 2007 (kommunekode, name). */
    static final Map<Integer, String> MUNICIPALITIES = municipalities();
    /** Pre-2007 municipalities in the list, expired at the reform. */
    static final int FORMER_MUNICIPALITIES = 270;
    /** Municipalities whose jobcentre another municipality's jobcentre serves (98 - 4 = 94 jobcentres). */
    static final Set<Integer> SHARED_JOBCENTRE = Set.of(155, 492, 563, 825);
    static final LocalDate REFORM_2007 = LocalDate.of(2007, 1, 1);
    /** Jobcentres became wholly municipal on 1 August 2009 (a summer-time boundary). */
    static final LocalDate JOBCENTRES_2009 = LocalDate.of(2009, 8, 1);

    private final int year;
    private int counter;

    private DefaultCodeLists(Instant now) {
        this.year = now.atZone(CodeListItem.COPENHAGEN).getYear();
    }

    /** Every operation's default list, in operation order, relative to {@code now}. */
    static Map<String, List<CodeListItem>> at(Instant now) {
        DefaultCodeLists lists = new DefaultCodeLists(now);
        Map<String, List<CodeListItem>> all = new LinkedHashMap<>();
        for (String operation : DfdgCodeListSimulator.OPERATIONS) {
            all.put(operation, lists.of(operation));
        }
        return all;
    }

    /** One operation's default list, relative to {@code now}. */
    static List<CodeListItem> at(Instant now, String operation) {
        return new DefaultCodeLists(now).of(operation);
    }

    private List<CodeListItem> of(String operation) {
        counter = 0;
        return switch (operation) {
            case DfdgCodeListSimulator.CLIENT_SYSTEM_TYPES -> clientSystemTypes();
            case DfdgCodeListSimulator.ACTIVATION_TYPES -> activationTypes();
            case DfdgCodeListSimulator.JOBCENTRES -> jobcentres();
            case DfdgCodeListSimulator.UNEMPLOYMENT_FUNDS -> unemploymentFunds();
            case DfdgCodeListSimulator.MUNICIPALITIES -> municipalities(MUNICIPALITIES);
            case DfdgCodeListSimulator.CLIENT_CATEGORIES -> clientCategories();
            default -> throw new IllegalArgumentException("no code list " + operation);
        };
    }

    private List<CodeListItem> clientSystemTypes() {
        List<CodeListItem> items = new ArrayList<>();
        items.add(current(1, "Jobcentersystem", "Kommunens fagsystem til beskæftigelsesindsatsen", JOBCENTRES_2009));
        items.add(current(2, "A-kassesystem", "En arbejdsløshedskasses medlemssystem", LocalDate.of(2010, 1, 1)));
        items.add(current(3, "Kommunalt ydelsessystem", "Kommunens system til udbetaling af ydelser",
                LocalDate.of(2012, 1, 1)));
        items.add(current(4, "Selvbetjening", "Borgerens og virksomhedens selvbetjening", LocalDate.of(2011, 6, 1)));
        items.add(expired(5, "Statsligt jobcentersystem", "Det statslige fagsystem fra før kommunaliseringen",
                REFORM_2007, summerPast()));
        items.add(expired(6, "Lokalt klientsystem", "Et udfaset lokalt klientsystem", REFORM_2007, winterPast()));
        items.add(future(7, "Fælles klientsystem", "Et klientsystem, der tages i brug senere", winterFuture()));
        return items;
    }

    private List<CodeListItem> activationTypes() {
        String[] current = {"Vejledning og opkvalificering", "Virksomhedspraktik", "Løntilskud, privat arbejdsgiver",
                "Løntilskud, offentlig arbejdsgiver", "Nytteindsats", "Jobrotation", "Mentorstøtte", "Voksenlærling",
                "Ordinær uddannelse"};
        List<CodeListItem> items = new ArrayList<>();
        for (int i = 0; i < current.length; i++) {
            items.add(current(i + 1, current[i], "Tilbud efter lov om en aktiv beskæftigelsesindsats: " + current[i],
                    i % 2 == 0 ? REFORM_2007 : LocalDate.of(2015, 7, 1)));
        }
        items.add(expired(10, "Realkompetencevurdering", "Udfaset tilbudstype", REFORM_2007, summerPast()));
        items.add(expired(11, "Seks ugers jobrettet uddannelse", "Udfaset tilbudstype", LocalDate.of(2011, 1, 1),
                winterPast()));
        items.add(future(12, "Virksomhedsrettet opkvalificering", "Tilbudstype, der træder i kraft senere",
                summerFuture()));
        items.add(future(13, "Særlig indsats for langtidsledige", "Tilbudstype, der træder i kraft senere",
                winterFuture()));
        return items;
    }

    private List<CodeListItem> jobcentres() {
        List<CodeListItem> items = new ArrayList<>();
        boolean summer = true;
        for (Map.Entry<Integer, String> m : MUNICIPALITIES.entrySet()) {
            String name = "Jobcenter " + m.getValue();
            String description = "Jobcentret i " + m.getValue() + " Kommune";
            if (SHARED_JOBCENTRE.contains(m.getKey())) {
                // now served by a neighbour's jobcentre: expired, at summer and winter boundaries in turn
                items.add(expired(m.getKey(), name, description + " (nu betjent af et andet jobcenter)",
                        JOBCENTRES_2009, summer ? summerPast() : winterPast()));
                summer = !summer;
            } else {
                items.add(current(m.getKey(), name, description, JOBCENTRES_2009));
            }
        }
        items.add(future(1001, "Jobcenter Storstrøm", "Et fælles jobcenter, der oprettes senere", winterFuture()));
        items.add(future(1002, "Jobcenter Vestfyn", "Et fælles jobcenter, der oprettes senere", summerFuture()));
        return items;
    }

    private List<CodeListItem> unemploymentFunds() {
        String[] current = {"3F A-kasse", "Akademikernes A-kasse", "Akasse for Selvstændige (ASE)",
                "Business Danmark A-kasse", "CA a-kasse", "Det Faglige Hus A-kasse", "El-fagets A-kasse",
                "FOA's A-kasse", "Frie Funktionærers A-kasse", "Fødevareforbundet NNF's A-kasse", "HK Danmarks A-kasse",
                "Journalistik, Kommunikation og Sprog A-kasse", "Krifa A-kasse", "Ledernes A-kasse",
                "Lærernes A-kasse", "Magistrenes A-kasse", "Metalarbejdernes A-kasse", "Min A-kasse",
                "Socialpædagogernes A-kasse", "Teknikernes A-kasse", "Blik- og Rørarbejdernes A-kasse",
                "Børne- og Ungdomspædagogernes A-kasse"};
        List<CodeListItem> items = new ArrayList<>();
        for (int i = 0; i < current.length; i++) {
            items.add(current(i + 1, current[i], "Statsanerkendt arbejdsløshedskasse: " + current[i],
                    i % 3 == 0 ? LocalDate.of(2008, 7, 1) : REFORM_2007));
        }
        items.add(expired(40, "Træ-Industri-Byg A-kasse", "Lagt sammen med en anden a-kasse", REFORM_2007,
                summerPast()));
        items.add(expired(41, "Ingeniørernes A-kasse", "Lagt sammen med en anden a-kasse", REFORM_2007, winterPast()));
        items.add(expired(42, "Funktionærernes og Tjenestemændenes A-kasse", "Skiftet navn",
                LocalDate.of(2008, 7, 1), LocalDate.of(2019, 1, 1)));
        items.add(future(50, "Ny Fælles A-kasse", "En a-kasse, der godkendes senere", summerFuture()));
        return items;
    }

    private List<CodeListItem> municipalities(Map<Integer, String> current) {
        List<CodeListItem> items = new ArrayList<>();
        current.forEach((code, name) -> items.add(current(code, name, name + " Kommune", REFORM_2007)));
        // the municipalities before the reform; their names are generated
        int added = 0;
        for (int code = 103; added < FORMER_MUNICIPALITIES; code += 3) {
            if (!current.containsKey(code)) {
                items.add(expired(code, "Tidligere kommune " + code,
                        "Kommune nedlagt ved kommunalreformen 1. januar 2007", LocalDate.of(1970, 4, 1), REFORM_2007));
                added++;
            }
        }
        items.add(future(999, "Ny kommune", "En kommune, der oprettes senere", winterFuture()));
        return items;
    }

    private List<CodeListItem> clientCategories() {
        String[] current = {"Dagpengemodtager", "Jobparat kontanthjælpsmodtager",
                "Aktivitetsparat kontanthjælpsmodtager", "Uddannelsesparat uddannelseshjælpsmodtager",
                "Aktivitetsparat uddannelseshjælpsmodtager", "Sygedagpengemodtager", "Ledighedsydelsesmodtager",
                "Revalidend", "Ressourceforløb", "Jobafklaringsforløb"};
        List<CodeListItem> items = new ArrayList<>();
        for (int i = 0; i < current.length; i++) {
            items.add(current(i + 1, current[i], "Målgruppe i beskæftigelsesindsatsen: " + current[i],
                    i < 6 ? REFORM_2007 : LocalDate.of(2014, 7, 1)));
        }
        items.add(expired(11, "Integrationsydelsesmodtager", "Udfaset målgruppe", LocalDate.of(2016, 7, 1),
                summerPast()));
        items.add(future(12, "Selvforsørgende ledig", "Målgruppe, der indføres senere", winterFuture()));
        return items;
    }

    private CodeListItem current(int id, String name, String description, LocalDate start) {
        return item(id, name, description, start, null);
    }

    private CodeListItem expired(int id, String name, String description, LocalDate start, LocalDate end) {
        return item(id, name, description, start, end);
    }

    private CodeListItem future(int id, String name, String description, LocalDate start) {
        return item(id, name, description, start, null);
    }

    /**
     * Boundaries at midnight in Copenhagen; every other item has its dates with an offset, every other as local time
     * (both DFDG forms). No end: {@link CodeListItem#OPEN_END}.
     */
    private CodeListItem item(int id, String name, String description, LocalDate start, LocalDate end) {
        boolean offset = counter++ % 2 == 1;
        return new CodeListItem(id, name, description, lexical(start, offset),
                end == null ? CodeListItem.OPEN_END : lexical(end, offset));
    }

    private static String lexical(LocalDate day, boolean offset) {
        Instant midnight = day.atStartOfDay(CodeListItem.COPENHAGEN).toInstant();
        return offset ? CodeListItem.withOffset(midnight) : CodeListItem.withoutOffset(midnight);
    }

    private LocalDate winterPast() {
        return LocalDate.of(year, 1, 1);
    }

    private LocalDate summerPast() {
        return LocalDate.of(year - 1, 7, 1);
    }

    private LocalDate winterFuture() {
        return LocalDate.of(year + 1, 1, 1);
    }

    private LocalDate summerFuture() {
        return LocalDate.of(year + 1, 7, 1);
    }

    private static Map<Integer, String> municipalities() {
        String all = """
                101 København|147 Frederiksberg|151 Ballerup|153 Brøndby|155 Dragør|157 Gentofte|159 Gladsaxe|\
                161 Glostrup|163 Herlev|165 Albertslund|167 Hvidovre|169 Høje-Taastrup|173 Lyngby-Taarbæk|\
                175 Rødovre|183 Ishøj|185 Tårnby|187 Vallensbæk|190 Furesø|201 Allerød|210 Fredensborg|\
                217 Helsingør|219 Hillerød|223 Hørsholm|230 Rudersdal|240 Egedal|250 Frederikssund|253 Greve|\
                259 Køge|260 Halsnæs|265 Roskilde|269 Solrød|270 Gribskov|306 Odsherred|316 Holbæk|320 Faxe|\
                326 Kalundborg|329 Ringsted|330 Slagelse|336 Stevns|340 Sorø|350 Lejre|360 Lolland|370 Næstved|\
                376 Guldborgsund|390 Vordingborg|400 Bornholm|410 Middelfart|420 Assens|430 Faaborg-Midtfyn|\
                440 Kerteminde|450 Nyborg|461 Odense|479 Svendborg|480 Nordfyns|482 Langeland|492 Ærø|\
                510 Haderslev|530 Billund|540 Sønderborg|550 Tønder|561 Esbjerg|563 Fanø|573 Varde|575 Vejen|\
                580 Aabenraa|607 Fredericia|615 Horsens|621 Kolding|630 Vejle|657 Herning|661 Holstebro|\
                665 Lemvig|671 Struer|706 Syddjurs|707 Norddjurs|710 Favrskov|727 Odder|730 Randers|740 Silkeborg|\
                741 Samsø|746 Skanderborg|751 Aarhus|756 Ikast-Brande|760 Ringkøbing-Skjern|766 Hedensted|\
                773 Morsø|779 Skive|787 Thisted|791 Viborg|810 Brønderslev|813 Frederikshavn|820 Vesthimmerlands|\
                825 Læsø|840 Rebild|846 Mariagerfjord|849 Jammerbugt|851 Aalborg|860 Hjørring""";
        return java.util.Arrays.stream(all.split("\\|")).map(String::trim)
                .collect(Collectors.toMap(s -> Integer.parseInt(s.substring(0, s.indexOf(' '))),
                        s -> s.substring(s.indexOf(' ') + 1), (a, b) -> a, LinkedHashMap::new));
    }
}
