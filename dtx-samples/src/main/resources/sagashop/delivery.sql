create table delivery (
    id       varchar(50) primary key,
    order_id bigint not null,
    item     varchar(50) not null,
    status   varchar(16) not null -- SCHEDULED or CANCELLED
);
