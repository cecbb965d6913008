package org.socsecgateway.common.bcss;

import java.net.URI;

/**
 * The three BCSS environments with the endpoints published for them (docs/partners.md, "BCSS / KSZ (Belgium)": BCSS's
 * onboarding procedure, with its production REST hosts corrected). One place for the endpoint table; every URL stays
 * overridable in the services' configuration.
 */
public enum BcssEnvironment {
    TEST("https://professionalservices-int.socialsecurity.be/REST/oauth/v5/token",
            "https://services-int.socialsecurity.be/REST/oauth/v5/token",
            "https://oauth-v5.int.socialsecurity.be/.well-known/oauth-authorization-server",
            "https://b2b-test.ksz-bcss.fgov.be:4543",
            "https://api.test.ksz-bcss.fgov.be"),
    ACPT("https://professionalservices-acpt.socialsecurity.be/REST/oauth/v5/token",
            "https://services-acpt.socialsecurity.be/REST/oauth/v5/token",
            "https://oauth-v5.acc.socialsecurity.be/.well-known/oauth-authorization-server",
            "https://b2b-acpt.ksz-bcss.fgov.be:4543",
            "https://api.acpt.ksz-bcss.fgov.be"),
    PROD("https://professionalservices.socialsecurity.be/REST/oauth/v5/token",
            "https://services.socialsecurity.be/REST/oauth/v5/token",
            "https://oauth-v5.socialsecurity.be/.well-known/oauth-authorization-server",
            "https://b2b.ksz-bcss.fgov.be:4543",
            "https://api.ksz-bcss.fgov.be");

    private final URI extranetTokenEndpoint;
    private final URI internetTokenEndpoint;
    private final URI metadata;
    private final String extranetRestBase;
    private final String internetRestBase;

    BcssEnvironment(String extranetTokenEndpoint, String internetTokenEndpoint, String metadata,
            String extranetRestBase, String internetRestBase) {
        this.extranetTokenEndpoint = URI.create(extranetTokenEndpoint);
        this.internetTokenEndpoint = URI.create(internetTokenEndpoint);
        this.metadata = URI.create(metadata);
        this.extranetRestBase = extranetRestBase;
        this.internetRestBase = internetRestBase;
    }

    /** The Smals OAuth v5 token endpoint for the channel. */
    public URI tokenEndpoint(Channel channel) {
        return channel == Channel.EXTRANET ? extranetTokenEndpoint : internetTokenEndpoint;
    }

    /** The RFC 8414 metadata document of the Smals OAuth v5 server. */
    public URI metadata() {
        return metadata;
    }

    /** The base URL of a BCSS REST API for the channel, e.g. {@code https://b2b-test.ksz-bcss.fgov.be:4543/{api}}. */
    public URI restBase(Channel channel, String api) {
        return URI.create((channel == Channel.EXTRANET ? extranetRestBase : internetRestBase) + "/" + api);
    }

    /** The network path to BCSS: the social-security extranet (preferred by BCSS) or the internet. */
    public enum Channel {
        EXTRANET,
        INTERNET
    }
}
