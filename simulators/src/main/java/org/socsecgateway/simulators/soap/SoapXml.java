package org.socsecgateway.simulators.soap;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;

/** Safe XML parsing and the XSDs of the DFDG contracts (from dfdg-soap's jar). */
public final class SoapXml {

    /** Reports nothing itself: every problem reaches the caller as the SAXException. */
    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private SoapXml() {
    }

    /** A namespace-aware parser that refuses DOCTYPEs (no DTDs, no external entities, no entity expansion). */
    public static DocumentBuilder secureBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            try {
                factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
                factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            } catch (IllegalArgumentException e) {
                // a parser without JAXP 1.5 attributes: refusing DOCTYPEs above already keeps external entities out
            }
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no secure XML parser available", e);
        }
    }

    public static Document parse(byte[] xml) throws SAXException, IOException {
        DocumentBuilder builder = secureBuilder();
        builder.setErrorHandler(SILENT); // the default handler prints to stderr
        return builder.parse(new ByteArrayInputStream(xml));
    }

    public static Document newDocument() {
        return secureBuilder().newDocument();
    }

    /**
     * Compiles XSDs from the class path (e.g. {@code wsdl/Wsrm.xsd}); their relative imports resolve next to them,
     * nothing else is fetched.
     */
    public static Schema schema(String... classpathResources) {
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file,jar");
            Source[] sources = new Source[classpathResources.length];
            for (int i = 0; i < sources.length; i++) {
                URL url = SoapXml.class.getClassLoader().getResource(classpathResources[i]);
                if (url == null) {
                    throw new IllegalArgumentException("no schema on the class path: " + classpathResources[i]);
                }
                sources[i] = new StreamSource(url.toExternalForm());
            }
            return factory.newSchema(sources);
        } catch (SAXException e) {
            throw new IllegalStateException("cannot compile the schemas: " + e.getMessage(), e);
        }
    }

    /**
     * The leaf values under an element, keyed by the slash-separated local names below it
     * ({@code RequestUserStructure/UserIdentifier}); the first occurrence wins.
     */
    public static Map<String, String> leafValues(Element element) {
        Map<String, String> values = new LinkedHashMap<>();
        collect(element, "", values);
        return values;
    }

    private static void collect(Element element, String prefix, Map<String, String> values) {
        boolean hasChildElement = false;
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                hasChildElement = true;
                collect(child, prefix + child.getLocalName() + "/", values);
            }
        }
        if (!hasChildElement && !prefix.isEmpty()) {
            values.putIfAbsent(prefix.substring(0, prefix.length() - 1), element.getTextContent().trim());
        }
    }
}
