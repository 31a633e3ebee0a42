-- Best-effort notifications: one row per notification written in a business transaction, in
-- that transaction, under the id the caller chose or a random one (the primary key makes a
-- second notify with the same id change nothing). A dispatcher claims a due row by moving its
-- next_attempt_at past a lease and writing its claim token, commits, sends outside any
-- transaction, and records the outcome only where its token is still there.
create table ${prefix}notification (
    id              varchar(64)  not null,
    endpoint        varchar(128) not null,
    type            varchar(128) not null,
    payload         text not null,
    state           varchar(9)   not null,
    attempts        integer      not null default 0,
    next_attempt_at timestamp with time zone not null,
    claim           varchar(36),
    last_error      varchar(1000),
    created_at      timestamp with time zone not null,
    delivered_at    timestamp with time zone,
    primary key (id)
);

-- the dispatchers read the due rows of one state by time; the API lists the exhausted ones
create index ${prefix}notification_due on ${prefix}notification (state, next_attempt_at);
