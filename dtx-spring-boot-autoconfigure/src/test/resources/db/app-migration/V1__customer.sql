create table app_customer (id int primary key, name varchar(100) not null);
