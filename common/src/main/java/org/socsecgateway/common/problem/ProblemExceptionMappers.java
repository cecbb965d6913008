package org.socsecgateway.common.problem;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.socsecgateway.common.auth.CallerAuthFailureLog;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Turns every failure into problem+json. Messages of parser and framework exceptions are not echoed: they can
 * quote request content.
 */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    @Inject
    CallerAuthFailureLog authFailures;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.toResponse();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return malformedJsonProblem(e);
    }

    /** More specific than Quarkus' own mapper for this type, which would answer plain JSON. */
    @ServerExceptionMapper
    public Response wrongJsonShape(MismatchedInputException e) {
        return malformedJsonProblem(e);
    }

    private static Response malformedJsonProblem(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        return Problem.of(ProblemType.BAD_REQUEST, "The request body is not valid JSON for this operation" + where).toResponse();
    }

    @ServerExceptionMapper
    public Response invalidInput(ConstraintViolationException e) {
        List<Map<String, String>> issues = e.getConstraintViolations().stream()
                .map(ProblemExceptionMappers::issue)
                .toList();
        return Problem.of(ProblemType.BAD_REQUEST, "The input message is incorrect").with("issues", issues).toResponse();
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated(HttpHeaders headers, Request request, UriInfo uri) {
        boolean tokenPresent = headers.getHeaderString(HttpHeaders.AUTHORIZATION) != null;
        if (!tokenPresent) {
            // a failed token was logged with its reason by CallerAuthFailureLog; a missing one fails no authentication
            authFailures.noToken(request.getMethod(), uri.getPath());
        }
        Problem problem = tokenPresent
                ? Problem.of(ProblemType.INVALID_ACCESS_TOKEN, "The bearer token is invalid, expired or from an untrusted issuer")
                : Problem.of(ProblemType.NO_ACCESS_TOKEN, "A bearer token is required");
        return Response.status(401).type(Problem.MEDIA_TYPE).entity(problem)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(ProblemType.MISSING_PERMISSION, "The caller is not allowed to use this operation").toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException parsing) {
            return malformedJsonProblem(parsing); // the JSON reader wraps its parse errors
        }
        int status = e.getResponse().getStatus();
        ProblemType type = ProblemType.forStatus(status);
        Response.ResponseBuilder builder = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(type, type == ProblemType.RESOURCE_NOT_FOUND ? "No such resource" : type.title()));
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        if (allow != null) {
            builder.header(HttpHeaders.ALLOW, allow);
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.errorf(e, "Unexpected failure: %s", e.getClass().getName());
        return Problem.of(ProblemType.INTERNAL_SERVER_ERROR, "An unexpected error occurred").toResponse();
    }

    private static Map<String, String> issue(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // Drop the method and parameter prefix ("issue.request.scopes[0]") so the name matches the JSON body.
        String[] parts = path.split("\\.", 3);
        String name = parts.length == 3 ? parts[2] : path;
        return Map.of("type", "urn:problem-type:belgif:input-validation:schemaViolation",
                "in", "body", "name", name, "detail", violation.getMessage());
    }
}
