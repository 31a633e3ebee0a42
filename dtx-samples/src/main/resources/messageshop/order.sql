create table if not exists stock (
    item      varchar(20) primary key,
    available int not null
);
create table if not exists orders (
    id       varchar(20) primary key,
    item     varchar(20) not null,
    quantity int not null
);
merge into stock (item, available) key (item) values ('book', 10);
