-- codelist-service: the last good snapshot of each DFDG code list, the once-a-day bookkeeping shared by every
-- replica, each fetch's outcome and each accepted fetch's changes (seed 003 section 3.6).

-- One row per configured list. answered_at carries DFDG's rule (one fetch a day): a fetch is claimed only when it is
-- at least 24 h old (or the refresh is forced), in one UPDATE, so replicas never fetch the same list twice.
create table code_list (
    name          text        primary key,        -- as in /v1/codelists/{name}
    operation     text        not null,           -- the Get<Xxx>CodeList operation that fetches it
    fetched_at    timestamptz,                    -- when the current snapshot was fetched (null: none yet)
    answered_at   timestamptz,                    -- DFDG's last answer with a list, accepted or refused
    attempted_at  timestamptz,                    -- the last attempt, answered or not
    stale         boolean     not null default false, -- the last attempt did not give a new good snapshot
    stale_reason  text,                           -- why, log-safe (rule and Identifier, or the fault's kind)
    error_code    integer,                        -- DFDG's ErrorCode of the last failed attempt, if any
    version       bigint      not null default 0, -- +1 on every change of the row or its items: replicas reload
    claimed_by    text,                           -- the instance fetching it now
    claimed_until timestamptz                     -- its claim lapses then (a crashed instance)
);

-- The current (last good) snapshot.
create table code_list_item (
    list_name    text        not null references code_list (name),
    identifier   integer     not null,
    name         text        not null,
    description  text        not null,
    start_date   timestamptz not null,            -- valid from (inclusive)
    end_date     timestamptz,                     -- valid until (exclusive); null: open-ended
    primary key (list_name, identifier)
);

-- Every attempt and its outcome: ACCEPTED, REFUSED (the answer failed validation), FAILED (no list: fault, outage).
create table code_list_fetch (
    id            bigserial   primary key,
    list_name     text        not null references code_list (name),
    started_at    timestamptz not null,
    finished_at   timestamptz not null,
    outcome       text        not null,
    item_count    integer,                        -- items in DFDG's answer
    error_code    integer,
    detail        text,                           -- log-safe reason of a refusal or failure
    instance      text        not null,           -- which replica fetched
    forced_by     text,                           -- an operator's forced refresh: who
    forced_reason text                            -- and why
);
create index code_list_fetch_list on code_list_fetch (list_name, started_at desc);

-- What each accepted fetch changed: the history behind GET /v1/codelists/{name}/changes.
create table code_list_change (
    id          bigserial   primary key,
    list_name   text        not null references code_list (name),
    fetch_id    bigint      not null references code_list_fetch (id),
    changed_at  timestamptz not null,             -- the fetch that saw it
    identifier  integer     not null,
    kind        text        not null,             -- ADDED, CHANGED, EXPIRED, REMOVED
    before      json,                             -- the code before (null when ADDED), as the API shows it
    after       json                              -- the code after (null when REMOVED)
);
create index code_list_change_list on code_list_change (list_name, changed_at, id);
