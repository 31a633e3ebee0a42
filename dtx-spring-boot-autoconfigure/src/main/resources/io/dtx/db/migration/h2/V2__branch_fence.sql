-- The fence: one row per branch (TCC try or saga step) run in this database, written in the
-- same local transaction as the branch's business change. Its state makes phase two safe
-- against empty rollback, repeated calls and a try that lands after its cancel.
create table ${prefix}branch_fence (
    xid        varchar(64)  not null,
    branch_id  varchar(64)  not null,
    action     varchar(255) not null,
    arguments  character large object,
    state      varchar(16)  not null,
    created_at timestamp(6) with time zone not null,
    updated_at timestamp(6) with time zone not null,
    primary key (xid, branch_id)
);

-- retention removes finished branches by age
create index ${prefix}branch_fence_state on ${prefix}branch_fence (state, updated_at);
