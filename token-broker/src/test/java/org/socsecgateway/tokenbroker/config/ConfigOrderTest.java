package org.socsecgateway.tokenbroker.config;

import java.util.Map;

import org.socsecgateway.common.testing.ConfigOrderContract;

/** {@code local/token-broker.properties}: -D and environment variables override it (see {@link ConfigOrderContract}). */
class ConfigOrderTest extends ConfigOrderContract {

    @Override
    protected String service() {
        return "token-broker";
    }

    @Override
    protected Map.Entry<String, String> untouchedKey() {
        return Map.entry("broker.client.id", "partenaire:federal:service:bus:client:confidential");
    }
}
