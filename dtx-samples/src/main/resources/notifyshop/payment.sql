create table if not exists payment (id varchar(20) primary key, merchant varchar(20) not null,
    order_id varchar(20) not null, amount int not null);
create table if not exists merchant (id varchar(20) primary key, notify_url varchar(200) not null,
    secret varchar(100) not null, schedule varchar(200));
