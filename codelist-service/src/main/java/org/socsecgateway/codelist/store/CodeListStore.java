package org.socsecgateway.codelist.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.socsecgateway.codelist.service.CodeChange;
import org.socsecgateway.codelist.service.CodeListItem;
import org.socsecgateway.codelist.service.CodeView;
import org.socsecgateway.codelist.service.FetchPlan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The code lists in PostgreSQL (schema {@code V1__codelists.sql}): the last good snapshot of each list, the
 * once-a-day bookkeeping every replica shares, each fetch's outcome and the change history. Every failure is a
 * {@link StoreUnavailableException}.
 */
@ApplicationScoped
public class CodeListStore {

    private static final String STATE_COLUMNS = """
            name, operation, fetched_at, answered_at, attempted_at, stale, stale_reason, error_code, version""";

    /**
     * DFDG's rule in one statement: the claim succeeds only when no live claim exists and the last answer is at least
     * 24 h old, or, forced, the last attempt is older than the forced minimum interval; so two replicas never both
     * fetch.
     */
    private static final String CLAIM = """
            update code_list set claimed_by = ?, claimed_until = ?
             where name = ? and (claimed_until is null or claimed_until < ?)
               and (case when ? then attempted_at is null or attempted_at <= ?
                         else answered_at is null or answered_at <= ? end)""";

    private static final String INSERT_FETCH = """
            insert into code_list_fetch (list_name, started_at, finished_at, outcome, item_count, error_code, detail,
                                         instance, forced_by, forced_reason)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id""";

    private final DataSource dataSource;
    private final ObjectMapper json;

    CodeListStore(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Makes sure every configured list has its row, with the operation as configured now. */
    public void register(Map<String, String> operations) {
        String sql = """
                insert into code_list (name, operation) values (?, ?)
                on conflict (name) do update set operation = excluded.operation
                 where code_list.operation <> excluded.operation""";
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(sql)) {
            for (Map.Entry<String, String> list : operations.entrySet()) {
                insert.setString(1, list.getKey());
                insert.setString(2, list.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new StoreUnavailableException("Registering the code lists", e);
        }
    }

    /** Every list's row. */
    public List<ListState> states() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("select " + STATE_COLUMNS + " from code_list order by name");
             ResultSet rows = select.executeQuery()) {
            List<ListState> states = new ArrayList<>();
            while (rows.next()) {
                states.add(new ListState(rows.getString(1), rows.getString(2), instant(rows, 3), instant(rows, 4),
                        instant(rows, 5), rows.getBoolean(6), rows.getString(7), (Integer) rows.getObject(8), rows.getLong(9)));
            }
            return states;
        } catch (SQLException e) {
            throw new StoreUnavailableException("Reading the code lists", e);
        }
    }

