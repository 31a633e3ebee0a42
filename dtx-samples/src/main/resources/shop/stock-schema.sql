create table if not exists stock (
    item     varchar(50) primary key,
    quantity int not null
);
