create table account (
    id      varchar(50) primary key,
    balance int not null
);
insert into account (id, balance) values ('alice', 500);
create table charge (
    id       bigint primary key,
    order_id bigint not null,
    amount   int not null,
    status   varchar(16) not null -- CHARGED or REFUNDED
);
