create table if not exists paid_order (order_id varchar(20) primary key, payment_id varchar(20) not null,
    amount int not null, sender varchar(20) not null);
