package org.socsecgateway.codelist.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.socsecgateway.codelist.config.CodeListConfig;
import org.socsecgateway.dfdg.soap.OpenContent;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Finds the items of a {@code Get<Xxx>CodeList} answer by local name, whatever DFDG's wrappers are called (they are
 * not public, docs/partners.md "Code lists"): an item is any element with an {@code Identifier} child and at least one
 * other item field ({@code Name}, {@code Description}, {@code StartDate}, {@code EndDate}), so an item that lacks a
 * field is still found (and refused by validation) rather than silently dropped. Other children, in any namespace, are
 * ignored.
 */
final class ItemReader {

    private final CodeListConfig.Items names;

    ItemReader(CodeListConfig.Items names) {
        this.names = names;
    }

    /** The items under {@code body}, in document order. */
    List<RawItem> read(Element body) {
        List<RawItem> items = new ArrayList<>();
        collect(body, items);
        return items;
    }

    private void collect(Element element, List<RawItem> items) {
        Optional<String> identifier = OpenContent.childText(element, names.identifier());
        if (identifier.isPresent()) {
            RawItem item = new RawItem(identifier.get(), field(element, names.name()), field(element, names.description()),
                    field(element, names.startDate()), field(element, names.endDate()));
            if (item.name() != null || item.description() != null || item.startDate() != null || item.endDate() != null) {
                items.add(item);
                return;
            }
        }
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                collect(child, items);
            }
        }
    }

    private static String field(Element item, String localName) {
        return OpenContent.childText(item, localName).orElse(null);
    }
}
