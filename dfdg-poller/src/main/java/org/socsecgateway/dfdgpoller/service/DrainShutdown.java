package org.socsecgateway.dfdgpoller.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;

/**
 * On SIGTERM (a roll-out, a node drain), the running drain closes its sequence before it stops, so the next pod does
 * not wait for DFDG to expire an abandoned sequence. Waits at most 20 s, within the pod's termination grace period.
 */
@ApplicationScoped
public class DrainShutdown {

    private static final Logger LOG = Logger.getLogger(DrainShutdown.class);
    static final Duration WAIT = Duration.ofSeconds(20);

    void onStop(@Observes ShutdownEvent event, Drainer drainer) {
        if (!drainer.interrupt(WAIT)) {
            LOG.warnf("A drain was still running after %s; its sequence comes again when DFDG expires it", WAIT);
        }
    }
}