    /** The snapshot's items of one list, sorted by identifier. */
    public List<CodeListItem> items(String list) {
        String sql = """
                select identifier, name, description, start_date, end_date from code_list_item
                 where list_name = ? order by identifier""";
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, list);
            List<CodeListItem> items = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    items.add(new CodeListItem(rows.getInt(1), rows.getString(2), rows.getString(3), instant(rows, 4),
                            instant(rows, 5)));
                }
            }
            return items;
        } catch (SQLException e) {
            throw new StoreUnavailableException("Reading a code list", e);
        }
    }

    /**
     * Claims the fetch of {@code list} for {@code instance} until {@code until}: true only when nobody else holds a
     * live claim and DFDG's last answer is at least 24 h before {@code now}, or, with {@code forcedMinInterval} (a
     * forced refresh), the last attempt is at least that long before {@code now}.
     */
    public boolean claim(String list, String instance, Instant now, Instant until, Duration forcedMinInterval) {
        boolean force = forcedMinInterval != null;
        try (Connection c = dataSource.getConnection(); PreparedStatement claim = c.prepareStatement(CLAIM)) {
            claim.setString(1, instance);
            claim.setObject(2, timestamp(until), Types.TIMESTAMP_WITH_TIMEZONE);
            claim.setString(3, list);
            claim.setObject(4, timestamp(now), Types.TIMESTAMP_WITH_TIMEZONE);
            claim.setBoolean(5, force);
            claim.setObject(6, timestamp(now.minus(force ? forcedMinInterval : Duration.ZERO)), Types.TIMESTAMP_WITH_TIMEZONE);
            claim.setObject(7, timestamp(now.minus(FetchPlan.MIN_INTERVAL)), Types.TIMESTAMP_WITH_TIMEZONE);
            return claim.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreUnavailableException("Claiming a code-list fetch", e);
        }
    }

    /**
     * Replaces the snapshot of {@code list} with {@code items} and records the fetch and its changes, in one
     * transaction; the claim is released and the stale flag cleared.
     */
    public void saveAccepted(Fetch fetch, List<CodeListItem> items, List<CodeChange> changes) {
        inTransaction("Saving a code list", c -> {
            long fetchId = insertFetch(c, fetch, "ACCEPTED", items.size(), null, null);
            try (PreparedStatement delete = c.prepareStatement("delete from code_list_item where list_name = ?")) {
                delete.setString(1, fetch.list());
                delete.executeUpdate();
            }
            String insertItem = """
                    insert into code_list_item (list_name, identifier, name, description, start_date, end_date)
                    values (?, ?, ?, ?, ?, ?)""";
            try (PreparedStatement insert = c.prepareStatement(insertItem)) {
                for (CodeListItem item : items) {
                    insert.setString(1, fetch.list());
                    insert.setInt(2, item.identifier());
                    insert.setString(3, item.name());
                    insert.setString(4, item.description());
                    insert.setObject(5, timestamp(item.startDate()), Types.TIMESTAMP_WITH_TIMEZONE);
                    insert.setObject(6, timestamp(item.endDate()), Types.TIMESTAMP_WITH_TIMEZONE);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            String insertChange = """
                    insert into code_list_change (list_name, fetch_id, changed_at, identifier, kind, before, after)
                    values (?, ?, ?, ?, ?, ?::json, ?::json)""";
            try (PreparedStatement insert = c.prepareStatement(insertChange)) {
                for (CodeChange change : changes) {
                    insert.setString(1, fetch.list());
                    insert.setLong(2, fetchId);
                    insert.setObject(3, timestamp(fetch.finishedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                    insert.setInt(4, change.identifier());
                    insert.setString(5, change.kind().name());
                    insert.setString(6, jsonOf(change.before()));
                    insert.setString(7, jsonOf(change.after()));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            String update = """
                    update code_list set fetched_at = ?, answered_at = ?, attempted_at = ?, stale = false,
                           stale_reason = null, error_code = null, version = version + 1, claimed_by = null,
                           claimed_until = null
                     where name = ?""";
            try (PreparedStatement row = c.prepareStatement(update)) {
                row.setObject(1, timestamp(fetch.finishedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                row.setObject(2, timestamp(fetch.finishedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                row.setObject(3, timestamp(fetch.startedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                row.setString(4, fetch.list());
                row.executeUpdate();
            }
        });
    }

    /**
     * Records an attempt that gave no new snapshot: DFDG's answer refused by validation ({@code answered}: it counts
     * as the day's fetch) or no list at all (fault, outage). The list keeps its snapshot and is marked stale; the claim
     * is released.
     */
    public void saveUnsuccessful(Fetch fetch, boolean answered, Integer itemCount, Integer errorCode, String reason) {
        inTransaction("Recording a code-list fetch", c -> {
            insertFetch(c, fetch, answered ? "REFUSED" : "FAILED", itemCount, errorCode, reason);
            String update = """
                    update code_list set answered_at = coalesce(?, answered_at), attempted_at = ?, stale = true,
                           stale_reason = ?, error_code = ?, version = version + 1, claimed_by = null, claimed_until = null
                     where name = ?""";
            try (PreparedStatement row = c.prepareStatement(update)) {
                row.setObject(1, answered ? timestamp(fetch.finishedAt()) : null, Types.TIMESTAMP_WITH_TIMEZONE);
                row.setObject(2, timestamp(fetch.startedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                row.setString(3, reason);
                row.setObject(4, errorCode, Types.INTEGER);
                row.setString(5, fetch.list());
                row.executeUpdate();
            }
        });
    }

    /**
     * The changes of {@code list} seen by fetches at or after {@code since} and with an id above {@code after} (0: from
     * the start; the id of the last change of the previous page), oldest first, at most {@code limit}.
     */
    public List<ChangeRecord> changes(String list, Instant since, long after, int limit) {
        String sql = """
                select changed_at, identifier, kind, before::text, after::text, id from code_list_change
                 where list_name = ? and changed_at >= ? and id > ? order by id limit ?""";
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, list);
            select.setObject(2, timestamp(since), Types.TIMESTAMP_WITH_TIMEZONE);
            select.setLong(3, after);
            select.setInt(4, limit);
            List<ChangeRecord> changes = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    changes.add(new ChangeRecord(rows.getLong(6), instant(rows, 1), rows.getInt(2), rows.getString(3),
                            rows.getString(4) == null ? null : json.readTree(rows.getString(4)),
                            rows.getString(5) == null ? null : json.readTree(rows.getString(5))));
                }
            }
            return changes;
        } catch (SQLException e) {
            throw new StoreUnavailableException("Reading the change history", e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The history holds JSON written by this class", e);
        }
    }

    /** One attempt: which list, by which instance, when, and who forced it (null for the schedule). */
    public record Fetch(String list, String instance, Instant startedAt, Instant finishedAt, String forcedBy,
                        String forcedReason) {
    }

    private long insertFetch(Connection c, Fetch fetch, String outcome, Integer itemCount, Integer errorCode, String detail)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT_FETCH)) {
            insert.setString(1, fetch.list());
            insert.setObject(2, timestamp(fetch.startedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
            insert.setObject(3, timestamp(fetch.finishedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
            insert.setString(4, outcome);
            insert.setObject(5, itemCount, Types.INTEGER);
            insert.setObject(6, errorCode, Types.INTEGER);
            insert.setString(7, detail);
            insert.setString(8, fetch.instance());
            insert.setString(9, fetch.forcedBy());
            insert.setString(10, fetch.forcedReason());
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(String what, Work work) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException(what, e);
        }
    }

    private String jsonOf(CodeListItem item) {
        try {
            return item == null ? null : json.writeValueAsString(CodeView.of(item));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A code is always JSON", e);
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
