package org.socsecgateway.bcssproxy.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.socsecgateway.common.http.MethodTag;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Every {@code method} tag of this service's metrics from a fixed set ({@link MethodTag}): Quarkus' own
 * {@code http_server_requests_seconds} takes it from the request line, where any made-up token would open a new
 * series for anyone who can reach the port.
 */
@Singleton
public class BoundedMethodTag {

    @Produces
    @Singleton
    MeterFilter boundedMethod() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String method = id.getTag("method");
                if (method == null || MethodTag.of(method).equals(method)) {
                    return id;
                }
                return id.replaceTags(id.getTags().stream()
                        .map(tag -> tag.getKey().equals("method") ? Tag.of("method", MethodTag.OTHER) : tag)
                        .toList());
            }
        };
    }
}
