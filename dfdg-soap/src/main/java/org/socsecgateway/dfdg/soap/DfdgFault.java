package org.socsecgateway.dfdg.soap;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.xml.ws.soap.SOAPFaultException;

import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.transport.http.HTTPException;
import org.socsecgateway.dfdg.contract.fault.FaultDetails;
import org.w3c.dom.Element;

/**
 * What went wrong in a DFDG call, in terms an operator and a retry decision need: a {@code FaultDetails} fault with
 * its {@code ErrorCode} (DFDG guide §3.5, docs/partners.md: log every fault with its code), another SOAP fault (e.g.
 * WCF's {@code ActionNotSupported}), an HTTP error without SOAP (an HTML 503 from a proxy), an empty answer, or a
 * transport failure (refused, reset, timed out). Built from whatever CXF threw by {@link #of(Throwable)}.
 *
 * @param kind      the class of failure
 * @param errorCode DFDG's {@code ErrorCode}, for {@link Kind#FAULT_DETAILS} only
 * @param status    the HTTP status when known, else 0
 * @param reason    a short description safe to log: DFDG's message with anything like a CPR number masked
 */
public record DfdgFault(Kind kind, Integer errorCode, int status, String reason) {

    /** The class of failure. */
    public enum Kind {
        /** A SOAP fault with {@code FaultDetails}: DFDG refused the call and said why. */
        FAULT_DETAILS,
        /** A SOAP fault without {@code FaultDetails} (wrong action, a WCF-level fault). */
        SOAP_FAULT,
        /** An HTTP error status with no SOAP in it (a gateway's HTML page). */
        HTTP_ERROR,
        /** A 2xx with no SOAP envelope in it (empty, truncated, not XML). */
        EMPTY_ANSWER,
        /** No answer: connection refused or reset, TLS failure, timeout. */
        TRANSPORT
    }

    /** ErrorCodes that mean the configuration is wrong (logon failed, insufficient permissions, not authorised): no fast retry helps [guess]. */
    public static final Set<Integer> CONFIGURATION_CODES = Set.of(1012, 1013, 4575);

    /** A CPR number, with or without the dash, so it never reaches a log line through a fault message. */
    private static final Pattern CPR = Pattern.compile("(?<![0-9A-Za-z])[0-9]{6}-?[0-9]{4}(?![0-9A-Za-z])");
    private static final int MAX_REASON = 300;

    /** A failure for an answer that had no envelope at all. */
    public static DfdgFault emptyAnswer() {
        return new DfdgFault(Kind.EMPTY_ANSWER, null, 200, "the answer had no SOAP body");
    }

    /** True when DFDG answered with a SOAP fault (with or without FaultDetails), false when no answer came. */
    public boolean sentByDfdg() {
        return kind == Kind.FAULT_DETAILS || kind == Kind.SOAP_FAULT;
    }

    /** True when the ErrorCode says the configuration (certificate, organisation, permissions) is wrong. */
    public boolean configurationProblem() {
        return errorCode != null && CONFIGURATION_CODES.contains(errorCode);
    }

