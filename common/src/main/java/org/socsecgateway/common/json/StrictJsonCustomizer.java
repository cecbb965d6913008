package org.socsecgateway.common.json;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * A request body is exactly one JSON value (RFC 8259 section 2): anything after it ({@code {...} x},
 * {@code {...}{...}}) makes the body malformed (400), rather than being silently ignored. Applies to every body that
 * Quarkus REST reads with Jackson in every service.
 */
@Singleton
public class StrictJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
