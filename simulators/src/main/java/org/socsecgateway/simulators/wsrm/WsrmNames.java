package org.socsecgateway.simulators.wsrm;

import javax.xml.namespace.QName;
import java.util.Objects;

/**
 * The names DFDG's WSRM documentation does not pin down (docs/partners.md "WSRM (the pull queue)": configuration, not
 * code): the header blocks and the namespace of the Close/Terminate/Acknowledgement answers' elements
 * ({@code Identifier}, {@code TerminateSequenceCorrect}, {@code MissingRangeCollection/MissingRange@Lower@Upper},
 * {@code AckCorrect}). The headers' children ({@code Identifier}, {@code MessageNumber}) are in their header's
 * namespace.
 *
 * @param sequenceRequest  the request header naming the sequence on each Get call: {@code SequenceRequest{Identifier}}
 * @param sequenceResponse the answer header of each Get call: {@code SequenceResponse{Identifier, MessageNumber}}
 * @param ackRequested     the answer header asking for an acknowledgement: {@code AckRequested{Identifier}}
 * @param answerNamespace  namespace of the open-content answer elements
 */
public record WsrmNames(QName sequenceRequest, QName sequenceResponse, QName ackRequested, String answerNamespace) {

    /** The 2006 WS-RM draft namespace DFDG's CreateSequence uses. */
    public static final String WSRM_NS = "http://docs.oasis-open.org/ws-rx/wsrm/200602";

    /** All in {@value #WSRM_NS}, with the names of the DFDG guide. */
    public static final WsrmNames DEFAULT = new WsrmNames(new QName(WSRM_NS, "SequenceRequest"),
            new QName(WSRM_NS, "SequenceResponse"), new QName(WSRM_NS, "AckRequested"), WSRM_NS);

    public WsrmNames {
        Objects.requireNonNull(sequenceRequest, "sequenceRequest");
        Objects.requireNonNull(sequenceResponse, "sequenceResponse");
        Objects.requireNonNull(ackRequested, "ackRequested");
        Objects.requireNonNull(answerNamespace, "answerNamespace");
    }
}
