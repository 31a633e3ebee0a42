create table if not exists account (id varchar(20) primary key, balance int not null);
create table if not exists payment (order_id varchar(20) primary key, amount int not null, state varchar(10) not null);
merge into account key (id) values ('alice', 500);
