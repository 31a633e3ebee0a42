create table if not exists orders (
    id       varchar(20) primary key,
    item     varchar(20) not null,
    quantity int not null,
    account  varchar(20) not null,
    amount   int not null,
    state    varchar(10) not null
);
