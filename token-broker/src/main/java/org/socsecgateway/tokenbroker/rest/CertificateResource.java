package org.socsecgateway.tokenbroker.rest;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.socsecgateway.common.problem.ProblemException;
import org.socsecgateway.common.problem.ProblemType;
import org.socsecgateway.tokenbroker.service.SigningIdentity;
import org.socsecgateway.tokenbroker.service.SigningKeyHolder;

import io.quarkus.security.Authenticated;

/** The admin view of loaded certificates: what to send to BCSS at onboarding and when it expires. */
@Path("/v1/certificates")
@Authenticated
@SecurityRequirement(name = "caller")
@Tag(name = "certificates", description = "The JWT-signing certificate (never the key), for onboarding at BCSS and expiry checks")
public class CertificateResource {

    private final SigningKeyHolder keys;
    private final Clock clock;

    CertificateResource(SigningKeyHolder keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Loaded certificates: subject, serial, validity, SHA-256 thumbprint and public PEM")
    @APIResponse(responseCode = "200", description = "One entry per certificate; `loaded: false` and `problem` when the"
            + " key files are unusable")
    public List<CertificateView> list() {
        SigningKeyHolder.State state = keys.state();
        // a problem with the files on disk is shown next to the identity still in use
        return List.of(state.identity().map(identity -> view(identity, state.filesUsable() ? null : state.problem()))
                .orElseGet(() -> new CertificateView("jwt-signing", false, state.problem(),
                        null, null, null, null, null, null, null, null, null)));
    }

    @GET
    @Path("/jwt-signing.pem")
    @Produces("application/x-pem-file")
    @Operation(summary = "The JWT-signing certificate as PEM, ready to send to BCSS")
    @APIResponse(responseCode = "200", description = "The certificate (PEM)")
    @APIResponse(responseCode = "404", description = "No signing certificate is loaded")
    public String signingPem() {
        return keys.state().identity().map(SigningIdentity::certificatePem)
                .orElseThrow(() -> new ProblemException(ProblemType.RESOURCE_NOT_FOUND, "No signing certificate is loaded"));
    }

    private CertificateView view(SigningIdentity identity, String problem) {
        X509Certificate certificate = identity.certificate();
        return new CertificateView("jwt-signing", true, problem,
                certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(),
                certificate.getSerialNumber().toString(16),
                certificate.getNotBefore().toInstant(),
                identity.notAfter(),
                identity.daysLeft(clock.instant()),
                identity.sha256Hex(),
                identity.x5tS256(),
                identity.certificatePem());
    }
}
