-- The services a global transaction called: each recorded before the call, so that a
-- call that timed out is still completed in phase two.
create table ${prefix}participant (
    xid        varchar(64)  not null,
    branch_id  varchar(64)  not null,
    url        varchar(512) not null,
    state      varchar(16)  not null,
    created_at datetime(6) not null,
    updated_at datetime(6) not null,
    primary key (xid, branch_id)
);
