package org.socsecgateway.bcssproxy.config;

import java.util.Map;

import org.socsecgateway.common.testing.ConfigOrderContract;

/** {@code local/bcss-proxy.properties}: -D and environment variables override it (see {@link ConfigOrderContract}). */
class ConfigOrderTest extends ConfigOrderContract {

    @Override
    protected String service() {
        return "bcss-proxy";
    }

    @Override
    protected Map.Entry<String, String> untouchedKey() {
        return Map.entry("proxy.broker.url", "http://127.0.0.1:8081");
    }
}
