create table if not exists account (id varchar(20) primary key, balance int not null);
create table if not exists payment (
    id       varchar(24) primary key,
    order_id varchar(20) not null,
    account  varchar(20) not null,
    amount   int not null,
    status   varchar(10) not null
);
merge into account key (id) values ('alice', 500);
