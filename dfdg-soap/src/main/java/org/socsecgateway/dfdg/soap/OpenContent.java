package org.socsecgateway.dfdg.soap;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads answers whose shape DFDG has not published (WSRM's Close/Terminate/Acknowledgement answers, its headers) by
 * configured local names, in any namespace, at any depth: a real WSDL with other wrappers needs no code change.
 */
public final class OpenContent {

    private OpenContent() {
    }

    /** Every element named {@code localName} among {@code roots} and their descendants, in document order. */
    public static List<Element> elements(List<?> roots, String localName) {
        List<Element> found = new ArrayList<>();
        for (Object root : roots) {
            if (root instanceof Element e) {
                collect(e, localName, found);
            }
        }
        return found;
    }

    /** The trimmed text of the first element named {@code localName}, if there is one. */
    public static Optional<String> text(List<?> roots, String localName) {
        List<Element> found = elements(roots, localName);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0).getTextContent().trim());
    }

    /** The trimmed text of {@code element}'s first direct child named {@code localName}, if there is one. */
    public static Optional<String> childText(Element element, String localName) {
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child && localName.equals(localName(child))) {
                return Optional.of(child.getTextContent().trim());
            }
        }
        return Optional.empty();
    }

    /** The value of an attribute by local name, in no namespace or any. */
    public static Optional<String> attribute(Element element, String localName) {
        if (element.hasAttribute(localName)) {
            return Optional.of(element.getAttribute(localName).trim());
        }
        for (int i = 0; i < element.getAttributes().getLength(); i++) {
            Node a = element.getAttributes().item(i);
            if (localName.equals(a.getLocalName())) {
                return Optional.of(a.getNodeValue().trim());
            }
        }
        return Optional.empty();
    }

    /** An element's local name (its name when it was built without namespaces). */
    public static String localName(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getNodeName();
    }

    private static void collect(Element e, String localName, List<Element> found) {
        if (localName.equals(localName(e))) {
            found.add(e);
        }
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                collect(child, localName, found);
            }
        }
    }
}
