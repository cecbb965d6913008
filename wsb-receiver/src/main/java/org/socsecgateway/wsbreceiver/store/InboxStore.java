package org.socsecgateway.wsbreceiver.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.socsecgateway.wsbreceiver.service.IncomingMessage;
import org.socsecgateway.wsbreceiver.service.MessageFields;

/**
 * The durable inbox. A batch is one transaction: when {@link #store} returns, every message in it is committed
 * (new, or recognised as a duplicate); when it throws, nothing of it is.
 * <p>
 * New events get their feed numbers in the same transaction: it first takes the row lock on {@code feed_state}
 * (before any receipt, so two transactions never wait for each other's rows the other way round), numbers its new
 * events after {@code last_seq} and moves {@code last_seq}. Transactions that store new events therefore commit one
 * after the other, in feed order, and a reader never sees a number become visible after a higher one (see
 * {@link FeedStore}). Group commit makes that cheap: one transaction holds the messages of many requests. Rows stored
 * without a number (by an older version, during a rolling update) are numbered by the publisher.
 */
@ApplicationScoped
public class InboxStore {

    /** The first delivery inserts the receipt; a re-delivery only counts itself on it. */
    private static final String UPSERT_RECEIPT = """
            insert into receipt (dedup_key, channel, authority, message_type, external_id, sender)
            values (?, ?, ?, ?, ?, ?)
            on conflict (dedup_key) do update
               set deliveries = receipt.deliveries + 1, last_received_at = now()
            returning id, (xmax = 0) as inserted""";

    private static final String INSERT_EVENT = """
            insert into inbox_event (receipt_id, channel, authority, message_type, type_name, message_id, external_id,
                                     version, change_type, subject_type, subject, event_time, raw, feed_seq, published_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())""";

    private static final String LOCK_FEED = "select last_seq from feed_state where id = 1 for update";

    private static final String MOVE_FEED = "update feed_state set last_seq = ? where id = 1";

    /** Deadlock / serialization failure: concurrent batches touching the same receipts; safe to run again. */
    private static final int RETRIES = 3;

    private final DataSource dataSource;

    InboxStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Commits the batch, or nothing of it.
     *
     * @throws MessageNotStorableException  when the database refuses a value of a message (SQLState class 22/23)
     * @throws DatabaseUnavailableException for any other database failure (connection, resources, deadlocks that
     *                                      persist over the retries): worth trying again later
     */
    public List<StoreOutcome> store(List<IncomingMessage> messages) {
        for (int attempt = 1; ; attempt++) {
            int[] current = {0};
            try {
                return storeOnce(messages, current);
            } catch (SQLException e) {
                if (SqlStates.isMessageFault(e)) {
                    throw new MessageNotStorableException(current[0], e);
                }
                if (attempt >= RETRIES || !retryable(e)) {
                    throw new DatabaseUnavailableException("Storing " + messages.size() + " message(s)", e);
                }
            }
        }
    }

    private List<StoreOutcome> storeOnce(List<IncomingMessage> messages, int[] current) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement(LOCK_FEED);
                 PreparedStatement receipt = connection.prepareStatement(UPSERT_RECEIPT);
                 PreparedStatement event = connection.prepareStatement(INSERT_EVENT)) {
                long last;
                try (ResultSet row = lock.executeQuery()) {
                    row.next();
                    last = row.getLong(1);
                }
                long seq = last;
                List<StoreOutcome> outcomes = new ArrayList<>(messages.size());
                for (IncomingMessage message : messages) {
                    StoreOutcome outcome = store(message, receipt, event, seq + 1);
                    if (outcome.stored()) {
                        seq++;
                    }
                    outcomes.add(outcome);
                    current[0]++;
                }
                current[0] = -1; // a failing update or commit is not one message's fault
                if (seq > last) {
                    try (PreparedStatement move = connection.prepareStatement(MOVE_FEED)) {
                        move.setLong(1, seq);
                        move.executeUpdate();
                    }
                }
                connection.commit();
                return outcomes;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    private static StoreOutcome store(IncomingMessage message, PreparedStatement receipt, PreparedStatement event, long feedSeq)
            throws SQLException {
        MessageFields fields = message.fields().storable(); // the exact values are in the dedup key and the raw JSON
        receipt.setBytes(1, message.dedupKey());
        receipt.setString(2, message.channel().label());
        receipt.setString(3, message.authority());
        receipt.setString(4, fields.type());
        receipt.setString(5, fields.externalId());
        receipt.setString(6, message.sender());
        long receiptId;
        boolean inserted;
        try (ResultSet row = receipt.executeQuery()) {
            row.next();
            receiptId = row.getLong(1);
            inserted = row.getBoolean(2);
        }
        if (!inserted) {
            return new StoreOutcome(receiptId, false);
        }
        event.setLong(1, receiptId);
        event.setString(2, message.channel().label());
        event.setString(3, message.authority());
        event.setString(4, fields.type());
        event.setString(5, fields.typeName());
        event.setString(6, fields.messageId());
        event.setString(7, fields.externalId());
        event.setString(8, fields.version());
        setInteger(event, 9, fields.changeType());
        setInteger(event, 10, fields.subjectType());
        event.setString(11, fields.subject());
        event.setObject(12, fields.eventTime(), Types.TIMESTAMP_WITH_TIMEZONE);
        event.setString(13, message.raw());
        event.setLong(14, feedSeq);
        event.executeUpdate();
        return new StoreOutcome(receiptId, true);
    }

    private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40P01".equals(state) || "40001".equals(state);
    }

    static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it and the transaction is gone with it
        }
    }
}