    /** A bounded label value for metrics: the ErrorCode, or the kind for failures without one. */
    public String codeLabel() {
        return errorCode != null ? String.valueOf(errorCode) : kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** One line for the log: kind, code, status and the masked reason. */
    public String describe() {
        StringBuilder text = new StringBuilder(kind.name());
        if (errorCode != null) {
            text.append(" ErrorCode=").append(errorCode);
        }
        if (status > 0) {
            text.append(" status=").append(status);
        }
        if (reason != null && !reason.isEmpty()) {
            text.append(": ").append(reason);
        }
        return text.toString();
    }

    /**
     * Classifies what a CXF call threw: a generated {@code FaultDetailsFault}, a {@link SOAPFaultException} or
     * {@link SoapFault} (with or without a {@code FaultDetails} detail), an {@link HTTPException}, an
     * {@link IOException} anywhere in the causes. Anything else is a transport failure described by its class.
     */
    public static DfdgFault of(Throwable thrown) {
        if (unreadable(thrown)) {
            // CXF's own fault for an answer it could not parse (an empty 200, a truncated body), however the proxy or
            // the client wraps it: not DFDG's
            return new DfdgFault(Kind.EMPTY_ANSWER, null, 0, "the answer is not a SOAP envelope");
        }
        int status = 0;
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Optional<FaultDetails> declared = declaredFaultInfo(t);
            if (declared.isPresent()) {
                FaultDetails info = declared.get();
                return new DfdgFault(Kind.FAULT_DETAILS, info.getErrorCode(), 500, safe(info.getMessage()));
            }
            if (t instanceof SOAPFaultException soap) {
                Element detail = soap.getFault() == null ? null : soap.getFault().getDetail();
                return fromFault(detail, soap.getFault() == null ? soap.getMessage() : soap.getFault().getFaultString());
            }
            if (t instanceof SoapFault soap) {
                return fromFault(soap.getDetail(), soap.getMessage());
            }
            if (t instanceof HTTPException http) {
                return new DfdgFault(Kind.HTTP_ERROR, null, http.getResponseCode(), safe(http.getResponseMessage()));
            }
            if (t instanceof IOException io) {
                String message = io.getMessage();
                if (message != null && message.contains("HTTP response '")) {
                    status = statusIn(message);
                    if (status > 0) {
                        return new DfdgFault(Kind.HTTP_ERROR, null, status, safe(message));
                    }
                }
                return new DfdgFault(Kind.TRANSPORT, null, 0, io.getClass().getSimpleName()
                        + (message == null ? "" : ": " + safe(message)));
            }
        }
        return new DfdgFault(Kind.TRANSPORT, null, status, thrown.getClass().getSimpleName()
                + (thrown.getMessage() == null ? "" : ": " + safe(thrown.getMessage())));
    }

    private static DfdgFault fromFault(Element detail, String faultString) {
        if (detail != null) {
            Optional<String> code = OpenContent.text(java.util.List.of(detail), "ErrorCode");
            if (code.isPresent()) {
                try {
                    Optional<String> message = OpenContent.text(java.util.List.of(detail), "Message");
                    return new DfdgFault(Kind.FAULT_DETAILS, Integer.valueOf(code.get()), 500,
                            safe(message.orElse(faultString)));
                } catch (NumberFormatException e) {
                    // not DFDG's FaultDetails after all: reported as a plain SOAP fault
                }
            }
        }
        return new DfdgFault(Kind.SOAP_FAULT, null, 500, safe(faultString));
    }

    private static boolean unreadable(Throwable thrown) {
        for (Throwable c = thrown; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof javax.xml.stream.XMLStreamException) {
                return true;
            }
        }
        return false;
    }

    /** The generated fault exceptions of each DFDG contract carry the same {@link FaultDetails}. */
    private static Optional<FaultDetails> declaredFaultInfo(Throwable t) {
        if (t instanceof org.socsecgateway.dfdg.contract.wsrm.FaultDetailsFault f) {
            return Optional.ofNullable(f.getFaultInfo());
        }
        if (t instanceof org.socsecgateway.dfdg.contract.wsrmmessage.FaultDetailsFault f) {
            return Optional.ofNullable(f.getFaultInfo());
        }
        if (t instanceof org.socsecgateway.dfdg.contract.codelist.FaultDetailsFault f) {
            return Optional.ofNullable(f.getFaultInfo());
        }
        return Optional.empty();
    }

    private static int statusIn(String message) {
        int at = message.indexOf("HTTP response '");
        int start = at + "HTTP response '".length();
        int end = start;
        while (end < message.length() && Character.isDigit(message.charAt(end))) {
            end++;
        }
        try {
            return end > start ? Integer.parseInt(message.substring(start, end)) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Masks CPR-like numbers and control characters and bounds the length. */
    static String safe(String text) {
        if (text == null) {
            return "";
        }
        String masked = CPR.matcher(text).replaceAll("[cpr]");
        StringBuilder out = new StringBuilder(Math.min(masked.length(), MAX_REASON));
        for (int i = 0; i < masked.length() && out.length() < MAX_REASON; i++) {
            char c = masked.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString().trim();
    }
}
