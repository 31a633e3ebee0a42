-- Why the transaction's last failed attempt failed (recovery's, or a saga's compensation), for
-- an operator: kept in the row, so that every instance and a restarted one read the same.
alter table ${prefix}global_transaction add column last_error varchar(1000);
