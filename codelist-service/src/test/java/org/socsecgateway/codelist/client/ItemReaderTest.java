package org.socsecgateway.codelist.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.socsecgateway.codelist.config.CodeListConfig;
import org.w3c.dom.Element;

class ItemReaderTest {

    private static final CodeListConfig.Items NAMES = new DefaultItemNames();

    @Test
    void itemsAreFoundUnderAnyWrapperAlsoWithFieldsMissingAndExtraElementsAreIgnored() throws Exception {
        Element body = parse("""
                <r:GetXCodeListResponse xmlns:r="urn:answer" xmlns:b="urn:base" xmlns:o="urn:other">
                  <r:Whatever><r:Nested>
                    <b:CodeListItem>
                      <b:Identifier> 101 </b:Identifier><b:Name>København</b:Name><b:Description>Københavns Kommune</b:Description>
                      <b:StartDate>2007-01-01T00:00:00</b:StartDate><b:EndDate>9999-12-31T23:59:59</b:EndDate>
                      <o:Extra><b:Identifier>7</b:Identifier><b:StartDate>x</b:StartDate></o:Extra><b:Later>new</b:Later>
                    </b:CodeListItem>
                    <Item><Identifier>147</Identifier><StartDate>2007-01-01T00:00:00+01:00</StartDate></Item>
                    <Item><Identifier>151</Identifier><Name>no dates</Name></Item>
                    <NotAnItem><Identifier>7</Identifier></NotAnItem>
                  </r:Nested></r:Whatever>
                </r:GetXCodeListResponse>""");
        List<RawItem> items = new ItemReader(NAMES).read(body);
        assertThat(items).containsExactly(
                new RawItem("101", "København", "Københavns Kommune", "2007-01-01T00:00:00", "9999-12-31T23:59:59"),
                new RawItem("147", null, null, "2007-01-01T00:00:00+01:00", null),
                new RawItem("151", "no dates", null, null, null));
    }

    @Test
    void anAnswerWithoutItemsIsAnEmptyList() throws Exception {
        assertThat(new ItemReader(NAMES).read(parse("<a><CodeListItemCollection/></a>"))).isEmpty();
    }

    private static Element parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                .getDocumentElement();
    }

    /** The defaults of codelist.items.* (a named class: Quarkus's build does not take anonymous ones in tests). */
    static final class DefaultItemNames implements CodeListConfig.Items {
        @Override
        public String identifier() {
            return "Identifier";
        }

        @Override
        public String name() {
            return "Name";
        }

        @Override
        public String description() {
            return "Description";
        }

        @Override
        public String startDate() {
            return "StartDate";
        }

        @Override
        public String endDate() {
            return "EndDate";
        }
    }
}
