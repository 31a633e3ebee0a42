create table app_order (id int primary key, customer_id int not null);
