package org.socsecgateway.wsbreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.socsecgateway.wsbreceiver.SimulatedStar.KOMMUNE_PATH;

import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.socsecgateway.simulators.wsb.StarWsbSender;
import org.socsecgateway.simulators.wsb.WsbMessage;
import org.socsecgateway.simulators.wsb.WsbMessages;
import org.socsecgateway.wsbreceiver.service.RetentionPurge;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Events go after 30 days (default), receipt audit records after 183 days (6 months). */
@QuarkusTest
@WithTestResource(value = SimulatedStar.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RetentionTest {

    @SimulatedStar.InjectStar
    Star star;

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    @Inject
    RetentionPurge purge;

    @Test
    void purgesOldEventsAndSixMonthOldReceiptsAndKeepsTheRest() throws Exception {
        List<WsbMessage> messages = new WsbMessages(41, 3).next(3);
        try (StarWsbSender sender = star.sender("https://localhost:" + webhook.getPort()).build()) {
            assertThat(sender.sendAll(KOMMUNE_PATH, messages).allDelivered()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> star.count("select count(*) from inbox_event where message_id in (?, ?, ?)"
                + " and feed_seq is not null", ids(messages).toArray()) == 3);
        List<String> inFeedOrder = inFeedOrder(messages);
        String old = inFeedOrder.get(0);
        String oldReceipt = inFeedOrder.get(1);
        String recent = inFeedOrder.get(2);
        try (Connection db = star.connect()) {
            // the purge deletes from the front of the feed: everything up to "old" is old
            ageUpTo(db, old);
            age(db, "update receipt set first_received_at = now() - interval '184 days' where id = "
                    + "(select receipt_id from inbox_event where message_id = ?)", oldReceipt);
        }

        long[] deleted = purge.purge();

        assertThat(deleted[0]).isGreaterThanOrEqualTo(1);
        assertThat(deleted[1]).isGreaterThanOrEqualTo(1);
        assertThat(star.count("select count(*) from inbox_event where message_id = ?", old)).isZero();
        assertThat(star.count("select count(*) from inbox_event where message_id = ?", recent)).isOne();
        assertThat(star.count("select count(*) from inbox_event where message_id = ?", oldReceipt)).isOne();
        assertThat(star.count("select count(*) from receipt r join inbox_event e on e.receipt_id = r.id where e.message_id = ?",
                oldReceipt)).isZero();
        assertThat(star.count("select count(*) from receipt r join inbox_event e on e.receipt_id = r.id where e.message_id = ?",
                recent)).isOne();
    }

    /**
     * The purge deletes only from the front of the feed, so what is kept has no holes: an old event numbered after a
     * younger one (published late, e.g. after a publisher outage) waits until the younger one is old too.
     */
    @Test
    void anOldEventBehindAYoungerOneIsKeptUntilThatOneIsOldToo() throws Exception {
        List<WsbMessage> messages = new WsbMessages(42, 2).next(2);
        try (StarWsbSender sender = star.sender("https://localhost:" + webhook.getPort()).build()) {
            assertThat(sender.sendAll(KOMMUNE_PATH, messages).allDelivered()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> star.count("select count(*) from inbox_event where message_id in (?, ?)"
                + " and feed_seq is not null", ids(messages).toArray()) == 2);
        List<String> inFeedOrder = inFeedOrder(messages);
        String younger = inFeedOrder.get(0);
        String older = inFeedOrder.get(1);
        try (Connection db = star.connect()) {
            ageUpTo(db, younger);
            age(db, "update inbox_event set received_at = now() - interval '31 days' where message_id = ?", older);
            age(db, "update inbox_event set received_at = now() - interval '1 day' where message_id = ?", younger);
        }

        purge.purge();
        assertThat(star.count("select count(*) from inbox_event where message_id = ?", older)).as("waits behind the younger").isOne();
        assertThat(star.count("select count(*) from inbox_event where message_id = ?", younger)).isOne();

        try (Connection db = star.connect()) {
            age(db, "update inbox_event set received_at = now() - interval '31 days' where message_id = ?", younger);
        }
        purge.purge();
        assertThat(star.count("select count(*) from inbox_event where message_id in (?, ?)", younger, older)).isZero();
    }

    static List<String> ids(List<WsbMessage> messages) {
        return messages.stream().map(WsbMessage::meddelelseId).toList();
    }

    /** The message ids, ordered by their feed number (a sender's messages may be numbered in another order). */
    List<String> inFeedOrder(List<WsbMessage> messages) {
        return ids(messages).stream()
                .sorted(Comparator.comparingLong(id -> star.count("select feed_seq from inbox_event where message_id = ?", id)))
                .toList();
    }

    /** Makes every event up to and including this one 31 days old. */
    static void ageUpTo(Connection db, String messageId) throws Exception {
        try (PreparedStatement statement = db.prepareStatement("""
                update inbox_event set received_at = now() - interval '31 days'
                 where feed_seq <= (select feed_seq from inbox_event where message_id = ?)""")) {
            statement.setString(1, messageId);
            assertThat(statement.executeUpdate()).isPositive();
        }
    }

    private static void age(Connection db, String sql, String id) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, id);
            assertThat(statement.executeUpdate()).isOne();
        }
    }
}
