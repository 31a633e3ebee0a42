-- reserved items are still in stock, but no other order may reserve them
create table stock (
    item      varchar(50) primary key,
    available int not null,
    reserved  int not null
);
insert into stock (item, available, reserved) values ('widget', 5, 0);
