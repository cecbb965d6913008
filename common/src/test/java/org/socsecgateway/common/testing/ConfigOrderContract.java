package org.socsecgateway.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.config.SmallRyeConfig;

/**
 * The usual order holds for a service's file given through {@code quarkus.config.locations}: {@code -D} system
 * properties and environment variables override it, it overrides the built-in application.properties. Loaded as
 * local-stack.sh does ({@code -Dquarkus.config.locations}) and as the Helm chart does ({@code QUARKUS_CONFIG_LOCATIONS});
 * without its {@code config_ordinal} the file took the ordinal of the source naming it and won (or tied).
 * Each service's {@code ConfigOrderTest} extends this with its own local file.
 */
public abstract class ConfigOrderContract {

    private static final String ISSUER = "mp.jwt.verify.issuer";
    private static final String JSON_LOGS = "quarkus.log.console.json.enabled";

    /** The service's name, as in {@code local/<service>.properties}. */
    protected abstract String service();

    /** A key that only the local file sets, and its value there: the rest of the file still applies. */
    protected abstract Map.Entry<String, String> untouchedKey();

    private Path file() {
        return ConfigLocations.localFile(service());
    }

    @Test
    void theFileAloneSetsItsValuesAboveTheBuiltInDefaults() {
        SmallRyeConfig config = ConfigLocations.load(file(), true, Map.of(), Map.of());

        assertThat(config.getValue(ISSUER, String.class)).isEqualTo("https://localhost:8444");
        assertThat(config.getValue(JSON_LOGS, Boolean.class)).isFalse();
        assertThat(config.getConfigValue(ISSUER).getSourceOrdinal()).isBetween(251, 299); // above application.properties (250)
    }

    @Test
    void systemPropertiesOverrideTheFile() {
        for (boolean locationsFromSystemProps : new boolean[] { true, false }) {
            SmallRyeConfig config = ConfigLocations.load(file(), locationsFromSystemProps,
                    Map.of(ISSUER, "https://issuer.from.system.property", JSON_LOGS, "true"), Map.of());

            assertThat(config.getValue(ISSUER, String.class)).isEqualTo("https://issuer.from.system.property");
            assertThat(config.getValue(JSON_LOGS, Boolean.class)).isTrue();
            assertThat(config.getValue(untouchedKey().getKey(), String.class)).as("the rest still from the file")
                    .isEqualTo(untouchedKey().getValue());
        }
    }

    @Test
    void environmentVariablesOverrideTheFile() {
        for (boolean locationsFromSystemProps : new boolean[] { true, false }) {
            SmallRyeConfig config = ConfigLocations.load(file(), locationsFromSystemProps, Map.of(),
                    Map.of("MP_JWT_VERIFY_ISSUER", "https://issuer.from.env", "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true"));

            assertThat(config.getValue(ISSUER, String.class)).isEqualTo("https://issuer.from.env");
            assertThat(config.getValue(JSON_LOGS, Boolean.class)).isTrue();
        }
    }

    /** Why the file declares its ordinal: otherwise it ranks with the source that named it, above or level with -D and env. */
    @Test
    void withoutItsOwnOrdinalTheFileWouldRankWithTheSourceNamingIt(@TempDir Path dir) throws Exception {
        Path bare = Files.writeString(dir.resolve("bare.properties"),
                Files.readString(file()).replaceAll("(?m)^config_ordinal=.*$", ""));

        assertThat(ConfigLocations.load(bare, true, Map.of(), Map.of()).getConfigValue(ISSUER).getSourceOrdinal())
                .isEqualTo(ConfigLocations.SYSTEM_PROPERTIES);
        assertThat(ConfigLocations.load(bare, false, Map.of(), Map.of()).getConfigValue(ISSUER).getSourceOrdinal())
                .isEqualTo(ConfigLocations.ENVIRONMENT);
    }
}
