-- The coordinator's log: one row per global transaction (TCC or saga) started here.
-- A transaction without a row was never decided and counts as rolled back (presumed abort).
create table ${prefix}global_transaction (
    xid             varchar(64)  not null,
    mode            varchar(16)  not null,
    name            varchar(128) not null,
    state           varchar(16)  not null,
    deadline        datetime(6) not null,
    attempts        int not null default 0,
    next_attempt_at datetime(6),
    lease_owner     varchar(128),
    lease_until     datetime(6),
    created_at      datetime(6) not null,
    updated_at      datetime(6) not null,
    primary key (xid)
);

-- recovery claims due work by state and time
create index ${prefix}global_transaction_due on ${prefix}global_transaction (state, next_attempt_at);
