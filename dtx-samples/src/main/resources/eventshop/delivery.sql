create table if not exists delivery (order_id varchar(20) primary key, item varchar(20) not null, quantity int not null);
