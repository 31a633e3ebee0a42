-- Transactional messages: the barrier of each half message, one row per message id. The local
-- transaction inserts COMMITTED with its business change; a check-back that finds no row
-- inserts ROLLED_BACK, after which that insert fails on the primary key, so the answer the
-- check-back gave is the only one that can ever hold.
create table ${prefix}message_barrier (
    message_id  varchar(64) not null,
    state       varchar(11) not null,
    created_at  datetime(6) not null,
    primary key (message_id)
);

-- retention deletes by age
create index ${prefix}message_barrier_created on ${prefix}message_barrier (created_at);
