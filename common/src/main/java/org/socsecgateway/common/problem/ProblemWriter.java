package org.socsecgateway.common.problem;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import jakarta.inject.Inject;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes a {@link Problem} as {@code application/problem+json} whatever media type was negotiated: errors
 * raised before a resource method runs (for example while reading the body) would otherwise take the method's
 * {@code @Produces} type.
 */
@Provider
@Produces({ Problem.MEDIA_TYPE, MediaType.APPLICATION_JSON, MediaType.WILDCARD })
public class ProblemWriter implements MessageBodyWriter<Problem> {

    @Inject
    ObjectMapper json;

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return Problem.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(Problem problem, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        headers.putSingle(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        json.writeValue(out, problem);
    }
}
