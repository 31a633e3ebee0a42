create table if not exists orders (
    id       varchar(20) primary key,
    item     varchar(20) not null,
    quantity int not null,
    amount   int not null,
    status   varchar(10) not null
);
