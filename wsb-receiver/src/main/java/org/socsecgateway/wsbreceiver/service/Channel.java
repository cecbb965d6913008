package org.socsecgateway.wsbreceiver.service;

import java.util.Locale;

/** How a message reached us. */
public enum Channel {
    /** Pushed by STAR to the webhook. */
    WSB,
    /** Pulled from the WSRM queue by dfdg-poller and handed over through /v1/ingest. */
    WSRM;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
