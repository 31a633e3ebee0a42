create table if not exists shipment (
    order_id varchar(20) not null,
    item     varchar(20) not null,
    quantity int not null
);
