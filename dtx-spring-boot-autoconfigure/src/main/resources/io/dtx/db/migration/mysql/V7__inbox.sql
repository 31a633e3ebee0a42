-- The inbox: one row per message a consumer applied, written in the local transaction of
-- its effect, so that a message delivered again is recognised and dropped.
create table ${prefix}inbox (
    consumer    varchar(128) not null,
    message_id  varchar(64)  not null,
    received_at datetime(6) not null,
    primary key (consumer, message_id)
);

-- retention removes old entries by age
create index ${prefix}inbox_received on ${prefix}inbox (received_at);
