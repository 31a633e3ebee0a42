create table if not exists delivery (
    id       varchar(24) primary key,
    order_id varchar(20) not null,
    status   varchar(10) not null
);
