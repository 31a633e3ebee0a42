-- Sagas by commands: one row per saga the orchestrator drives, in the orchestrator's database.
-- Each transition (a start, a reply, an overdue reply) is one local transaction that reads the
-- row for update, changes it and publishes the next command through the outbox.
create table ${prefix}saga_instance (
    id          varchar(64)  not null,
    saga        varchar(255) not null,
    state       character large object not null,
    status      varchar(16)  not null,
    step        integer      not null,
    command_id  varchar(64),
    attempts    integer      not null,
    due_at      timestamp(6) with time zone,
    last_error  varchar(1000),
    created_at  timestamp(6) with time zone not null,
    updated_at  timestamp(6) with time zone not null,
    primary key (id)
);

-- overdue replies are found by status and time; retention deletes finished sagas by age
create index ${prefix}saga_instance_due on ${prefix}saga_instance (status, due_at);
create index ${prefix}saga_instance_updated on ${prefix}saga_instance (status, updated_at);

-- What happened to each saga, in order: the history an operator reads.
create table ${prefix}saga_history (
    saga_id     varchar(64)  not null,
    seq         integer      not null,
    step        varchar(255) not null,
    event       varchar(32)  not null,
    detail      varchar(1000),
    created_at  timestamp(6) with time zone not null,
    primary key (saga_id, seq)
);
