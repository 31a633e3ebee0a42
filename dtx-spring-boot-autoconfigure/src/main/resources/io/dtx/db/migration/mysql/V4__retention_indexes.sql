-- retention deletes finished rows by age
create index ${prefix}global_transaction_finished on ${prefix}global_transaction (state, updated_at);
create index ${prefix}participant_state on ${prefix}participant (state, updated_at);
