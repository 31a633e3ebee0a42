create table stock (item varchar(64) primary key, available int not null, reserved int not null);
create table shipment (order_id varchar(64) primary key);
insert into stock (item, available, reserved) values ('widget', 10, 0);
