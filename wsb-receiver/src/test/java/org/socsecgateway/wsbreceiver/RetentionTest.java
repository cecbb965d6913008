package org.socsecgateway.wsbreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.socsecgateway.wsbreceiver.SimulatedStar.KOMMUNE_PATH;

import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
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
        String old = messages.get(0).meddelelseId();
        String oldReceipt = messages.get(1).meddelelseId();
        String recent = messages.get(2).meddelelseId();
        await().atMost(Duration.ofSeconds(10)).until(() -> star.count(
                "select count(*) from inbox_event where message_id in (?, ?, ?) and feed_seq is not null", old, oldReceipt, recent) == 3);
        try (Connection db = star.connect()) {
            age(db, "update inbox_event set received_at = now() - interval '31 days' where message_id = ?", old);
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

    private static void age(Connection db, String sql, String id) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, id);
            assertThat(statement.executeUpdate()).isOne();
        }
    }
}
