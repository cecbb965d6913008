package org.socsecgateway.common.auth;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.UnauthorizedException;

/**
 * The authenticated caller of the current request: the {@code sub} claim of its bearer JWT, which for a
 * Kubernetes ServiceAccount token is {@code system:serviceaccount:<namespace>:<name>}. Services authorise by it.
 */
@RequestScoped
public class CallerSubject {

    @Inject
    JsonWebToken token;

    public String get() {
        String subject = token.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new UnauthorizedException("The caller token has no subject");
        }
        return subject;
    }
}
