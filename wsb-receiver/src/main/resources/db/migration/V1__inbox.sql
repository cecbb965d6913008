-- One row per distinct message ever received (whatever the channel): the duplicate check and the receipt audit
-- record that PARTNERS.md asks to keep for 6 months. No CPR number and no message content here.
create table receipt (
    id               bigserial primary key,
    dedup_key        bytea       not null unique,
    channel          text        not null,          -- 'wsb' (webhook push) or 'wsrm' (pulled by dfdg-poller)
    authority        text        not null,
    message_type     text,
    external_id      text,
    first_received_at timestamptz not null default now(),
    last_received_at  timestamptz not null default now(),
    deliveries       integer     not null default 1,
    sender           text                           -- SHA-256 of STAR's client certificate, or the ingest caller
);
create index receipt_first_received_at on receipt (first_received_at);

-- The inbox and the feed. feed_seq stays null until the publisher (one transaction at a time, holding the lock on
-- feed_state) numbers committed rows, so a reader never sees a number become visible after a higher one.
create table inbox_event (
    id              bigserial primary key,
    receipt_id      bigint      not null,
    feed_seq        bigint      unique,
    channel         text        not null,
    authority       text        not null,
    message_type    text,
    type_name       text,
    message_id      text,
    external_id     text,
    version         text,
    change_type     integer,
    subject_type    integer,
    subject         text,                            -- the CPR number; never logged, never in a URL or a label
    event_time      timestamptz,
    received_at     timestamptz not null default now(),
    published_at    timestamptz,
    raw             text        not null             -- exactly the JSON STAR sent
);
create index inbox_event_unpublished on inbox_event (id) where feed_seq is null;
create index inbox_event_received_at on inbox_event (received_at);

-- The publisher's lock and the highest feed number handed out; never goes back, also when events are purged.
create table feed_state (
    id       integer primary key check (id = 1),
    last_seq bigint  not null
);
insert into feed_state (id, last_seq) values (1, 0);

-- Where each feed reader is (the cursor it last asked from), for the lag and oldest-unread metrics.
create table feed_reader (
    caller     text        primary key,
    position   bigint      not null,
    read_at    timestamptz not null
);
