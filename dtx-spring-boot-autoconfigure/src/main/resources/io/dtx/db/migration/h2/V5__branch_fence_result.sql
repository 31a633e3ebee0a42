-- What a saga step returned, as JSON, next to its arguments: its compensation may take it.
alter table ${prefix}branch_fence add column result character large object;
