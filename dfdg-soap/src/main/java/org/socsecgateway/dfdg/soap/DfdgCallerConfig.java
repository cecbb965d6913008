package org.socsecgateway.dfdg.soap;

import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Who calls DFDG: the values of the two headers every DFDG SOAP call carries (docs/partners.md "Security: mutual TLS
 * with OCES3 function certificates": {@code ActiveOrganisationHeader} and {@code RequestUserMetadataHeader}). Shared by
 * every service that calls DFDG.
 */
@ConfigMapping(prefix = "dfdg.caller")
public interface DfdgCallerConfig {

    /** The organisation type (1..100; STAR's own client sends 8 = jobcenter), in both headers. */
    @Min(1)
    @Max(100)
    int organisationType();

    /** The organisation's code in {@code ActiveOrganisationHeader} (1..20 characters). */
    @Size(min = 1, max = 20)
    String organisationCode();

    /**
     * The organisation's code in {@code RequestOrganisationStructure}: {@code -1} or 1..8 digits. Default: the
     * organisation code.
     */
    Optional<@Pattern(regexp = "-1|[0-9]{1,8}", message = "must be -1 or 1 to 8 digits") String> requestOrganisationCode();

    /** {@code UserFullName}: the system's name as DFDG should see it (1..140 characters). */
    @Size(min = 1, max = 140)
    String userFullName();

    /** {@code RequestUserTypeIdentifier}: 3 = system. */
    @WithDefault("3")
    @Min(1)
    int userType();

    /** {@code UserIdentifier}: the OCES3 function certificate's identity, {@code CVR:<8 digits>-UUID:<uuid>}. */
    @Pattern(regexp = "CVR:[0-9]{8}-UUID:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            message = "must be CVR:<8 digits>-UUID:<uuid>")
    String userIdentifier();

    /** {@code UserEmail}, optional. */
    Optional<@Size(min = 3, max = 254) String> userEmail();

    /**
     * {@code RegistrationDateTime} with the UTC offset (true), or as Danish local time without offset as STAR's own
     * client sends it (false). DFDG accepts both.
     */
    @WithDefault("true")
    boolean registrationTimeWithOffset();
}
