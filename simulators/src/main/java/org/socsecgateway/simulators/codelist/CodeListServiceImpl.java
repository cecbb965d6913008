package org.socsecgateway.simulators.codelist;

import org.socsecgateway.dfdg.contract.codelist.CodeListService;
import org.socsecgateway.dfdg.contract.codelist.base.CodeListItemType;
import org.socsecgateway.dfdg.contract.codelist.types.CodeListItemCollectionType;
import org.socsecgateway.dfdg.contract.codelist.types.CodeListRequestType;
import org.socsecgateway.dfdg.contract.codelist.types.CodeListResponseType;
import org.socsecgateway.simulators.soap.SoapContext;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.datatype.XMLGregorianCalendar;

/**
 * The six operations of CodeListService over {@link CodeLists}. Items go into the JAXB types as they are, broken ones
 * included: the endpoint marshals without schema validation, so a too-long Name or an empty Description reaches the
 * wire as such, a missing StartDate (null) is left out, and a dateTime keeps its lexical form (with or without offset).
 */
final class CodeListServiceImpl implements CodeListService {

    /** Namespace of the second extra element: one the contract does not know. */
    static final String EXTENSION_NS = "http://service.bm.dk/pjaktass/2024/01/01/CodeListExtension/";
    static final String BASE_NS = "http://service.bm.dk/pjaktass/2013/06/07/CodeListBase/";

    private final CodeLists lists;
    private final DatatypeFactory datatypes;

    CodeListServiceImpl(CodeLists lists) {
        this.lists = lists;
        try {
            this.datatypes = DatatypeFactory.newInstance();
        } catch (DatatypeConfigurationException e) {
            throw new IllegalStateException("no XML datatype factory", e);
        }
    }

    @Override
    public CodeListResponseType getMunicipalityIdentifierCodeList(CodeListRequestType parameters) {
        return answer(DfdgCodeListSimulator.MUNICIPALITIES);
    }

    @Override
    public CodeListResponseType getJobcenterIdentifierCodeList(CodeListRequestType parameters) {
        return answer(DfdgCodeListSimulator.JOBCENTRES);
    }

    @Override
    public CodeListResponseType getActivationTypeIdentifierCodeList(CodeListRequestType parameters) {
        return answer(DfdgCodeListSimulator.ACTIVATION_TYPES);
    }

    @Override
    public CodeListResponseType getUnemploymentFundIdentifierCodeList(CodeListRequestType parameters) {
        return answer(DfdgCodeListSimulator.UNEMPLOYMENT_FUNDS);
    }

    @Override
    public CodeListResponseType getClientCategoryIdentifierCodeList(CodeListRequestType parameters) {
        return answer(DfdgCodeListSimulator.CLIENT_CATEGORIES);
    }

    @Override
    public CodeListResponseType getClientSystemTypeIdentifierTypeCodeList(CodeListRequestType parameters) {
        return answer(DfdgCodeListSimulator.CLIENT_SYSTEM_TYPES);
    }

    private CodeListResponseType answer(String operation) {
        boolean extras = lists.extraElements();
        CodeListItemCollectionType collection = new CodeListItemCollectionType();
        Document document = SoapContext.current().document();
        for (CodeListItem item : lists.served(operation)) {
            CodeListItemType type = new CodeListItemType();
            type.setIdentifier(item.identifier());
            type.setName(item.name());
            type.setDescription(item.description());
            type.setStartDate(dateTime(item.startDate()));
            type.setEndDate(dateTime(item.endDate()));
            if (extras) {
                type.getAny().add(text(document, BASE_NS, "cb:SortOrder", Integer.toString(item.identifier())));
                Element legacy = document.createElementNS(EXTENSION_NS, "ext:LegacyCode");
                legacy.setAttribute("system", "KMD");
                legacy.appendChild(text(document, EXTENSION_NS, "ext:Code", "L" + item.identifier()));
                legacy.appendChild(text(document, EXTENSION_NS, "ext:Note", "ignored by tolerant readers"));
                type.getAny().add(legacy);
            }
            collection.getCodeListItem().add(type);
        }
        CodeListResponseType response = new CodeListResponseType();
        response.setCodeListItemCollection(collection);
        return response;
    }

    private XMLGregorianCalendar dateTime(String lexical) {
        return lexical == null ? null : datatypes.newXMLGregorianCalendar(lexical);
    }

    private static Element text(Document document, String namespace, String qualifiedName, String text) {
        Element element = document.createElementNS(namespace, qualifiedName);
        element.setTextContent(text);
        return element;
    }
}
