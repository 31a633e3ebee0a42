create table if not exists stock (item varchar(20) primary key, available int not null);
merge into stock key (item) values ('widget', 5);
