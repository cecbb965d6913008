package org.socsecgateway.common.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.PropertiesLocationConfigSourceFactory;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Builds a configuration the way a service sees it when its properties file is given through
 * {@code quarkus.config.locations} (Quarkus relocates it to {@code smallrye.config.locations}, read by SmallRye's
 * {@link PropertiesLocationConfigSourceFactory}): as a {@code -D} system property (ordinal 400, local-stack.sh) or
 * as the environment variable {@code QUARKUS_CONFIG_LOCATIONS} (300, the Helm chart), next to other system
 * properties and environment variables. The file lands at the ordinal it declares ({@code config_ordinal}), or
 * else at the ordinal of the source that named it.
 */
public final class ConfigLocations {

    public static final int SYSTEM_PROPERTIES = 400;
    public static final int ENVIRONMENT = 300;

    private ConfigLocations() {
    }

    /**
     * @param file                    the properties file
     * @param locationsFromSystemProps {@code true}: {@code -Dquarkus.config.locations=file}; {@code false}:
     *                                {@code QUARKUS_CONFIG_LOCATIONS=file}
     * @param systemProperties        other {@code -D} properties
     * @param environment             other environment variables, by their environment names (e.g. {@code MP_JWT_VERIFY_ISSUER})
     */
    public static SmallRyeConfig load(Path file, boolean locationsFromSystemProps, Map<String, String> systemProperties,
            Map<String, String> environment) {
        Map<String, String> sys = new HashMap<>(systemProperties);
        Map<String, String> env = new HashMap<>(environment);
        String location = file.toAbsolutePath().toUri().toString();
        if (locationsFromSystemProps) {
            sys.put("smallrye.config.locations", location);
        } else {
            env.put("SMALLRYE_CONFIG_LOCATIONS", location);
        }
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(sys, "SysPropConfigSource (test)", SYSTEM_PROPERTIES))
                .withSources(new EnvConfigSource(env, ENVIRONMENT))
                .withSources(new PropertiesLocationConfigSourceFactory())
                .build();
    }

    /** The repository's {@code local/<service>.properties}, seen from a module's directory (Maven's working directory). */
    public static Path localFile(String service) {
        return Path.of("..", "local", service + ".properties");
    }
}
