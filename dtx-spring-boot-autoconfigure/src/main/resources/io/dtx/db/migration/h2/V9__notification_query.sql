-- The query lists an endpoint's notifications in the order they were written, a page after
-- the (created_at, id) of the last; retention deletes the delivered ones by the time of
-- their delivery.
create index ${prefix}notification_endpoint on ${prefix}notification (endpoint, created_at, id);
create index ${prefix}notification_delivered on ${prefix}notification (delivered_at);
