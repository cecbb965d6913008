package org.socsecgateway.wsbreceiver.config;

import java.util.Map;

import org.socsecgateway.common.testing.ConfigOrderContract;

/** {@code local/wsb-receiver.properties}: -D and environment variables override it (see {@link ConfigOrderContract}). */
class ConfigOrderTest extends ConfigOrderContract {

    @Override
    protected String service() {
        return "wsb-receiver";
    }

    @Override
    protected Map.Entry<String, String> untouchedKey() {
        return Map.entry("quarkus.datasource.username", "postgres");
    }
}
