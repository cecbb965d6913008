package org.socsecgateway.wsbreceiver.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Feed numbering, reading, reader positions and retention.
 * <p>
 * Why numbers are handed out under a lock: ids from a sequence become visible in commit order, not in number order,
 * so a reader that remembered "after 41" could miss 40 committing late. Instead, feed numbers are handed out by one
 * transaction at a time (the row lock on {@code feed_state}), which also moves {@code last_seq} and commits before the
 * next one can take numbers: the inbox's own transactions ({@link InboxStore}), and {@link #publish} for rows stored
 * without a number. A reader reads {@code last_seq} first and then only numbers up to it: all of those are committed
 * and visible.
 */
@ApplicationScoped
public class FeedStore {

    private static final String LOCK_STATE = "select last_seq from feed_state where id = 1 for update";

    private static final String NUMBER_EVENTS = """
            update inbox_event e
               set feed_seq = ? + t.rn, published_at = now()
              from (select id, row_number() over (order by id) as rn
                      from inbox_event where feed_seq is null order by id limit ?) t
             where e.id = t.id""";

    private static final String MOVE_STATE = "update feed_state set last_seq = ? where id = 1";

    private static final String HEAD = "select last_seq from feed_state where id = 1";

    /** The head and the lowest feed number still stored (null when none is); the unique index on feed_seq answers min. */
    private static final String HEAD_AND_RETAINED = """
            select last_seq, (select min(feed_seq) from inbox_event where feed_seq is not null)
              from feed_state where id = 1""";

    private static final String READ = """
            select feed_seq, channel, authority, message_type, type_name, message_id, external_id, version,
                   change_type, subject_type, subject, event_time, received_at, raw
              from inbox_event
             where feed_seq > ? and feed_seq <= ?
               and (?::text[] is null or message_type = any(?::text[]))
               and (?::text[] is null or authority = any(?::text[]))
             order by feed_seq
             limit ?""";

    private final DataSource dataSource;

    FeedStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Numbers up to {@code batch} committed, unnumbered events; returns how many. */
    public int publish(int batch) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                long last;
                try (Statement lock = connection.createStatement(); ResultSet row = lock.executeQuery(LOCK_STATE)) {
                    row.next();
                    last = row.getLong(1);
                }
                int numbered;
                try (PreparedStatement number = connection.prepareStatement(NUMBER_EVENTS)) {
                    number.setLong(1, last);
                    number.setInt(2, batch);
                    numbered = number.executeUpdate();
                }
                if (numbered > 0) {
                    try (PreparedStatement move = connection.prepareStatement(MOVE_STATE)) {
                        move.setLong(1, last + numbered);
                        move.executeUpdate();
                    }
                }
                connection.commit();
                return numbered;
            } catch (SQLException | RuntimeException e) {
                InboxStore.rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("Publishing", e);
        }
    }

    /**
     * A page after the cursor; see the class comment for why it never skips an event. Head, lowest retained number
     * and events come from one snapshot, so a purge running meanwhile cannot delete events between what the page
     * says was purged and what it shows.
     */
    public FeedPage read(FeedQuery query) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            int isolation = connection.getTransactionIsolation();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                FeedPage page = read(connection, query);
                connection.commit();
                return page;
            } catch (SQLException | RuntimeException e) {
                InboxStore.rollbackQuietly(connection);
                throw e;
            } finally {
                connection.setTransactionIsolation(isolation);
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("Reading the feed", e);
        }
    }

    private FeedPage read(Connection connection, FeedQuery query) throws SQLException {
        long head;
        long retainedFrom;
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(HEAD_AND_RETAINED)) {
            row.next();
            head = row.getLong(1);
            long lowest = row.getLong(2);
            retainedFrom = row.wasNull() ? head + 1 : lowest;
        }
        List<FeedEvent> events = new ArrayList<>();
        try (PreparedStatement read = connection.prepareStatement(READ)) {
            read.setLong(1, query.after());
            read.setLong(2, head);
            Array types = array(connection, query.types());
            read.setArray(3, types);
            read.setArray(4, types);
            Array authorities = array(connection, query.authorities());
            read.setArray(5, authorities);
            read.setArray(6, authorities);
            read.setInt(7, query.limit());
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    events.add(event(rows));
                }
            }
        }
        // A full page ends at its last event; a short one has looked at everything up to the head.
        long next = events.size() == query.limit() ? events.get(events.size() - 1).seq() : Math.max(head, query.after());
        return new FeedPage(events, next, head, retainedFrom);
    }

    /** Remembers where a reader is, for the lag metrics. */
    public void recordPosition(String caller, long position) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     insert into feed_reader (caller, position, read_at) values (?, ?, now())
                     on conflict (caller) do update set position = excluded.position, read_at = now()""")) {
            upsert.setString(1, caller);
            upsert.setLong(2, position);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("Recording a reader position", e);
        }
    }

    /**
     * Deletes published events received before {@code cutoff}, {@code batch} per transaction; returns how many. Only
     * from the front of the feed: up to the first event that is still younger (an event numbered late, e.g. after a
     * publisher outage, waits for the ones before it). So what is kept is always one unbroken run of feed numbers,
     * and a reader behind it is told exactly what it missed ({@link FeedPage#purgedAfter}).
     */
    public long purgeEvents(OffsetDateTime cutoff, int batch) {
        long upTo;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement bound = connection.prepareStatement("""
                     select coalesce((select feed_seq - 1 from inbox_event
                                       where feed_seq is not null and received_at >= ? order by feed_seq limit 1),
                                     (select last_seq from feed_state where id = 1))""")) {
            bound.setObject(1, cutoff);
            try (ResultSet row = bound.executeQuery()) {
                row.next();
                upTo = row.getLong(1);
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("Purging", e);
        }
        return purge("""
                delete from inbox_event where id in
                  (select id from inbox_event where feed_seq <= ? limit ?)""", upTo, batch);
    }

    /** Deletes receipt audit records first received before {@code cutoff}; returns how many. */
    public long purgeReceipts(OffsetDateTime cutoff, int batch) {
        return purge("delete from receipt where id in (select id from receipt where first_received_at < ? limit ?)", cutoff, batch);
    }

    /** Deletes WSRM sequence receipts first recorded before {@code cutoff}, {@code batch} per statement; returns how many. */
    public long purgeSequenceReceipts(OffsetDateTime cutoff, int batch) {
        return purge("""
                delete from wsrm_sequence_receipt where sequence_id in
                  (select sequence_id from wsrm_sequence_receipt where recorded_at < ? limit ?)""", cutoff, batch);
    }

    private long purge(String sql, Object bound, int batch) {
        long total = 0;
        try (Connection connection = dataSource.getConnection(); PreparedStatement delete = connection.prepareStatement(sql)) {
            int deleted;
            do {
                delete.setObject(1, bound);
                delete.setInt(2, batch);
                deleted = delete.executeUpdate();
                total += deleted;
            } while (deleted == batch);
            return total;
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("Purging", e);
        }
    }

    /** Numbers for the gauges, read in one go. */
    public FeedStats stats() {
        try (Connection connection = dataSource.getConnection()) {
            long head = head(connection);
            long unpublished;
            double publishLag;
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("""
                         select count(*), coalesce(extract(epoch from now() - min(received_at)), 0)
                           from inbox_event where feed_seq is null""")) {
                row.next();
                unpublished = row.getLong(1);
                publishLag = row.getDouble(2);
            }
            List<FeedStats.Reader> readers = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("""
                         select r.caller, r.position,
                                coalesce(extract(epoch from now() - (select e.received_at from inbox_event e
                                                                      where e.feed_seq > r.position
                                                                      order by e.feed_seq limit 1)), 0)
                           from feed_reader r""")) {
                while (rows.next()) {
                    readers.add(new FeedStats.Reader(rows.getString(1), Math.max(0, head - rows.getLong(2)), rows.getDouble(3)));
                }
            }
            return new FeedStats(head, unpublished, publishLag, readers);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("Reading feed statistics", e);
        }
    }

    /** Whether the database answers (readiness). */
    public Duration ping() {
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            head(connection);
            return Duration.ofNanos(System.nanoTime() - start);
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("Ping", e);
        }
    }

    private static long head(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(HEAD)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static Array array(Connection connection, Set<String> values) throws SQLException {
        return values == null ? null : connection.createArrayOf("text", values.toArray());
    }

    private static FeedEvent event(ResultSet row) throws SQLException {
        return new FeedEvent(row.getLong(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getString(7), row.getString(8), (Integer) row.getObject(9), (Integer) row.getObject(10),
                row.getString(11), row.getObject(12, OffsetDateTime.class), row.getObject(13, OffsetDateTime.class),
                row.getString(14));
    }
}
