package org.socsecgateway.wsbreceiver.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * WSRM sequence receipts in PostgreSQL ({@code wsrm_sequence_receipt}). Recording is an idempotent upsert by sequence
 * id, so the poller may send a receipt again after a crash. Failures are classified like the inbox's
 * ({@link SqlStates}): a value the database refuses is {@link MessageNotStorableException}, anything else
 * {@link DatabaseUnavailableException}.
 */
@ApplicationScoped
public class SequenceReceiptStore {

    private static final String COLUMNS = """
            sequence_id, authority, started_at, ended_at, inventory::text, fetched, stored, duplicates, outcome,
            error_code, detail, recorded_by, recorded_at, updated_at""";

    /** The first recording inserts; another one replaces everything but {@code recorded_at}. */
    // "previous" reads the row as it was before this statement (one snapshot for the whole statement)
    private static final String UPSERT = """
            with previous as (select outcome from wsrm_sequence_receipt where sequence_id = ?)
            insert into wsrm_sequence_receipt (sequence_id, authority, started_at, ended_at, inventory, fetched, stored,
                                               duplicates, outcome, error_code, detail, recorded_by)
            values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
            on conflict (sequence_id) do update
               set authority = excluded.authority, started_at = excluded.started_at, ended_at = excluded.ended_at,
                   inventory = excluded.inventory, fetched = excluded.fetched, stored = excluded.stored,
                   duplicates = excluded.duplicates, outcome = excluded.outcome, error_code = excluded.error_code,
                   detail = excluded.detail, recorded_by = excluded.recorded_by, updated_at = now()
            """ + "returning " + COLUMNS + ", (xmax = 0) as inserted, (select outcome from previous) as previous_outcome";

    private static final String FIND = "select " + COLUMNS + " from wsrm_sequence_receipt where sequence_id = ?";

    private static final String LIST = "select " + COLUMNS + """
              from wsrm_sequence_receipt
             where (?::timestamptz is null or ended_at >= ?::timestamptz)
               and (?::text is null or outcome = ?::text)
             order by ended_at desc, sequence_id desc
             limit ?""";

    private static final TypeReference<List<SequenceReceipt.InventoryItem>> INVENTORY = new TypeReference<>() {
    };

    private final DataSource dataSource;
    private final ObjectMapper json;

    SequenceReceiptStore(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /**
     * Inserts the receipt, or replaces the one with the same sequence id (keeping its {@code recorded_at}); returns
     * it as stored. {@code recordedAt} and {@code updatedAt} of the argument are ignored (the database's clock).
     *
     * @throws MessageNotStorableException  the database refuses a value (SQLState class 22/23): sending it again fails too
     * @throws DatabaseUnavailableException any other database failure: worth trying again later
     */
    public SequenceReceipt.Recorded record(SequenceReceipt receipt) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setString(1, receipt.sequenceId());
            upsert.setString(2, receipt.sequenceId());
            upsert.setString(3, receipt.authority());
            upsert.setObject(4, receipt.startedAt(), Types.TIMESTAMP_WITH_TIMEZONE);
            upsert.setObject(5, receipt.endedAt(), Types.TIMESTAMP_WITH_TIMEZONE);
            upsert.setString(6, json.writeValueAsString(receipt.inventory()));
            upsert.setInt(7, receipt.fetched());
            upsert.setInt(8, receipt.stored());
            upsert.setInt(9, receipt.duplicates());
            upsert.setString(10, receipt.outcome());
            if (receipt.errorCode() == null) {
                upsert.setNull(11, Types.INTEGER);
            } else {
                upsert.setInt(11, receipt.errorCode());
            }
            upsert.setString(12, receipt.detail());
            upsert.setString(13, receipt.recordedBy());
            try (ResultSet row = upsert.executeQuery()) {
                row.next();
                return new SequenceReceipt.Recorded(receipt(row), row.getBoolean("inserted"), row.getString("previous_outcome"));
            }
        } catch (SQLException e) {
            if (SqlStates.isMessageFault(e)) {
                throw new MessageNotStorableException(-1, e);
            }
            throw new DatabaseUnavailableException("Recording a WSRM sequence receipt", e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An inventory of names and counts is always JSON", e);
        }
    }

    /** The receipt of this sequence, if one was recorded (and not yet purged). */
    public Optional<SequenceReceipt> find(String sequenceId) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement find = connection.prepareStatement(FIND)) {
            find.setString(1, sequenceId);
            try (ResultSet row = find.executeQuery()) {
                return row.next() ? Optional.of(receipt(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("Reading a WSRM sequence receipt", e);
        }
    }

    /** Up to {@code limit} receipts of sequences that ended at or after {@code since} (null: any), newest first. */
    public List<SequenceReceipt> list(OffsetDateTime since, String outcome, int limit) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement list = connection.prepareStatement(LIST)) {
            list.setObject(1, since, Types.TIMESTAMP_WITH_TIMEZONE);
            list.setObject(2, since, Types.TIMESTAMP_WITH_TIMEZONE);
            list.setString(3, outcome);
            list.setString(4, outcome);
            list.setInt(5, limit);
            List<SequenceReceipt> receipts = new ArrayList<>();
            try (ResultSet rows = list.executeQuery()) {
                while (rows.next()) {
                    receipts.add(receipt(rows));
                }
            }
            return receipts;
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("Listing WSRM sequence receipts", e);
        }
    }

    private SequenceReceipt receipt(ResultSet row) throws SQLException {
        int errorCode = row.getInt(10);
        Integer code = row.wasNull() ? null : errorCode;
        List<SequenceReceipt.InventoryItem> inventory;
        try {
            inventory = json.readValue(row.getString(5), INVENTORY);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored inventory of sequence " + row.getString(1) + " is not a list of items", e);
        }
        return new SequenceReceipt(row.getString(1), row.getString(2), row.getObject(3, OffsetDateTime.class),
                row.getObject(4, OffsetDateTime.class), inventory, row.getInt(6), row.getInt(7), row.getInt(8),
                row.getString(9), code, row.getString(11), row.getString(12), row.getObject(13, OffsetDateTime.class),
                row.getObject(14, OffsetDateTime.class));
    }
}
