package org.socsecgateway.simulators.wsrm;

import java.util.Arrays;
import java.util.Locale;

/**
 * The WsrmMessageService operations the fake DFDG WSRM service hands messages out through; the inventory names
 * them ({@code ServiceName}). All but InterviewDeadline concern a citizen (a CPR number).
 */
public enum MessageService {
    INDKALDELSE("GetIndkaldelseVersion1", true),
    CONTACT_GROUP("GetContactGroupVersion4", true),
    MEMBERSHIP_CANCELLATION("GetMembershipCancellationVersion1", true),
    INTERVIEW_DEADLINE("GetInterviewDeadlineVersion2", false),
    UNEMPLOYED_REGISTRATION("GetUnemployedRegistrationVersion2", true);

    private final String serviceName;
    private final boolean concernsCitizen;

    MessageService(String serviceName, boolean concernsCitizen) {
        this.serviceName = serviceName;
        this.concernsCitizen = concernsCitizen;
    }

    /** The operation name, as the inventory's {@code ServiceName} and the WSDL call it. */
    public String serviceName() {
        return serviceName;
    }

    /** Whether its messages carry a CPR number. */
    public boolean concernsCitizen() {
        return concernsCitizen;
    }

    /** By operation name ({@code GetIndkaldelseVersion1}) or constant name ({@code INDKALDELSE}), any case. */
    public static MessageService of(String name) {
        return Arrays.stream(values())
                .filter(s -> s.serviceName.equalsIgnoreCase(name) || s.name().equals(name.toUpperCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown WSRM message service: " + name
                        + " (known: " + Arrays.stream(values()).map(MessageService::serviceName).toList() + ")"));
    }
}
