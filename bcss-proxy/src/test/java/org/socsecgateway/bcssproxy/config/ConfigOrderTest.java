package org.socsecgateway.bcssproxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.ConfigLocations;

import io.smallrye.config.SmallRyeConfig;

/**
 * The usual order holds for the file given through {@code quarkus.config.locations}: {@code -D} system properties
 * and environment variables override it, it overrides the built-in application.properties. Loaded as local-stack.sh
 * does ({@code -Dquarkus.config.locations}) and as the Helm chart does ({@code QUARKUS_CONFIG_LOCATIONS}); without
 * its {@code config_ordinal} the file took the ordinal of the source naming it and won (or tied).
 */
class ConfigOrderTest {

    private static final Path FILE = ConfigLocations.localFile("bcss-proxy");
    private static final String ISSUER = "mp.jwt.verify.issuer";
    private static final String JSON_LOGS = "quarkus.log.console.json.enabled";

    @Test
    void theFileAloneSetsItsValuesAboveTheBuiltInDefaults() {
        SmallRyeConfig config = ConfigLocations.load(FILE, true, Map.of(), Map.of());

        assertThat(config.getValue(ISSUER, String.class)).isEqualTo("https://localhost:8444");
        assertThat(config.getValue(JSON_LOGS, Boolean.class)).isFalse();
        assertThat(config.getConfigValue(ISSUER).getSourceOrdinal()).isBetween(251, 299); // above application.properties (250)
    }

    @Test
    void systemPropertiesOverrideTheFile() {
        for (boolean locationsFromSystemProps : new boolean[] { true, false }) {
            SmallRyeConfig config = ConfigLocations.load(FILE, locationsFromSystemProps,
                    Map.of(ISSUER, "https://issuer.from.system.property", JSON_LOGS, "true"), Map.of());

            assertThat(config.getValue(ISSUER, String.class)).isEqualTo("https://issuer.from.system.property");
            assertThat(config.getValue(JSON_LOGS, Boolean.class)).isTrue();
            assertThat(config.getValue("proxy.broker.url", String.class)).as("the rest still from the file")
                    .isEqualTo("http://127.0.0.1:8081");
        }
    }

    @Test
    void environmentVariablesOverrideTheFile() {
        for (boolean locationsFromSystemProps : new boolean[] { true, false }) {
            SmallRyeConfig config = ConfigLocations.load(FILE, locationsFromSystemProps, Map.of(),
                    Map.of("MP_JWT_VERIFY_ISSUER", "https://issuer.from.env", "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true"));

            assertThat(config.getValue(ISSUER, String.class)).isEqualTo("https://issuer.from.env");
            assertThat(config.getValue(JSON_LOGS, Boolean.class)).isTrue();
        }
    }
}
