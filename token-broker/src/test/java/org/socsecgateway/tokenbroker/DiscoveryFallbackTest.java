package org.socsecgateway.tokenbroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;
import static org.socsecgateway.tokenbroker.SimulatedBcss.scope;

import org.junit.jupiter.api.Test;
import org.socsecgateway.tokenbroker.SimulatedBcss.InjectBcss;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Without RFC 8414 metadata the broker uses the configured token endpoint. */
@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "metadata", value = "missing"))
class DiscoveryFallbackTest {

    @InjectBcss
    Bcss bcss;

    @Test
    void fallsBackToTheConfiguredTokenEndpointWhenTheMetadataCannotBeHad() {
        String token = TokenRequests.accessToken(bcss.callerToken(PROXY), scope(1));

        assertThat(bcss.oauth().introspect(token)).isPresent();
    }
}
