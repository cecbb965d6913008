package org.socsecgateway.wsbreceiver.store;

import java.util.List;

/**
 * The feed's state for the gauges.
 *
 * @param head              the highest feed number handed out
 * @param unpublished       committed events not numbered yet (the publisher's queue)
 * @param publishLagSeconds age of the oldest of those
 * @param readers           where each reader is
 */
public record FeedStats(long head, long unpublished, double publishLagSeconds, List<Reader> readers) {

    /**
     * @param caller                   the reader's subject
     * @param lagEvents                events published after its position
     * @param oldestUnreadAgeSeconds   age of the oldest of those (0 when it is up to date)
     */
    public record Reader(String caller, long lagEvents, double oldestUnreadAgeSeconds) {
    }
}
