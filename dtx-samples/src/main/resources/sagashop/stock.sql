create table stock (
    item      varchar(50) primary key,
    available int not null
);
insert into stock (item, available) values ('widget', 5);
