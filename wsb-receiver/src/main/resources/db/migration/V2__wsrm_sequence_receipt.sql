-- One row per WSRM sequence that dfdg-poller drained from DFDG's queue: the receipt PARTNERS.md asks to keep for
-- 6 months (wsb.retention.receipts), then deleted by the retention purge. Counts and a fixed reason only: no message
-- content and no CPR number.
create table wsrm_sequence_receipt (
    sequence_id  text        primary key,            -- DFDG's sequence Identifier, a GUID in lower case
    authority    text        not null,               -- the authority (subscription) the queue was drained for
    started_at   timestamptz not null,               -- CreateSequence sent
    ended_at     timestamptz not null,               -- TerminateSequence / CloseSequence answered, or given up
    inventory    jsonb       not null,               -- [{"serviceName": "...", "messageCount": n}] as CreateSequence announced
    fetched      integer     not null,               -- messages the Get calls returned
    stored       integer     not null,               -- of those, new in the inbox (POST /v1/ingest)
    duplicates   integer     not null,               -- of those, already in the inbox
    outcome      text        not null,               -- TERMINATED, CLOSED, TERMINATE_REFUSED, ABANDONED, EMPTY
    error_code   integer,                            -- DFDG's error code from a fault, if any
    detail       text,                               -- a short fixed reason, never content
    recorded_by  text        not null,               -- the caller's subject (dfdg-poller's ServiceAccount)
    recorded_at  timestamptz not null default now(), -- first recorded; kept when the poller sends it again
    updated_at   timestamptz not null default now()  -- last recorded
);
-- retention purge (by when we recorded it: our clock, not the caller's)
create index wsrm_sequence_receipt_recorded_at on wsrm_sequence_receipt (recorded_at);
-- GET /v1/wsrm/sequences: newest first, since an instant
create index wsrm_sequence_receipt_ended_at on wsrm_sequence_receipt (ended_at desc, sequence_id desc);
