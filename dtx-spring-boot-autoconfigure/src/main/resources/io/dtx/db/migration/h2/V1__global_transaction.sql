-- The coordinator's log: one row per global transaction (TCC or saga) started here.
-- A transaction without a row was never decided and counts as rolled back (presumed abort).
create table ${prefix}global_transaction (
    xid             varchar(64)  not null,
    mode            varchar(16)  not null,
    name            varchar(128) not null,
    state           varchar(16)  not null,
    deadline        timestamp(6) with time zone not null,
    attempts        integer not null default 0,
    next_attempt_at timestamp(6) with time zone,
    lease_owner     varchar(128),
    lease_until     timestamp(6) with time zone,
    created_at      timestamp(6) with time zone not null,
    updated_at      timestamp(6) with time zone not null,
    primary key (xid)
);

-- recovery claims due work by state and time
create index ${prefix}global_transaction_due on ${prefix}global_transaction (state, next_attempt_at);
