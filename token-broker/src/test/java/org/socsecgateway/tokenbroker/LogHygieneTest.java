package org.socsecgateway.tokenbroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.socsecgateway.tokenbroker.SimulatedBcss.CLIENT_ID;
import static org.socsecgateway.tokenbroker.SimulatedBcss.DEFAULT_SCOPE;
import static org.socsecgateway.tokenbroker.SimulatedBcss.PROXY;
import static org.socsecgateway.tokenbroker.SimulatedBcss.registeredScopes;
import static org.socsecgateway.tokenbroker.SimulatedBcss.scope;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.socsecgateway.common.testing.LogCapture;
import org.socsecgateway.tokenbroker.SimulatedBcss.InjectBcss;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every log line written while tokens are issued, refused and reported is checked for secrets. */
@QuarkusTest
@WithTestResource(value = SimulatedBcss.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LogHygieneTest {

    @InjectBcss
    Bcss bcss;

    private final LogCapture log = new LogCapture();

    @BeforeEach
    void listen() {
        log.start();
    }

    @AfterEach
    void stopListening() throws Exception {
        log.stop();
        bcss.oauth().registerClient(CLIENT_ID, bcss.pki().signingCert(), registeredScopes(), Set.of(DEFAULT_SCOPE));
    }

    @Test
    void noTokenAssertionOrKeyMaterialIsEverLogged() throws Exception {
        String caller = bcss.callerToken(PROXY);
        String accessToken = TokenRequests.accessToken(caller, scope(35));
        TokenRequests.reportRejected(caller, accessToken).then().statusCode(204);
        TokenRequests.accessToken(caller, scope(35));
        // A refusal by Smals and a failure are logged with their reasons: still without secrets.
        TestIdentities.Identity other = TestIdentities.generate(bcss.dir().resolve("hygiene"), "hygiene", Duration.ofDays(1));
        bcss.oauth().registerClient(CLIENT_ID, other.cert(), registeredScopes(), Set.of(DEFAULT_SCOPE));
        TokenRequests.tokenFor(caller, scope(36)).then().statusCode(502);
        TokenRequests.tokenFor("eyJhbGciOiJSUzI1NiJ9.garbage.signature", scope(36)).then().statusCode(401);

        assertThat(log.lines()).isNotEmpty();
        String all = log.all();
        assertThat(all).doesNotContain(caller, accessToken, "eyJ", "PRIVATE KEY", "client_assertion=");
    }
}
