create table orders (
    id       bigint primary key,
    item     varchar(50) not null,
    quantity int not null,
    account  varchar(50) not null,
    amount   int not null,
    status   varchar(16) not null -- PENDING, CONFIRMED or FAILED
);
