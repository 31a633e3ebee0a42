-- frozen funds are still in the balance, but nothing else may spend them
create table account (
    id      varchar(50) primary key,
    balance int not null,
    frozen  int not null
);
insert into account (id, balance, frozen) values ('alice', 500, 0);
