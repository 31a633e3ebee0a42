-- The outbox: one row per message published in a business transaction, written in that
-- transaction. The id, increasing in insert order, is the order the relay keeps per key.
create table ${prefix}outbox (
    id              bigint not null auto_increment,
    message_id      varchar(64)  not null,
    topic           varchar(255) not null,
    message_key     varchar(255),
    bucket          integer      not null,
    payload         longblob,
    headers         text,
    state           varchar(8)   not null,
    attempts        integer      not null default 0,
    next_attempt_at datetime(6) not null,
    last_error      varchar(1000),
    created_at      datetime(6) not null,
    sent_at         datetime(6),
    primary key (id)
);

-- the relay reads pending rows in id order; the statistics and retention by state and time
create index ${prefix}outbox_state on ${prefix}outbox (state, id);
-- what holds a key back: a dead row, or one waiting for its next attempt; led by the state and
-- the time, so that finding them reads neither the sent rows nor the due ones
create index ${prefix}outbox_held on ${prefix}outbox (state, next_attempt_at, topic, message_key);
create index ${prefix}outbox_sent on ${prefix}outbox (state, sent_at);

-- The buckets of keys: a relay locks the buckets it relays, skipping those another relay
-- holds, so that one key is relayed by one instance at a time, with no global lock. The
-- lock is a row lock held by the relay's transaction, which a crashed relay's database
-- session releases.
create table ${prefix}outbox_bucket (
    bucket integer not null,
    primary key (bucket)
);

insert into ${prefix}outbox_bucket (bucket) values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15);
