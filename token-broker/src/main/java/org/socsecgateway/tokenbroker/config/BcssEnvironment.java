package org.socsecgateway.tokenbroker.config;

import java.net.URI;

/**
 * The three BCSS environments with the Smals OAuth v5 endpoints published for them (PARTNERS.md, from the
 * onboarding seed). Every URL stays overridable through {@link BrokerConfig.Endpoints}.
 */
public enum BcssEnvironment {
    TEST("https://professionalservices-int.socialsecurity.be/REST/oauth/v5/token",
            "https://services-int.socialsecurity.be/REST/oauth/v5/token",
            "https://oauth-v5.int.socialsecurity.be/.well-known/oauth-authorization-server"),
    ACPT("https://professionalservices-acpt.socialsecurity.be/REST/oauth/v5/token",
            "https://services-acpt.socialsecurity.be/REST/oauth/v5/token",
            "https://oauth-v5.acc.socialsecurity.be/.well-known/oauth-authorization-server"),
    PROD("https://professionalservices.socialsecurity.be/REST/oauth/v5/token",
            "https://services.socialsecurity.be/REST/oauth/v5/token",
            "https://oauth-v5.socialsecurity.be/.well-known/oauth-authorization-server");

    private final URI extranetTokenEndpoint;
    private final URI internetTokenEndpoint;
    private final URI metadata;

    BcssEnvironment(String extranetTokenEndpoint, String internetTokenEndpoint, String metadata) {
        this.extranetTokenEndpoint = URI.create(extranetTokenEndpoint);
        this.internetTokenEndpoint = URI.create(internetTokenEndpoint);
        this.metadata = URI.create(metadata);
    }

    public URI tokenEndpoint(Channel channel) {
        return channel == Channel.EXTRANET ? extranetTokenEndpoint : internetTokenEndpoint;
    }

    public URI metadata() {
        return metadata;
    }

    /** The network path to Smals: the social-security extranet (preferred by BCSS) or the internet. */
    public enum Channel {
        EXTRANET,
        INTERNET
    }
}
