package org.socsecgateway.tokenbroker.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.socsecgateway.tokenbroker.config.BrokerConfig;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** A real {@link BrokerConfig} (the mapping with its defaults) for unit tests, and a clock they can move. */
final class TestBrokerConfig {

    private TestBrokerConfig() {
    }

    static BrokerConfig with(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(Map.of(
                "broker.environment", "test",
                "broker.client.id", "partenaire:federal:service:bus:client:confidential",
                "broker.client.scopes", "scope:cbss:api:demo:consult"));
        all.putAll(properties);
        return new SmallRyeConfigBuilder()
                .withMapping(BrokerConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // "300s" as in the application
                .withSources(new PropertiesConfigSource(all, "test", 100))
                .build()
                .getConfigMapping(BrokerConfig.class);
    }

    /** A clock that stands still until moved. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
